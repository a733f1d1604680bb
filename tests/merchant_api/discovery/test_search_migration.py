"""Upgrading a database that already has shops and listings indexes them for search."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from infra.db import UTCDateTime, create_engine
from infra.migrations import runner
from infra.settings import DatabaseSettings
from tests.conftest import create_postgres_database, drop_postgres_database, run_async


@pytest.fixture
def fresh_database(backend: str, tmp_path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'backfill.sqlite3'}"
        return
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


def _execute(url: str, statement: sa.Executable, params: object = None) -> list[sa.Row]:
    async def go() -> list[sa.Row]:
        engine = create_engine(DatabaseSettings(url=url), for_worker=True)
        try:
            async with engine.begin() as connection:
                result = await connection.execute(statement, params)
                return list(result.all()) if result.returns_rows else []
        finally:
            await engine.dispose()

    return run_async(go)


def test_existing_rows_get_search_documents(fresh_database):
    url = fresh_database
    runner.upgrade(url, "0003_merchant")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    street_id, shop_id, listing_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    json_columns = {"name": sa.JSON(), "description": sa.JSON()}
    streets = sa.table(
        "streets", *(sa.column(c, sa.Uuid()) for c in ("id",)),
        *(sa.column(c) for c in ("slug", "county", "township")),
        *(sa.column(c, t) for c, t in json_columns.items()),
        *(sa.column(c) for c in ("digital_level", "is_remote", "is_outlying_island")),
        *(sa.column(c) for c in ("is_indigenous_area", "latitude", "longitude")),
        sa.column("programme_year_joined"), sa.column("created_at", UTCDateTime()),
    )  # fmt: skip
    _execute(url, sa.insert(streets).values(
        id=street_id, slug="s", county="臺東縣", township="達仁鄉", name={"zh-Hant-TW": "街"},
        description={}, digital_level=5, is_remote=True, is_outlying_island=False,
        is_indigenous_area=True, latitude=22.0, longitude=120.0, programme_year_joined=107,
        created_at=now,
    ))  # fmt: skip
    shops = sa.table(
        "shops", *(sa.column(c, sa.Uuid()) for c in ("id", "street_id")),
        *(sa.column(c) for c in ("slug", "category", "address")),
        *(sa.column(c, t) for c, t in json_columns.items()), sa.column("status"),
        sa.column("joined_on", sa.Date()), sa.column("created_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()),
    )  # fmt: skip
    _execute(url, sa.insert(shops).values(
        id=shop_id, street_id=street_id, slug="millet", category="retail", address="1 號",
        name={"zh-Hant-TW": "小米工坊", "en": "Millet Workshop"}, description={},
        status="active", joined_on=date(2018, 1, 1), created_at=now, updated_at=now,
    ))  # fmt: skip
    listings = sa.table(
        "listings", *(sa.column(c, sa.Uuid()) for c in ("id", "shop_id")),
        *(sa.column(c) for c in ("price_minor", "currency")),
        *(sa.column(c, t) for c, t in json_columns.items()), sa.column("is_available"),
        sa.column("created_at", UTCDateTime()),
    )  # fmt: skip
    _execute(url, sa.insert(listings).values(
        id=listing_id, shop_id=shop_id, price_minor=100, currency="TWD", is_available=True,
        name={"zh-Hant-TW": "小米酒", "en": "Ｍｉｌｌｅｔ Wine"}, description={}, created_at=now,
    ))  # fmt: skip

    runner.upgrade(url, "0007_search")

    rows = _execute(url, sa.text("SELECT name_text, search_text FROM listing_search"))
    assert rows == [("\n小米酒\nmillet wine\n", "\n小米酒\nmillet wine\n")]
    shops_found = _execute(url, sa.text("SELECT name_text FROM shop_search"))
    assert shops_found == [("\n小米工坊\nmillet workshop\n",)]
    # A shop's document also holds its street's name, township and county.
    shop_text = _execute(url, sa.text("SELECT search_text FROM shop_search"))[0][0]
    assert shop_text == "\n小米工坊\nmillet workshop\n街\n達仁鄉\n臺東縣\n"
