"""On PostgreSQL, frequent words are read by walking documents in id order and rare ones
through the n-gram index; both must give the same pages."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from merchant_api.catalog.models import Listing
from merchant_api.discovery import text_search


@pytest.fixture
def many_millet_listings(backend, catalogue, db):  # type: ignore[no-untyped-def]
    if backend != "postgres":
        pytest.skip("the walk is PostgreSQL's plan; SQLite always scans with LIKE")

    async def add(session):  # type: ignore[no-untyped-def]
        for index in range(40):
            description = {"zh-Hant-TW": "小米做的"} if index % 4 == 0 else {}
            name = {"zh-Hant-TW": f"小米禮盒{index:02d}" if index % 4 else f"禮盒{index:02d}"}
            session.add(
                Listing(
                    shop_id=catalogue.millet_shop,
                    name=name,
                    description=description,
                    price_minor=1000 + index,
                )
            )
        await session.flush()
        await session.execute(text("ANALYZE listing_search"))

    db(add)
    text_search._stats.clear()  # read the fresh statistics
    yield
    text_search._stats.clear()


@pytest.mark.parametrize("walk_rows", [3, 10_000])
def test_walk_and_index_give_the_same_pages(client, many_millet_listings, monkeypatch, walk_rows):
    # Every gram counts as common: the walk runs; with 3 rows it finds too few and the
    # index finishes the page.
    monkeypatch.setattr(text_search, "WALK_ABOVE", 0.0)
    monkeypatch.setattr(text_search, "WALK_ROWS", walk_rows)
    walks = []
    real_walk = text_search.TextSearch._walk

    async def counted_walk(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        rows = await real_walk(self, *args, **kwargs)
        walks.append(len(rows))
        return rows

    monkeypatch.setattr(text_search.TextSearch, "_walk", counted_walk)
    walked = pages(client, q="小米")
    assert walks and max(walks) <= (3 if walk_rows == 3 else 8)
    monkeypatch.setattr(text_search, "WALK_ABOVE", 1.0)  # never walk
    indexed = pages(client, q="小米")
    assert walked == indexed
    assert len(walked) == 30 + 2 + 1 + 10  # 30 names + wine, mochi + latte's description + 10
    assert set(walked[:32]) == {
        *(f"小米禮盒{i:02d}" for i in range(40) if i % 4),
        "小米酒",
        "小米麻糬",
    }


def pages(client, **params) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    cursor = None
    while True:
        query = {**params, "limit": 7, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/search/listings", params=query).json()
        seen += [item["name"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen
