"""Concurrent placement: counted stock never oversold, daily numbers never shared."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select

from infra.bootstrap.asgi import create_app
from merchant_api.catalog.models import Listing
from merchant_api.orders.models import Order
from tests.conftest import run_async
from tests.merchant_api.orders.conftest import counter_order, signed_in_client


def _place_concurrently(settings, shop_id, bodies):  # type: ignore[no-untyped-def]
    app = create_app(settings)

    async def go():  # type: ignore[no-untyped-def]
        client = await signed_in_client(app, "consumer@test.tw")
        try:
            url = f"/api/shops/{shop_id}/orders"
            return await asyncio.gather(
                *(
                    client.post(url, json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
                    for body in bodies
                )
            )
        finally:
            await client.aclose()
            await app.state.engine.dispose()

    return run_async(go)


def test_no_overselling_under_concurrent_placement(settings, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    body = {"channel": "counter", "lines": [{"listing_id": str(menu.millet), "quantity": 1}]}
    responses = _place_concurrently(settings, world.shop_a, [body] * 12)
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] * 5 + [409] * 7, [r.text for r in responses if r.status_code >= 500]
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"sold_out"}
    stock = db(lambda s: s.scalar(select(Listing.stock).where(Listing.id == menu.millet)))
    assert stock == 0


def test_daily_numbers_are_unique_under_concurrency(settings, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    responses = _place_concurrently(settings, world.shop_a, [counter_order(menu)] * 15)
    assert [r.status_code for r in responses] == [201] * 15
    numbers = sorted(r.json()["number"] for r in responses)
    assert numbers == list(range(1, 16))
    seqs = sorted(r.json()["history"][0]["seq"] for r in responses)
    assert seqs == list(range(1, 16))
    stored = db(lambda s: s.scalars(select(Order.number)))
    assert sorted(stored) == numbers
