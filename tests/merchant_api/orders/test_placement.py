"""Placing orders: server-side totals, snapshots, per-channel rules, closed shops, events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from infra.outbox.models import OutboxEvent
from merchant_api.catalog.models import Listing
from merchant_api.orders.models import Order, ShopOrderCounter
from merchant_api.shops.hours_models import ShopClosure
from merchant_api.shops.models import Shop
from tests.merchant_api.orders.conftest import counter_order, noodle_line, place


def _code(response) -> str:  # type: ignore[no-untyped-def]
    return response.json()["error"]["code"]


def test_consumer_places_an_order_priced_by_the_server(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    consumer = caller("consumer@test.tw")
    body = {
        "channel": "table_qr",
        "table": "A3",
        "notes": "少辣",
        "lines": [
            noodle_line(menu, 2, menu.egg, menu.tofu),
            {"listing_id": str(menu.millet), "quantity": 1},
        ],
    }
    response = place(consumer, world.shop_a, body)
    assert response.status_code == 201, response.text
    order = response.json()
    # (120 + 20 large + 15 egg + 10 tofu) x 2 + 180 = 510 dollars
    assert order["lines"][0]["unit_price_minor"] == 16500
    assert order["lines"][0]["line_total_minor"] == 33000
    assert [o["name"] for o in order["lines"][0]["options"]] == ["大", "蛋", "豆腐"]
    assert order["total_minor"] == 51000
    assert order["item_count"] == 3
    assert (order["status"], order["number"], order["table"]) == ("placed", 1, "A3")
    assert order["consumer_account_id"] == str(world.accounts["consumer@test.tw"])
    assert order["history"][0]["to_status"] == "placed"
    assert order["history"][0]["actor_kind"] == "consumer"

    # The snapshot stays when the menu changes; stock was taken; the event was written.
    async def after(session):  # type: ignore[no-untyped-def]
        noodles = await session.get(Listing, menu.noodles)
        noodles.price_minor = 99900
        millet = await session.get(Listing, menu.millet)
        events = (await session.scalars(select(OutboxEvent))).all()
        return millet.stock, [(e.event_type, e.payload) for e in events]

    stock, events = db(after)
    assert stock == 4
    assert events[0][0] == "order.placed"
    assert events[0][1]["total_minor"] == 51000
    assert events[0][1]["channel"] == "table_qr"
    # The number is given by the statement that writes the event (PostgreSQL) or just before.
    assert events[0][1]["number"] == order["number"]
    again = consumer.get(f"/api/orders/{order['id']}")
    assert again.json()["lines"][0]["unit_price_minor"] == 16500


def test_totals_from_the_client_are_refused(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    body = {**counter_order(menu), "total_minor": 1}
    response = place(caller(None), world.shop_a, body)
    assert response.status_code == 422
    assert "total_minor" in str(response.json()["error"]["details"])
    priced_line = {**noodle_line(menu), "unit_price_minor": 1}
    response = place(caller(None), world.shop_a, {"channel": "counter", "lines": [priced_line]})
    assert response.status_code == 422


def test_anonymous_counter_orders_work_but_pickup_needs_a_consumer(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    anonymous = caller(None)
    response = place(anonymous, world.shop_a, counter_order(menu))
    assert response.status_code == 201, response.text
    assert response.json()["placed_by_account_id"] is None
    pickup = {
        **counter_order(menu),
        "channel": "online_pickup",
        "pickup_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
    }
    assert place(anonymous, world.shop_a, pickup).status_code == 403
    assert (
        place(anonymous, world.shop_a, {**counter_order(menu), "channel": "kiosk"}).status_code
        == 403
    )
    response = place(caller("consumer@test.tw"), world.shop_a, pickup)
    assert response.status_code == 201, response.text
    assert response.json()["number"] == 2


def test_staff_enter_counter_orders_for_their_own_shop_only(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    response = place(caller("staff.a@test.tw"), world.shop_a, counter_order(menu))
    assert response.status_code == 201
    assert response.json()["history"][0]["actor_kind"] == "staff"
    assert place(caller("owner.b@test.tw"), world.shop_a, counter_order(menu)).status_code == 403


def test_channel_fields_are_checked_and_named(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    consumer = caller("consumer@test.tw")

    def problem_keys(body):  # type: ignore[no-untyped-def]
        response = place(consumer, world.shop_a, body)
        assert response.status_code == 422, response.text
        return [p["key"] for p in response.json()["error"]["details"]["problems"]]

    line = [noodle_line(menu)]
    assert problem_keys({"channel": "table_qr", "lines": line}) == ["table"]
    assert problem_keys({"channel": "counter", "table": "A1", "lines": line}) == ["table"]
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    assert problem_keys({"channel": "online_pickup", "pickup_at": past, "lines": line}) == [
        "pickup_at"
    ]
    assert problem_keys({"channel": "online_pickup", "lines": line}) == ["pickup_at"]
    assert problem_keys({"channel": "counter", "notes": "x" * 501, "lines": line}) == ["notes"]
    no_size = [{"listing_id": str(menu.noodles), "quantity": 1}]
    assert problem_keys({"channel": "counter", "lines": no_size}) == ["lines[0].option_ids"]
    other_shop = [{"listing_id": str(menu.tea_b), "quantity": 1}]
    assert problem_keys({"channel": "counter", "lines": other_shop}) == ["lines[0].listing_id"]
    assert problem_keys({"channel": "counter", "lines": []}) == ["lines"]


def test_placement_needs_an_idempotency_key(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    for key in (None, "", "k" * 256):
        response = place(caller(None), world.shop_a, counter_order(menu), key=key)
        assert response.status_code == 400
        assert _code(response) == "invalid_idempotency_key"


def test_closed_or_inactive_shops_refuse_orders_and_nothing_is_written(
    caller, world, menu, db
) -> None:  # type: ignore[no-untyped-def]
    async def suspend(session):  # type: ignore[no-untyped-def]
        (await session.get(Shop, world.shop_a)).status = "suspended"

    db(suspend)
    response = place(caller(None), world.shop_a, counter_order(menu))
    assert (response.status_code, _code(response)) == (409, "shop_closed")

    async def reopen_but_close_today(session):  # type: ignore[no-untyped-def]
        (await session.get(Shop, world.shop_a)).status = "active"
        today = datetime.now(UTC).date()
        session.add(
            ShopClosure(
                shop_id=world.shop_a,
                starts_on=today - timedelta(days=1),
                ends_on=today + timedelta(days=1),
                kind="temporary",
            )
        )

    db(reopen_but_close_today)
    response = place(caller(None), world.shop_a, counter_order(menu))
    assert (response.status_code, _code(response)) == (409, "shop_closed")
    count = db(lambda s: s.scalar(select(Order.id).limit(1)))
    assert count is None


def test_sold_out_rolls_back_the_whole_order(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    body = {
        "channel": "counter",
        "lines": [noodle_line(menu), {"listing_id": str(menu.millet), "quantity": 6}],
    }
    response = place(caller(None), world.shop_a, body)
    assert (response.status_code, _code(response)) == (409, "sold_out")
    assert db(lambda s: s.scalar(select(Order.id).limit(1))) is None
    stock = db(lambda s: s.scalar(select(Listing.stock).where(Listing.id == menu.millet)))
    assert stock == 5


def test_numbers_restart_each_taipei_day(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    async def yesterday_ended_at_57(session):  # type: ignore[no-untyped-def]
        session.add(
            ShopOrderCounter(
                shop_id=world.shop_a, business_date=date(2020, 1, 1), last_number=57, last_seq=10
            )
        )

    db(yesterday_ended_at_57)
    first = place(caller(None), world.shop_a, counter_order(menu)).json()
    second = place(caller(None), world.shop_a, counter_order(menu)).json()
    assert (first["number"], second["number"]) == (1, 2)
    assert (first["history"][0]["seq"], second["history"][0]["seq"]) == (11, 12)
    taipei_today = datetime.now(ZoneInfo("Asia/Taipei")).date().isoformat()
    assert first["business_date"] == taipei_today


def test_anonymous_orders_are_rate_limited(caller, world, menu, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from merchant_api.orders import routes

    monkeypatch.setattr(routes, "ANONYMOUS_ORDERS_PER_MINUTE", 2)
    anonymous = caller(None)
    codes = [place(anonymous, world.shop_a, counter_order(menu)).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    # Signed-in consumers are not counted against the address.
    assert place(caller("consumer@test.tw"), world.shop_a, counter_order(menu)).status_code == 201
