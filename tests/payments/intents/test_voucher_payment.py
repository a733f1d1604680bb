"""Paying for a voucher: its price is the amount, and the real voucher handler activates it."""

from __future__ import annotations

from tests.merchant_api.vouchers.conftest import buy, create_offer
from tests.payments.intents.conftest import CONSUMER, OWNER, confirm, pay


def test_a_paid_voucher_becomes_active_through_payment_succeeded(caller, world, menu, outbox):  # type: ignore[no-untyped-def]
    offer = create_offer(caller(OWNER), world.shop_a)
    voucher = buy(caller(CONSUMER), offer["id"]).json()
    body = {"shop_id": str(world.shop_a), "method": "sandbox", "voucher_id": voucher["id"]}
    wrong = pay(caller(CONSUMER), {**body, "amount": voucher["price_minor"] - 1})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "amount_mismatch"
    payment = pay(caller(CONSUMER), {**body, "amount": voucher["price_minor"]}).json()
    assert payment["reference_type"] == "voucher"
    assert confirm(caller(None), payment["id"]).json()["state"] == "succeeded"
    outbox.relay.run_once()
    mine = caller(CONSUMER).get("/api/me/vouchers").json()["vouchers"]
    assert [(v["id"], v["status"]) for v in mine] == [(voucher["id"], "active")]
