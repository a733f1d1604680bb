"""The issue's bad inputs, through the HTTP API: each is refused with an error naming the field,
and nothing of the order (lines, history, counter, event, stock, idempotency key) is kept."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from infra.idempotency.models import IdempotencyKey
from infra.outbox.models import OutboxEvent
from merchant_api.catalog.models import Listing
from merchant_api.orders.models import Order, OrderLine, OrderStatusChange, ShopOrderCounter
from tests.merchant_api.orders.conftest import counter_order, noodle_line, place

_WRITTEN = (Order, OrderLine, OrderStatusChange, ShopOrderCounter, OutboxEvent, IdempotencyKey)


def _counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    async def count(session):  # type: ignore[no-untyped-def]
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model))
            for model in _WRITTEN
        }

    return db(count)


def _problem_keys(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {p["key"] for p in response.json()["error"]["details"]["problems"]}


def test_bad_orders_name_the_field_and_leave_nothing_behind(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    consumer = caller("consumer@test.tw")
    before = _counts(db)
    plain = {"listing_id": str(menu.millet), "quantity": 1}
    cases = [
        # an option that does not exist, and one of another listing
        ([{**noodle_line(menu), "option_ids": [str(menu.large), str(uuid.uuid4())]}], 0),
        ([plain, {**plain, "option_ids": [str(menu.egg)]}], 1),
        # the required size is missing
        ([{"listing_id": str(menu.noodles), "quantity": 1, "option_ids": [str(menu.egg)]}], 0),
        # a listing of another shop, and one that does not exist
        ([{"listing_id": str(menu.tea_b), "quantity": 1}], 0),
        ([plain, {"listing_id": str(uuid.uuid4()), "quantity": 1}], 1),
    ]
    fields = ["option_ids", "option_ids", "option_ids", "listing_id", "listing_id"]
    for (lines, index), field in zip(cases, fields, strict=True):
        response = place(consumer, world.shop_a, {"channel": "counter", "lines": lines}, key="k1")
        assert response.status_code == 422, response.text
        assert f"lines[{index}].{field}" in _problem_keys(response), response.text
    # Decoded strictly at the boundary: text for a number, absurd quantities, unknown fields.
    strict = [
        ({"channel": "counter", "lines": [{**plain, "quantity": "2"}]}, "lines[0].quantity"),
        ({"channel": "counter", "lines": [{**plain, "quantity": -1}]}, "lines[0].quantity"),
        ({"channel": "counter", "lines": [{**plain, "quantity": 10**6}]}, "lines[0].quantity"),
        ({"channel": "counter", "lines": [{**plain, "unit_price_minor": 1}]}, "lines[0]"),
        ({"channel": "drone", "lines": [plain]}, "channel"),
        ({"channel": "counter", "lines": []}, "lines"),
    ]
    for body, key in strict:
        response = place(consumer, world.shop_a, body, key="k1")
        assert response.status_code == 422, (body, response.text)
        assert key in _problem_keys(response), (body, response.text)
    malformed = consumer.post(
        f"/api/shops/{world.shop_a}/orders",
        content=b'{"channel": "counter", "lines": [',
        headers={"Idempotency-Key": "k1", "Content-Type": "application/json"},
    )
    assert malformed.status_code in (400, 422), malformed.text
    assert "error" in malformed.json()
    assert _counts(db) == before
    stock = db(lambda s: s.scalar(select(Listing.stock).where(Listing.id == menu.millet)))
    assert stock == 5
    # The refusals kept no claim on the key: the corrected order goes through with it.
    fixed = place(consumer, world.shop_a, {"channel": "counter", "lines": [plain]}, key="k1")
    assert fixed.status_code == 201, fixed.text


def test_an_invalid_transition_changes_nothing(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    order = place(caller("consumer@test.tw"), world.shop_a, counter_order(menu)).json()
    staff = caller("staff.a@test.tw")
    before = _counts(db)
    url = f"/api/orders/{order['id']}/transitions"
    skipped = staff.post(url, json={"to": "completed"})
    assert (skipped.status_code, skipped.json()["error"]["code"]) == (409, "invalid_transition")
    assert skipped.json()["error"]["details"]["allowed"] == ["accepted", "cancelled"]
    unknown = staff.post(url, json={"to": "shipped"})
    assert unknown.status_code == 422 and "to" in _problem_keys(unknown)
    extra = staff.post(url, json={"to": "accepted", "by": "me"})
    assert extra.status_code == 422
    long_reason = staff.post(url, json={"to": "cancelled", "reason": "x" * 301})
    assert long_reason.status_code == 422 and "reason" in _problem_keys(long_reason)
    assert _counts(db) == before
    again = staff.get(f"/api/orders/{order['id']}").json()
    assert (again["status"], len(again["history"])) == ("placed", 1)


def test_listing_prices_must_be_sane_numbers_on_update_too(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    owner = caller("owner.a@test.tw")
    url = f"/api/shops/{world.shop_a}/listings/{menu.millet}"
    for price in (-1, 100_000_001, "180", 180.5):
        response = owner.patch(url, json={"price_minor": price})
        assert response.status_code == 422, (price, response.text)
        assert "price_minor" in response.text
    price = db(lambda s: s.scalar(select(Listing.price_minor).where(Listing.id == menu.millet)))
    assert price == 18000
