"""`onestreet recommender import-baskets|evaluate|train|advise`, run as the real command."""

from __future__ import annotations

import json
import random

import sqlalchemy as sa

from recommender.advice.models import AdviceItem
from recommender.artifacts.models import ModelArtifact
from recommender.imports.models import ImportedBasketLine
from tests.support.cli import onestreet

HEADER = "customer_id,order_id,timestamp,item_id,quantity,price,shop\n"


def _run(tmp_path, database_url, *args):  # type: ignore[no-untyped-def]
    env = {"ONESTREET_DATABASE_URL": database_url, "ONESTREET_APP__DATA_DIR": str(tmp_path)}
    return onestreet("recommender", *args, cwd=tmp_path, env=env)


def _count(db) -> int:  # type: ignore[no-untyped-def]
    async def count(session):  # type: ignore[no-untyped-def]
        return (await session.execute(sa.select(sa.func.count(ImportedBasketLine.id)))).scalar()

    return db(count)


def test_import_reports_bad_rows_and_loads_only_when_asked(tmp_path, database_url, db):  # type: ignore[no-untyped-def]
    path = tmp_path / "pos.csv"
    path.write_text(
        HEADER
        + "c1,o1,2024-03-01T10:15:00+08:00,mochi,2,60,tea-house\n"
        + "c1,o1,2024-03-01T10:15:00+08:00,oolong,1,180.5,tea-house\n"
        + "c2,o2,yesterday,mochi,1,60,tea-house\n"
        + "c2,o3,2024-03-02 09:00,mochi,0,60,tea-house\n"
        + "c3,o4,2024-03-02T09:00:00,,1,60,tea-house\n"
        + "c3,o5,2024-03-02T09:00:00,cake,1,12.345,tea-house\n"
        + "c4,o6,2024-03-03T12:00:00,cake,1,90\n"
        + "c4,o7,2024-03-03T12:00:00,cake,1,90,tea-house\n",
        encoding="utf-8",
    )
    refused = _run(tmp_path, database_url, "import-baskets", str(path))
    assert refused.returncode == 1
    assert "line 4: timestamp 'yesterday' is not ISO 8601" in refused.stderr
    assert "line 5: quantity 0 is below 1" in refused.stderr
    assert "line 6: item_id is empty" in refused.stderr
    assert "line 7: price '12.345' has more than 2 decimals" in refused.stderr
    assert "line 8: expected 7 fields" in refused.stderr
    assert "5 bad rows, 3 good rows; nothing loaded" in refused.stderr
    assert _count(db) == 0

    loaded = _run(tmp_path, database_url, "import-baskets", str(path), "--load-good-rows")
    assert loaded.returncode == 0, loaded.stderr
    assert "Loaded 3 rows" in loaded.stdout and "skipped 5 bad rows" in loaded.stdout
    assert _count(db) == 3

    async def oolong(session):  # type: ignore[no-untyped-def]
        query = sa.select(ImportedBasketLine).where(ImportedBasketLine.item_ref == "oolong")
        return (await session.scalars(query)).one()

    row = db(oolong)
    assert row.price_minor == 18050 and row.quantity == 1
    assert row.ordered_at.isoformat() == "2024-03-01T02:15:00+00:00"


def test_import_refuses_a_file_without_the_columns(tmp_path, database_url):  # type: ignore[no-untyped-def]
    path = tmp_path / "wrong.csv"
    path.write_text("customer,item\nc1,mochi\n", encoding="utf-8")
    result = _run(tmp_path, database_url, "import-baskets", str(path))
    assert result.returncode == 1
    assert "line 1: the header lacks customer_id" in result.stderr


def _tafeng_like(directory, users: int = 60) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(5)
    history, future = {}, {}
    for u in range(users):
        staple = 1 + u % 4
        baskets = [[staple, rng.choice([7, 8, 9])] for _ in range(4)]
        history[str(u)] = [[-1], *baskets, [-1]]
        future[str(u)] = [[-1], [staple, 10 + u % 4], [-1]]
    (directory / "tafeng_history.json").write_text(json.dumps(history))
    (directory / "tafeng_future.json").write_text(json.dumps(future))


def test_evaluate_prints_the_table_with_baselines(tmp_path, database_url):  # type: ignore[no-untyped-def]
    _tafeng_like(tmp_path)
    result = _run(tmp_path, database_url, "evaluate", "--tafeng", str(tmp_path), "--seeds", "2")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Ta-Feng: 60 customers; 2 random splits" in out
    for name in ("G-TopFreq", "P-TopFreq", "GP-TopFreq", "TIFU-KNN"):
        assert f"| {name} |" in out
    assert "published 0.123 / 0.102" in out
    assert "chosen on validation users" in out


def test_evaluate_on_an_imported_csv(tmp_path, database_url):  # type: ignore[no-untyped-def]
    rows = [HEADER]
    for c in range(30):
        for o in range(4):
            for item in (f"staple{c % 3}", f"extra{o % 2}"):
                rows.append(f"c{c},o{c}-{o},2024-03-0{o + 1}T10:00:00,{item},1,50,shop\n")
    path = tmp_path / "baskets.csv"
    path.write_text("".join(rows), encoding="utf-8")
    result = _run(tmp_path, database_url, "evaluate", "--csv", str(path), "--seeds", "1")
    assert result.returncode == 0, result.stderr
    assert "baskets.csv: 30 customers with 2+ orders" in result.stdout
    assert "| TIFU-KNN |" in result.stdout


def test_train_and_advise_from_the_command_line(tmp_path, database_url, db, sales):  # type: ignore[no-untyped-def]
    trained = _run(tmp_path, database_url, "train")
    assert trained.returncode == 0, trained.stderr
    assert "versions now current" in trained.stdout
    advised = _run(tmp_path, database_url, "advise", "--shop", str(sales.world.shop_a))
    assert advised.returncode == 0, advised.stderr
    assert "for 1 shops" in advised.stdout

    async def stored(session):  # type: ignore[no-untyped-def]
        kinds = (await session.scalars(sa.select(ModelArtifact.kind))).all()
        shops = (await session.scalars(sa.select(AdviceItem.shop_id))).all()
        return set(kinds), set(shops)

    kinds, shops = db(stored)
    assert kinds == {"forecast", "affinity"}
    assert shops == {sales.world.shop_a}
