"""The demo data: deterministic, shaped like the programme, with logins that really sign in;
and `onestreet demo` prepares a cold checkout by itself."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from infra.auth.models import Account
from infra.bootstrap.models import metadata
from infra.bootstrap.seed import DatabaseNotEmpty, seed_demo
from infra.bootstrap.seed_data import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SHOP_SLUG
from infra.db import create_engine, create_session_factory
from infra.migrations import runner
from infra.settings import DatabaseSettings
from merchant_api.shops.models import ShopCategory
from tests.conftest import create_postgres_database, drop_postgres_database, run_async
from tests.support.cli import onestreet

DEMO_ADMIN = next(login.email for login in DEMO_LOGINS if login.role.value == "platform_admin")
SEEDED_TABLES = ("streets", "shops", "listings", "shop_members", "consultant_assignments")
REPO = Path(__file__).resolve().parents[1]


async def _snapshot(session) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def,type-arg]
    """Every seeded row; account ids (random, made by the auth service) read as e-mails."""
    emails = dict((await session.execute(select(Account.id, Account.email))).all())
    snapshot = {
        "accounts": sorted(
            (a.email, a.role.value, a.display_name) for a in await session.scalars(select(Account))
        )
    }
    for name in SEEDED_TABLES:
        table = metadata.tables[name]
        rows = (await session.execute(select(table).order_by(table.c.id))).mappings().all()
        snapshot[name] = [
            tuple(emails[v] if k == "account_id" else v for k, v in row.items()) for row in rows
        ]
    return snapshot


def _seed_and_snapshot(url: str, seed_number: int = 2017):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        engine = create_engine(DatabaseSettings(url=url), for_worker=True)
        try:
            async with create_session_factory(engine)() as session:
                await seed_demo(session, seed_number)
                await session.commit()
                return await _snapshot(session)
        finally:
            await engine.dispose()

    return run_async(go)


@pytest.fixture
def other_database(backend, tmp_path):  # type: ignore[no-untyped-def]
    """A second fresh, migrated database next to the session's one."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'second.sqlite3'}"
        runner.upgrade(url)
        yield url
        return
    url = create_postgres_database()
    try:
        runner.upgrade(url)
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture
def seeded(db):  # type: ignore[no-untyped-def]
    return db(lambda session: seed_demo(session, 2017))


def test_same_seed_gives_identical_data(database_url, other_database):
    first = _seed_and_snapshot(database_url)
    second = _seed_and_snapshot(other_database)
    assert first == second
    assert len(first["listings"]) > 50


def test_another_seed_number_gives_other_ids(other_database, seeded, db):
    ours = db(_snapshot)
    theirs = _seed_and_snapshot(other_database, seed_number=2018)
    assert {row[0] for row in ours["shops"]}.isdisjoint({row[0] for row in theirs["shops"]})


def test_demo_programme_has_the_plans_shape(client, seeded):
    streets = client.get("/api/streets").json()
    assert len(streets) >= 3
    assert len({street["county"] for street in streets}) == len(streets)
    assert all(3 <= street["digital_level"] <= 5 for street in streets)
    assert any(street["is_outlying_island"] for street in streets)
    assert any(street["is_indigenous_area"] for street in streets)

    categories: Counter[str] = Counter()
    for summary in streets:
        street = client.get(f"/api/streets/{summary['id']}").json()
        assert 6 <= len(street["shops"]) <= 12, street["slug"]
        categories.update(shop["category"] for shop in street["shops"])
        for shop_summary in street["shops"][:3]:
            shop = client.get(f"/api/shops/{shop_summary['id']}?lang=en").json()
            assert len(shop["listings"]) >= 2
            for listing in shop["listings"]:
                assert listing["currency"] == "TWD"
                # Whole dollars in minor units, between NT$10 and NT$10,000.
                assert listing["price_minor"] % 100 == 0
                assert 1_000 <= listing["price_minor"] <= 1_000_000
                assert listing["name"].isascii(), "every listing has an English name"
    assert set(categories) == {category.value for category in ShopCategory}


def test_every_demo_login_signs_in_with_its_role(client, seeded):
    for login in DEMO_LOGINS:
        client.cookies.clear()
        response = client.post(
            "/api/auth/login", json={"email": login.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, (login.email, response.text)
        assert response.json()["account"]["role"] == login.role.value
    assert {login.role.value for login in DEMO_LOGINS} >= {
        "platform_admin",
        "consultant",
        "ministry_viewer",
        "merchant",
        "consumer",
    }


def test_demo_owner_and_consultant_see_the_demo_shop(client, seeded):
    shop_id = next(
        shop["id"]
        for street in client.get("/api/streets").json()
        for shop in client.get(f"/api/streets/{street['id']}").json()["shops"]
        if shop["slug"] == DEMO_SHOP_SLUG
    )
    for email in (
        "owner@demo.onestreet.tw",
        "staff@demo.onestreet.tw",
        "consultant@demo.onestreet.tw",
    ):
        client.cookies.clear()
        client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
        people = client.get(f"/api/shops/{shop_id}/members")
        assert people.status_code == 200, email
    roles = {member["email"]: member["role"] for member in people.json()["members"]}
    assert roles == {"owner@demo.onestreet.tw": "owner", "staff@demo.onestreet.tw": "staff"}
    assert [c["email"] for c in people.json()["consultants"]] == ["consultant@demo.onestreet.tw"]
    # The points programme's rules the demo shows (seed_loyalty), as the consultant lists them.
    assert len(client.get("/api/loyalty/category-bonuses").json()) == 1
    assert len(client.get("/api/loyalty/rallies").json()) == 1
    assert len(client.get(f"/api/shops/{shop_id}/loyalty/listing-bonuses").json()) == 1
    client.post("/api/auth/login", json={"email": DEMO_ADMIN, "password": DEMO_PASSWORD})
    assert len(client.get("/api/loyalty/campaigns").json()) >= 1


def test_seeding_refuses_a_database_that_has_data(db, seeded):
    before = db(_snapshot)
    with pytest.raises(DatabaseNotEmpty):
        db(lambda session: seed_demo(session, 2017))
    assert db(_snapshot) == before


def test_demo_prepares_a_cold_checkout_and_seed_stays_safe(tmp_path):
    """From an empty directory: the embedded database appears under ./var, migrated and seeded."""
    first = onestreet("demo", "--no-serve", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "var" / "onestreet.sqlite3").exists()
    for expected in ("http://127.0.0.1:8000/", "/schema", "/health/ready", DEMO_PASSWORD):
        assert expected in first.stdout
    for login in DEMO_LOGINS:
        assert login.email in first.stdout
    assert "Seeded 3 streets" in first.stdout

    again = onestreet("demo", "--no-serve", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "already has data" in again.stdout

    refused = onestreet("seed", cwd=tmp_path)
    assert refused.returncode == 1
    assert "only fills an empty database" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_seed_command_asks_for_migrations_first(tmp_path):
    result = onestreet("seed", cwd=tmp_path)
    assert result.returncode == 1
    assert "onestreet db upgrade" in result.stderr
    assert "Traceback" not in result.stderr
