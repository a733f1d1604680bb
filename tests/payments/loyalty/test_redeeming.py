"""Points as a payment method: hold when ordering, capture when paid, release on cancellation
or expiry; refusals record nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa

from infra.db import utcnow
from merchant_api.shops.models import Shop
from payments.loyalty.models import LoyaltyHold
from tests.payments.loyalty.conftest import CONSUMER, balance, hold


def _earn_20(payments, world) -> None:  # type: ignore[no-untyped-def]
    payments.succeeded(world.shop_a, CONSUMER, 30000)


def test_hold_then_capture_at_another_street(caller, world, payments, audit):
    _earn_20(payments, world)
    held = hold(caller, world.shop_b, 15)
    assert held.status_code == 201, held.text
    assert held.json()["value_minor"] == 1500
    wallet = balance(caller)
    assert (wallet["balance"], wallet["held"]) == (5, 15)
    url = f"/api/shops/{world.shop_b}/loyalty/holds/{held.json()['id']}/capture"
    assert caller("owner.a@test.tw").post(url).status_code == 403  # not shop B's staff
    captured = caller("owner.b@test.tw").post(url)
    assert captured.status_code == 200, captured.text
    assert captured.json()["status"] == "captured"
    again = caller("owner.b@test.tw").post(url)
    assert again.status_code == 409 and again.json()["error"]["code"] == "hold_finished"
    wallet = balance(caller)
    assert (wallet["balance"], wallet["held"]) == (5, 0)
    audit()


def test_a_retried_hold_with_the_same_key_holds_once(caller, world, payments, audit):
    _earn_20(payments, world)
    first = hold(caller, world.shop_b, 5, key="same-key")
    second = hold(caller, world.shop_b, 5, key="same-key")
    assert first.status_code == 201 and second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["id"] == second.json()["id"]
    assert balance(caller)["held"] == 5
    audit()


def test_refusals_record_nothing(caller, world, payments, db, audit):
    _earn_20(payments, world)
    before = audit().transactions
    too_much = hold(caller, world.shop_b, 21)
    assert too_much.status_code == 409
    assert too_much.json()["error"]["code"] == "insufficient_points"
    assert too_much.json()["error"]["details"]["problems"][0]["key"] == "points"
    zero = hold(caller, world.shop_b, 0)
    assert zero.status_code == 422

    async def suspend(session):  # type: ignore[no-untyped-def]
        await session.execute(
            sa.update(Shop).where(Shop.id == world.shop_b).values(status="suspended")
        )

    db(suspend)
    suspended = hold(caller, world.shop_b, 5)
    assert suspended.status_code == 409
    assert suspended.json()["error"]["code"] == "shop_not_accepting_points"
    wallet = balance(caller)
    assert (wallet["balance"], wallet["held"]) == (20, 0)
    assert audit().transactions == before


def test_an_expired_hold_cannot_be_captured_and_is_released(
    caller, world, payments, db, settings, audit
):
    _earn_20(payments, world)
    held = hold(caller, world.shop_b, 8).json()

    async def lapse(session):  # type: ignore[no-untyped-def]
        await session.execute(
            sa.update(LoyaltyHold)
            .where(LoyaltyHold.id == uuid.UUID(held["id"]))
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )

    db(lapse)
    url = f"/api/shops/{world.shop_b}/loyalty/holds/{held['id']}/capture"
    expired = caller("owner.b@test.tw").post(url)
    assert expired.status_code == 409 and expired.json()["error"]["code"] == "hold_expired"
    assert balance(caller)["held"] == 8  # refused, nothing changed

    from infra.db import create_engine, create_session_factory
    from payments.loyalty.tasks import run_daily
    from tests.conftest import run_async

    async def daily():  # type: ignore[no-untyped-def]
        engine = create_engine(settings.database, for_worker=True)
        try:
            return await run_daily(create_session_factory(engine), settings.loyalty)
        finally:
            await engine.dispose()

    assert run_async(daily)["holds_released"] == 1
    assert run_async(daily)["holds_released"] == 0
    wallet = balance(caller)
    assert (wallet["balance"], wallet["held"]) == (20, 0)
    audit()


def test_the_consumer_releases_and_a_cancelled_order_releases(caller, world, payments, audit):
    _earn_20(payments, world)
    mine = hold(caller, world.shop_b, 4).json()
    released = caller(CONSUMER).post(f"/api/me/loyalty/holds/{mine['id']}/release")
    assert released.status_code == 200 and released.json()["status"] == "released"
    order_id = str(uuid.uuid4())
    hold(caller, world.shop_b, 6, order_id=order_id)
    assert balance(caller)["held"] == 6
    payments.publish(
        "order.status_changed",
        {"order_id": order_id, "shop_id": str(world.shop_b), "from": "placed", "to": "cancelled"},
    )
    wallet = balance(caller)
    assert (wallet["balance"], wallet["held"]) == (20, 0)
    audit()


def test_payment_of_the_order_captures_its_hold(caller, world, payments, audit):
    _earn_20(payments, world)
    order_id = str(uuid.uuid4())
    hold(caller, world.shop_b, 10, order_id=order_id)
    # NT$200 order, NT$10 paid in points, NT$190 in money: points earn on the money only.
    payments.succeeded(world.shop_b, CONSUMER, 19000, order_id=order_id, points_redeemed=10)
    wallet = balance(caller)
    assert wallet["held"] == 0
    assert wallet["balance"] == 10 + 6 + 10  # left + base at B + first visit at B
    audit()


def test_counter_redemption_by_rotating_member_code(caller, world, payments, audit):
    _earn_20(payments, world)
    code = caller(CONSUMER).get("/api/me/loyalty/member-code").json()["code"]
    url = f"/api/shops/{world.shop_a}/loyalty/redeem"
    staff = caller("staff.a@test.tw")
    forged = code[:-1] + ("0" if code[-1] != "0" else "1")
    bad = staff.post(
        url, json={"member_code": forged, "points": 5}, headers={"Idempotency-Key": "k1"}
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_member_code"
    ok = staff.post(url, json={"member_code": code, "points": 5}, headers={"Idempotency-Key": "k2"})
    assert ok.status_code == 201, ok.text
    assert ok.json()["status"] == "captured"
    assert balance(caller)["balance"] == 15
    audit()
