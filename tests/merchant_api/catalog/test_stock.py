"""Counted stock: reservations never oversell, even when many orders arrive at once."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import select

from infra.db import create_engine, create_session_factory
from infra.errors import NotFound
from infra.settings import DatabaseSettings
from merchant_api.catalog.errors import SoldOut
from merchant_api.catalog.models import Listing
from merchant_api.catalog.stock import release_stock, reserve_stock
from tests.conftest import run_async


def _stock(db, listing_id):  # type: ignore[no-untyped-def]
    async def go(session):  # type: ignore[no-untyped-def]
        return await session.scalar(select(Listing.stock).where(Listing.id == listing_id))

    return db(go)


def _new_listing(db, shop_id, stock):  # type: ignore[no-untyped-def]
    async def go(session):  # type: ignore[no-untyped-def]
        listing = Listing(
            shop_id=shop_id, name={"zh-Hant-TW": "限量便當"}, price_minor=9000, stock=stock
        )
        session.add(listing)
        await session.flush()
        return listing.id

    return db(go)


def test_reserve_takes_release_returns_and_untracked_passes(db, world, noodles):
    async def reserve(session):  # type: ignore[no-untyped-def]
        await reserve_stock(session, {noodles.plain: 2, noodles.listing: 50})

    db(reserve)
    assert _stock(db, noodles.plain) == 1
    assert _stock(db, noodles.listing) is None  # not counted, stays so

    async def too_many(session):  # type: ignore[no-untyped-def]
        await reserve_stock(session, {noodles.plain: 2})

    with pytest.raises(SoldOut) as raised:
        db(too_many)
    assert raised.value.details == {"listing_id": str(noodles.plain), "requested": 2, "left": 1}

    async def release(session):  # type: ignore[no-untyped-def]
        await release_stock(session, {noodles.plain: 2, noodles.listing: 1})

    db(release)
    assert _stock(db, noodles.plain) == 3
    assert _stock(db, noodles.listing) is None

    async def unknown(session):  # type: ignore[no-untyped-def]
        await reserve_stock(session, {uuid.uuid4(): 1})

    with pytest.raises(NotFound):
        db(unknown)


def test_concurrent_reservations_never_oversell(database_url, db, world):
    """20 buyers race for 5 lunch boxes (and a second item, in either order): exactly 5 win."""
    stock = 5
    boxes = _new_listing(db, world.shop_a, stock)
    drinks = _new_listing(db, world.shop_a, 100)

    async def race() -> list[bool]:
        engine = create_engine(DatabaseSettings(url=database_url))
        sessions = create_session_factory(engine)
        start = asyncio.Event()

        async def buyer(number: int) -> bool:
            # Half name the items in the other order; the sorted locking must not deadlock.
            wanted = {boxes: 1, drinks: 1} if number % 2 else {drinks: 1, boxes: 1}
            async with sessions() as session:
                await start.wait()
                try:
                    await reserve_stock(session, wanted)
                    await asyncio.sleep(0.01)  # hold the row lock while others queue on it
                    await session.commit()
                    return True
                except SoldOut:
                    await session.rollback()
                    return False

        try:
            tasks = [asyncio.create_task(buyer(n)) for n in range(20)]
            await asyncio.sleep(0.05)
            start.set()
            return await asyncio.gather(*tasks)
        finally:
            await engine.dispose()

    results = run_async(race)
    assert results.count(True) == stock
    assert _stock(db, boxes) == 0
    # Losers rolled back, so their drinks were not taken either.
    assert _stock(db, drinks) == 100 - stock
