"""Offers are validated and only the shop's people make them; buying is idempotent and waits for
payment; payments' `payment.succeeded` activates a voucher exactly once."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from infra.outbox.models import HandledEvent
from merchant_api.vouchers.models import Voucher, VoucherOffer
from tests.merchant_api.vouchers.conftest import OTHER_CONSUMER, buy, create_offer, offer_body


def _problem_keys(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {problem["key"] for problem in response.json()["error"]["details"]["problems"]}


def test_offers_are_validated_naming_the_field(caller, world, menu, db):  # type: ignore[no-untyped-def]
    owner = caller("owner.a@test.tw")
    url = f"/api/shops/{world.shop_a}/voucher-offers"
    cases = {
        "price_minor": offer_body(price_minor=35000),  # above the face value
        "face_value_minor": offer_body(face_value_minor=0, price_minor=1),
        "title.zh-Hant-TW": offer_body(title={"en": "Only English"}),
        "valid_until": offer_body(valid_until=offer_body()["valid_from"]),
        "quantity_limit": offer_body(quantity_limit=0),
    }
    for key, body in cases.items():
        response = owner.post(url, json=body)
        assert response.status_code == 422, (key, response.text)
        assert key in _problem_keys(response), (key, response.text)
    # Prices as text are refused, not converted.
    assert owner.post(url, json=offer_body(price_minor="25000")).status_code == 422
    naive = offer_body(valid_from="2030-01-01T00:00:00")
    assert owner.post(url, json=naive).status_code == 422
    assert db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(VoucherOffer))) == 0


def test_only_the_shops_people_offer_and_everyone_sees_offers_on_sale(caller, world, menu):  # type: ignore[no-untyped-def]
    url = f"/api/shops/{world.shop_a}/voucher-offers"
    for email in ("consumer@test.tw", "owner.b@test.tw", "consultant.x@test.tw"):
        assert caller(email).post(url, json=offer_body()).status_code == 403, email
    assert caller(None).post(url, json=offer_body()).status_code == 401

    offer = create_offer(caller("staff.a@test.tw"), world.shop_a, quantity_limit=10)
    create_offer(caller("owner.a@test.tw"), world.shop_a, is_active=False)
    assert (offer["price_minor"], offer["face_value_minor"], offer["remaining"]) == (
        25000,
        30000,
        10,
    )
    listed = caller(None).get(f"{url}?lang=en").json()["offers"]
    assert [(o["id"], o["title"]) for o in listed] == [(offer["id"], "Millet set for two")]
    everything = caller("owner.a@test.tw").get(f"{url}/all").json()["offers"]
    assert len(everything) == 2

    switched = caller("owner.a@test.tw").patch(f"{url}/{offer['id']}", json={"is_active": False})
    assert switched.status_code == 200 and switched.json()["is_active"] is False
    assert caller(None).get(url).json()["offers"] == []
    too_low = caller("owner.a@test.tw").patch(f"{url}/{offer['id']}", json={"price_minor": 40000})
    assert too_low.status_code == 422 and "price_minor" in _problem_keys(too_low)
    other_shop = caller("owner.b@test.tw").patch(
        f"/api/shops/{world.shop_b}/voucher-offers/{offer['id']}", json={"is_active": True}
    )
    assert other_shop.status_code == 404
    assert other_shop.json()["error"]["code"] == "voucher_offer_not_found"


def test_purchase_is_idempotent_and_waits_for_payment(caller, offer, events, db):  # type: ignore[no-untyped-def]
    consumer = caller("consumer@test.tw")
    first = buy(consumer, offer["id"], key="buy-1")
    again = buy(consumer, offer["id"], key="buy-1")

    assert first.status_code == 201 and again.status_code == 201
    voucher = first.json()
    assert again.json() == voucher and again.headers["Idempotent-Replayed"] == "true"
    assert voucher["status"] == "pending_payment"
    assert (voucher["price_minor"], voucher["face_value_minor"]) == (25000, 30000)
    assert len(voucher["code"]) == 16 and voucher["code"] in voucher["qr_payload"]
    assert db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(Voucher))) == 1
    assert events("voucher.purchased") == []  # not a sale until it is paid

    assert buy(consumer, offer["id"], key=None).status_code == 400
    assert buy(caller("owner.a@test.tw"), offer["id"]).status_code == 403
    assert buy(caller(None), offer["id"]).status_code == 401
    mine = consumer.get("/api/me/vouchers").json()["vouchers"]
    assert [v["id"] for v in mine] == [voucher["id"]]
    assert consumer.get(f"/api/me/vouchers/{voucher['id']}").json() == voucher
    hidden = caller(OTHER_CONSUMER).get(f"/api/me/vouchers/{voucher['id']}")
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "voucher_not_found"
    assert caller(OTHER_CONSUMER).get("/api/me/vouchers").json()["vouchers"] == []


def test_offers_not_on_sale_and_per_consumer_limits_are_refused(caller, world, menu):  # type: ignore[no-untyped-def]
    owner, consumer = caller("owner.a@test.tw"), caller("consumer@test.tw")
    later = offer_body()["valid_until"]
    future = create_offer(owner, world.shop_a, valid_from=later, valid_until="2100-01-01T00:00:00Z")
    off = create_offer(owner, world.shop_a, is_active=False)
    for offer in (future, off):
        refused = buy(consumer, offer["id"])
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "voucher_offer_unavailable"

    one_each = create_offer(owner, world.shop_a, per_consumer_limit=1)
    assert buy(consumer, one_each["id"]).status_code == 201
    second = buy(consumer, one_each["id"])
    assert second.status_code == 409 and second.json()["error"]["code"] == "voucher_limit_reached"
    assert buy(caller(OTHER_CONSUMER), one_each["id"]).status_code == 201


def test_payment_succeeded_activates_the_voucher_exactly_once(  # type: ignore[no-untyped-def]
    caller, offer, pay, outbox, events, db
):
    voucher = buy(caller("consumer@test.tw"), offer["id"]).json()
    event_id = pay(voucher["id"])
    # The same event again (a redelivery), and a second event for the same voucher.
    again = outbox.deliver.apply(args=(str(event_id),)).get()
    pay(voucher["id"])
    # Events about other things are not for vouchers.
    pay(voucher["id"], event_type="payment.ignored")

    # Other packages handle payment.succeeded too (orders, loyalty); the voucher's ran once.
    assert "merchant_api.vouchers.activate" in again["already_handled"]
    mine = caller("consumer@test.tw").get("/api/me/vouchers").json()["vouchers"]
    assert mine[0]["status"] == "active" and mine[0]["activated_at"] is not None
    stored = db(lambda s: s.get(Voucher, uuid.UUID(voucher["id"])))
    assert stored.activated_by_event_id == event_id
    purchased = events("voucher.purchased")
    assert [p["voucher_id"] for p in purchased] == [voucher["id"]]
    assert purchased[0]["shop_id"] == offer["shop_id"] and purchased[0]["price_minor"] == 25000
    handled = db(
        lambda s: s.scalar(
            sa.select(sa.func.count())
            .select_from(HandledEvent)
            .where(
                HandledEvent.event_id == event_id,
                HandledEvent.handler == "merchant_api.vouchers.activate",
            )
        )
    )
    assert handled == 1
