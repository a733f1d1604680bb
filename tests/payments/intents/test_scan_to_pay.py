"""Scan → pay (sandbox wallet) → order paid, and refunds reflected on the order, through the
HTTP API and the production outbox handlers."""

from __future__ import annotations

from tests.payments.intents.conftest import CONSUMER, OWNER, STAFF, confirm, pay


def test_scan_pay_with_the_sandbox_marks_the_order_paid(
    caller, world, order, outbox, count, outbox_payloads
):  # type: ignore[no-untyped-def]
    anonymous = caller(None)
    body = {
        "shop_id": str(world.shop_a),
        "amount": order["total_minor"],
        "method": "sandbox",
        "order_id": order["id"],
    }
    created = pay(caller(CONSUMER), body)
    assert created.status_code == 201, created.text
    payment = created.json()
    assert payment["state"] == "requires_action"
    assert payment["reference_type"] == "order" and payment["reference_id"] == order["id"]
    assert payment["client_secret"] and payment["next_action_url"].endswith(payment["id"])

    # The anonymous scan-to-pay page reads it with the client secret (a header, not the URL).
    url = f"/api/payments/{payment['id']}"
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(url, headers={"X-Client-Secret": "wrong"}).status_code == 404
    seen = anonymous.get(url, headers={"X-Client-Secret": payment["client_secret"]})
    assert seen.status_code == 200 and "client_secret" not in {
        k for k, v in seen.json().items() if v
    }

    paid = confirm(anonymous, payment["id"], "succeed")
    assert paid.status_code == 200, paid.text
    assert paid.json()["state"] == "succeeded"
    assert paid.json()["amount_captured"] == order["total_minor"]
    # Pressing "pay" again changes nothing.
    assert confirm(anonymous, payment["id"], "succeed").json()["state"] == "succeeded"

    detail = caller(CONSUMER).get(url).json()
    assert [e["to_state"] for e in detail["events"]] == [
        "requires_action",
        "processing",
        "succeeded",
    ]
    assert count("provider_inbox") == 2
    [event] = outbox_payloads("payment.succeeded")
    assert event["order_id"] == order["id"] and event["amount"] == order["total_minor"]
    assert event["consumer_id"] == str(world.accounts[CONSUMER]) and event["paid_at"]

    assert caller(CONSUMER).get(f"/api/orders/{order['id']}").json()["paid"] is False
    outbox.relay.run_once()
    assert caller(CONSUMER).get(f"/api/orders/{order['id']}").json()["paid"] is True

    # A second payment for the paid order is refused.
    again = pay(caller(CONSUMER), body)
    assert again.status_code == 409 and again.json()["error"]["code"] == "reference_not_payable"

    # The shop's people and the consumer list it; other shops' people do not see it.
    listed = caller(OWNER).get(f"/api/shops/{world.shop_a}/payments").json()["payments"]
    assert [p["id"] for p in listed] == [payment["id"]]
    assert (
        caller("consultant.x@test.tw").get(f"/api/shops/{world.shop_a}/payments").status_code == 200
    )
    assert caller("owner.b@test.tw").get(f"/api/shops/{world.shop_a}/payments").status_code == 403
    assert caller("owner.b@test.tw").get(url).status_code == 404
    mine = caller(CONSUMER).get("/api/me/payments").json()["payments"]
    assert [p["id"] for p in mine] == [payment["id"]]


def test_refunds_partial_then_full_never_above_captured_and_reflected_on_the_order(
    caller, world, order, outbox, outbox_payloads
):  # type: ignore[no-untyped-def]
    total = order["total_minor"]
    body = {
        "shop_id": str(world.shop_a),
        "amount": total,
        "method": "sandbox",
        "order_id": order["id"],
    }
    payment = pay(caller(CONSUMER), body).json()
    confirm(caller(None), payment["id"])
    outbox.relay.run_once()
    refunds = f"/api/payments/{payment['id']}/refunds"

    def refund(who: str, amount: int | None, key: str):  # type: ignore[no-untyped-def]
        return caller(who).post(refunds, json={"amount": amount}, headers={"Idempotency-Key": key})

    assert refund(STAFF, 1000, "r-staff").status_code == 403
    assert refund(CONSUMER, 1000, "r-consumer").status_code == 403
    first = refund(OWNER, 1000, "r1")
    assert first.status_code == 201, first.text
    assert first.json()["payment"]["state"] == "partially_refunded"
    assert first.json()["payment"]["refundable"] == total - 1000
    replay = refund(OWNER, 1000, "r1")
    assert replay.json() == first.json() and replay.headers["Idempotent-Replayed"] == "true"
    assert refund(OWNER, 2000, "r1").status_code == 422  # same key, another body

    too_much = refund(OWNER, total, "r2")
    assert too_much.status_code == 422
    assert too_much.json()["error"]["code"] == "refund_exceeds_captured"
    assert refund(OWNER, 0, "r0").json()["error"]["code"] == "refund_exceeds_captured"

    # A partial refund leaves the order alone.
    outbox.relay.run_once()
    assert caller(CONSUMER).get(f"/api/orders/{order['id']}").json()["status"] == "placed"

    rest = refund(OWNER, None, "r3")
    assert rest.status_code == 201, rest.text
    assert rest.json()["refund"]["amount"] == total - 1000
    assert rest.json()["payment"]["state"] == "refunded"
    assert rest.json()["payment"]["amount_refunded"] == total
    after = refund(OWNER, 1, "r4")
    assert after.status_code == 409 and after.json()["error"]["code"] == "payment_not_refundable"

    events = outbox_payloads("payment.refunded")
    assert [(e["refund_amount"], e["amount_refunded"]) for e in events] == [
        (1000, 1000),
        (total - 1000, total),
    ]
    outbox.relay.run_once()
    assert caller(CONSUMER).get(f"/api/orders/{order['id']}").json()["status"] == "refunded"


def test_a_dynamic_payment_link_fixes_the_amount_and_pays_once(caller, world):  # type: ignore[no-untyped-def]
    issued = caller(OWNER).post(
        f"/api/shops/{world.shop_a}/payment-links",
        json={"amount_minor": 5500, "order_reference": "T12-0042"},
    )
    assert issued.status_code in (200, 201), issued.text
    token = issued.json()["token"]
    anonymous = caller(None)
    body = {"shop_id": str(world.shop_a), "method": "sandbox", "link_token": token}
    wrong = pay(anonymous, {**body, "amount": 5000})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "amount_mismatch"
    other_shop = pay(anonymous, {**body, "amount": 5500, "shop_id": str(world.shop_c)})
    assert other_shop.status_code == 422
    paid = pay(anonymous, {**body, "amount": 5500})
    assert paid.status_code == 201, paid.text
    assert pay(anonymous, {**body, "amount": 5500}).json()["error"]["code"] == "payment_link_used"
    # The anonymous payer reads the payment with its client secret; nobody else can.
    secret = {"X-Client-Secret": paid.json()["client_secret"]}
    assert anonymous.get(f"/api/payments/{paid.json()['id']}", headers=secret).status_code == 200
