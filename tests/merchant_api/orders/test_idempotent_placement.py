"""Placement with an Idempotency-Key: retries get the first order, never a second one."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from infra.bootstrap.asgi import create_app
from merchant_api.orders.models import Order
from tests.conftest import run_async
from tests.merchant_api.orders.conftest import counter_order, noodle_line, place, signed_in_client


def _orders(db) -> int:  # type: ignore[no-untyped-def]
    return db(lambda s: s.scalar(select(func.count()).select_from(Order)))


def test_same_key_and_body_replays_the_first_order(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    consumer = caller("consumer@test.tw")
    first = place(consumer, world.shop_a, counter_order(menu), key="retry-1")
    again = place(consumer, world.shop_a, counter_order(menu), key="retry-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"
    assert _orders(db) == 1


def test_same_key_with_another_body_is_refused(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    consumer = caller("consumer@test.tw")
    assert place(consumer, world.shop_a, counter_order(menu), key="k").status_code == 201
    other = {"channel": "counter", "lines": [noodle_line(menu, 2)]}
    response = place(consumer, world.shop_a, other, key="k")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert _orders(db) == 1


def test_keys_belong_to_their_caller(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    first = place(caller("consumer@test.tw"), world.shop_a, counter_order(menu), key="k")
    second = place(caller("consumer2@test.tw"), world.shop_a, counter_order(menu), key="k")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


def test_a_refused_placement_can_be_retried_with_the_same_key(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    consumer = caller("consumer@test.tw")
    bad = {"channel": "table_qr", "lines": [noodle_line(menu)]}  # no table
    assert place(consumer, world.shop_a, bad, key="k").status_code == 422
    fixed = {**bad, "table": "B2"}
    assert place(consumer, world.shop_a, fixed, key="k").status_code == 201


def test_twenty_concurrent_retries_place_one_order(settings, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings)
    body = counter_order(menu)

    async def go():  # type: ignore[no-untyped-def]
        client = await signed_in_client(app, "consumer@test.tw")
        try:
            url = f"/api/shops/{world.shop_a}/orders"
            headers = {"Idempotency-Key": "one-tap"}
            return await asyncio.gather(
                *(client.post(url, json=body, headers=headers) for _ in range(20))
            )
        finally:
            await client.aclose()
            await app.state.engine.dispose()

    responses = run_async(go)
    assert [r.status_code for r in responses] == [201] * 20, [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert _orders(db) == 1
