"""`onestreet recommender import-open-data`: bad rows reported, then used by the forecast."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from recommender.imports.models import OpenDataValue
from tests.recommender.conftest import _today
from tests.recommender.test_cli import _run


def _values(db) -> list[tuple[str, str, float]]:  # type: ignore[no-untyped-def]
    async def read(session):  # type: ignore[no-untyped-def]
        query = sa.select(OpenDataValue.county, OpenDataValue.metric, OpenDataValue.value)
        return [tuple(r) for r in (await session.execute(query)).all()]

    return db(read)


def test_open_data_import_and_forecast_feature(tmp_path, database_url, db, sales):  # type: ignore[no-untyped-def]
    # The demo window's days: tourists for street X's county, rain for every county; then
    # six bad rows. The columns may come in any order.
    rows = ["metric,value,county,date\n"]
    for back in range(80):
        day = _today() - timedelta(days=back)
        rows.append(f"tourists,{1000 + 50 * (day.weekday() >= 5)},臺東縣,{day}\n")
        rows.append(f"rain_mm,{back % 3},*,{day}\n")
    rows += [
        "rain_mm,1,臺東縣,2024-03-32\n",
        "Rain mm,1,臺東縣,2024-03-02\n",
        "rain_mm,1,,2024-03-02\n",
        "tourists,many,臺東縣,2024-03-02\n",
        "tourists,nan,臺東縣,2024-03-02\n",
        "tourists,*,2024-03-03\n",
    ]
    path = tmp_path / "open-data.csv"
    path.write_text("".join(rows), encoding="utf-8")
    refused = _run(tmp_path, database_url, "import-open-data", str(path))
    assert refused.returncode == 1
    assert "line 162: date '2024-03-32' is not YYYY-MM-DD" in refused.stderr
    assert "line 163: metric 'Rain mm' must be 1-40 characters" in refused.stderr
    assert "line 164: county is empty" in refused.stderr
    assert "line 165: value 'many' is not a number" in refused.stderr
    assert "line 166: value 'nan' is not a finite number" in refused.stderr
    assert "line 167: expected 4 fields" in refused.stderr
    assert "6 bad rows, 160 good rows; nothing loaded" in refused.stderr
    assert _values(db) == []
    loaded = _run(tmp_path, database_url, "import-open-data", str(path), "--load-good-rows")
    assert loaded.returncode == 0, loaded.stderr
    assert "Loaded 160 open-data values" in loaded.stdout and "skipped 6 bad rows" in loaded.stdout
    stored = _values(db)
    assert len(stored) == 160 and ("臺東縣", "tourists", 1000.0) in stored

    evaluated = _run(tmp_path, database_url, "evaluate", "--forecast")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "| all shops (with open data: rain_mm, tourists) |" in evaluated.stdout
