"""At the counter a voucher is redeemed once, in its own shop, while valid; unused paid vouchers
can be refunded (by the consumer before expiry, by the shop at any time)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa

from infra.db import utcnow
from merchant_api.vouchers.models import Voucher, VoucherOffer
from tests.merchant_api.vouchers.conftest import OTHER_CONSUMER, buy


def _redeem(caller, shop_id, code: str):  # type: ignore[no-untyped-def]
    return caller.post(f"/api/shops/{shop_id}/vouchers/redeem", json={"code": code})


def _expire(db, voucher_id: str) -> None:  # type: ignore[no-untyped-def]
    async def go(session):  # type: ignore[no-untyped-def]
        await session.execute(
            sa.update(Voucher)
            .where(Voucher.id == uuid.UUID(voucher_id))
            .values(valid_until=utcnow() - timedelta(minutes=1))
        )

    db(go)


def _code(caller, voucher_id: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    mine = caller("consumer@test.tw").get("/api/me/vouchers").json()["vouchers"]
    return next(v for v in mine if v["id"] == voucher_id)


def test_staff_redeem_once_by_typed_code_or_scanned_qr(caller, world, paid_voucher, events):  # type: ignore[no-untyped-def]
    staff = caller("staff.a@test.tw")
    typed = paid_voucher["code_display"].lower().replace("-", " - ")

    redeemed = _redeem(staff, world.shop_a, typed)
    again = _redeem(caller("owner.a@test.tw"), world.shop_a, paid_voucher["qr_payload"])

    assert redeemed.status_code == 200, redeemed.text
    assert redeemed.json()["status"] == "redeemed" and redeemed.json()["code"] == ""
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "voucher_already_redeemed"
    assert _code(caller, paid_voucher["id"])["status"] == "redeemed"
    assert [e["voucher_id"] for e in events("voucher.redeemed")] == [paid_voucher["id"]]
    assert events("voucher.redeemed")[0]["redeemed_by_account_id"] == str(
        world.accounts["staff.a@test.tw"]
    )


def test_redemption_refuses_other_shops_unpaid_expired_and_outsiders(  # type: ignore[no-untyped-def]
    caller, world, offer, paid_voucher, db
):
    code = paid_voucher["code"]
    other_shop = _redeem(caller("owner.b@test.tw"), world.shop_b, code)
    assert other_shop.status_code == 404
    assert other_shop.json()["error"]["code"] == "voucher_not_found"
    # Shop A's people cannot redeem it through shop B either (the guard stops them).
    assert _redeem(caller("owner.a@test.tw"), world.shop_b, code).status_code == 403
    for email in ("consumer@test.tw", "consultant.x@test.tw"):
        assert _redeem(caller(email), world.shop_a, code).status_code == 403, email
    unknown = _redeem(caller("staff.a@test.tw"), world.shop_a, "NOPE-NOPE-NOPE-NOPE")
    assert unknown.json()["error"]["code"] == "voucher_not_found"

    unpaid = buy(caller("consumer@test.tw"), offer["id"]).json()
    refused = _redeem(caller("staff.a@test.tw"), world.shop_a, unpaid["code"])
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "voucher_not_paid"

    _expire(db, paid_voucher["id"])
    expired = _redeem(caller("staff.a@test.tw"), world.shop_a, code)
    assert expired.status_code == 409 and expired.json()["error"]["code"] == "voucher_expired"
    assert _code(caller, paid_voucher["id"])["status"] == "active"


def test_consumer_refunds_an_unused_voucher_once(  # type: ignore[no-untyped-def]
    caller, world, offer, paid_voucher, events, db
):
    url = f"/api/me/vouchers/{paid_voucher['id']}/refund"
    assert caller(OTHER_CONSUMER).post(url).status_code == 404

    refunded = caller("consumer@test.tw").post(url)
    again = caller("consumer@test.tw").post(url)

    assert refunded.status_code == 200 and refunded.json()["status"] == "refund_requested"
    assert again.status_code == 409 and again.json()["error"]["code"] == "voucher_not_refundable"
    requested = events("voucher.refund_requested")
    assert [(e["voucher_id"], e["requested_by"]) for e in requested] == [
        (paid_voucher["id"], "consumer")
    ]
    assert requested[0]["price_minor"] == 25000
    # The unit is back on sale, and a refunded voucher cannot be redeemed.
    sold = db(lambda s: s.scalar(sa.select(VoucherOffer.sold_count)))
    assert sold == 0
    at_counter = _redeem(caller("staff.a@test.tw"), world.shop_a, paid_voucher["code"])
    assert at_counter.status_code == 409


def test_refund_rules_for_used_expired_and_shop_refunds(  # type: ignore[no-untyped-def]
    caller, world, offer, paid_voucher, pay, events, db
):
    consumer = caller("consumer@test.tw")
    second = buy(consumer, offer["id"]).json()
    pay(second["id"])
    _redeem(caller("staff.a@test.tw"), world.shop_a, second["code"])
    used = consumer.post(f"/api/me/vouchers/{second['id']}/refund")
    assert used.status_code == 409 and used.json()["error"]["code"] == "voucher_already_redeemed"

    _expire(db, paid_voucher["id"])
    late = consumer.post(f"/api/me/vouchers/{paid_voucher['id']}/refund")
    assert late.status_code == 409 and late.json()["error"]["code"] == "voucher_expired"
    shop_url = f"/api/shops/{world.shop_a}/vouchers/{paid_voucher['id']}/refund"
    assert caller("owner.b@test.tw").post(shop_url).status_code == 403
    wrong_shop = caller("owner.b@test.tw").post(
        f"/api/shops/{world.shop_b}/vouchers/{paid_voucher['id']}/refund"
    )
    assert wrong_shop.status_code == 404
    by_shop = caller("owner.a@test.tw").post(shop_url)
    assert by_shop.status_code == 200 and by_shop.json()["status"] == "refund_requested"
    assert events("voucher.refund_requested")[-1]["requested_by"] == "shop"

    # Payments returns the money and says so; the voucher is then refunded, once.
    pay(paid_voucher["id"], event_type="payment.refunded")
    listed = caller("owner.a@test.tw").get(f"/api/shops/{world.shop_a}/vouchers").json()
    statuses = {v["id"]: v["status"] for v in listed["vouchers"]}
    assert statuses == {paid_voucher["id"]: "refunded", second["id"]: "redeemed"}
    assert all(v["code"] == "" for v in listed["vouchers"])
