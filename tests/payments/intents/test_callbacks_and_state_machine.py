"""Signed wallet callbacks: tampering refused, duplicated and reordered confirmations change
nothing twice, the state machine refuses backward moves; TWQR and EMVCo payloads."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from payments.callbacks.signature import sign
from payments.intents.config import derived_secret
from payments.providers.emvco import parse_payload
from payments.providers.twqr import parse_uri
from tests.payments.intents.conftest import CONSUMER, confirm, pay


def _callback(payment: dict, status: str, txn: str, amount: int | None = None) -> bytes:  # type: ignore[type-arg]
    order_no = parse_uri(payment["qr_payload"]).order_no
    return json.dumps(
        {
            "transaction_id": txn,
            "order_no": order_no,
            "status": status,
            "amount": payment["amount"] if amount is None else amount,
            "occurred_at": datetime.now(UTC).isoformat(),
        }
    ).encode()


def test_twqr_callbacks_exactly_once_under_duplicates_reordering_and_tampering(
    caller, world, settings, count, outbox, outbox_payloads
):  # type: ignore[no-untyped-def]
    anonymous = caller(None)
    created = pay(
        caller(CONSUMER), {"shop_id": str(world.shop_a), "amount": 12000, "method": "twqr"}
    )
    assert created.status_code == 201, created.text
    payment = created.json()
    twqr = parse_uri(payment["qr_payload"])
    assert twqr.amount_minor == 12000 and twqr.acquirer_code == settings.payments.twqr_acquirer_code
    secret = derived_secret(
        settings.payments.twqr_callback_secret, settings.auth.secret_key, "twqr-callback"
    )

    def send(body: bytes, signature: str | None = None):  # type: ignore[no-untyped-def]
        headers = {
            "Content-Type": "application/json",
            "X-Signature": signature or sign(secret, body),
        }
        return anonymous.post("/api/payments/callbacks/twqr", content=body, headers=headers)

    succeeded = _callback(payment, "succeeded", "T-1")
    # Tampered: the amount changed after signing; another secret; no signature at all.
    forged = succeeded.replace(b"12000", b"12")
    assert send(forged, sign(secret, succeeded)).status_code == 401
    assert send(succeeded, sign(b"not-the-secret", succeeded)).status_code == 401
    unsigned = anonymous.post("/api/payments/callbacks/twqr", content=succeeded)
    assert unsigned.status_code == 401 and unsigned.json()["error"]["code"] == "signature_invalid"
    assert count("provider_inbox") == 0

    first = send(succeeded)
    assert first.status_code == 200 and first.json() == {"received": True, "duplicate": False}
    # Stored and answered at once: the payment changes when the task runs.
    url = f"/api/payments/{payment['id']}"
    assert caller(CONSUMER).get(url).json()["state"] == "requires_action"
    assert send(succeeded).json()["duplicate"] is True  # the acquirer retried
    outbox.relay.run_once()
    # Reordered: a processing callback and a failure arrive after the success.
    assert send(_callback(payment, "processing", "T-1")).json()["duplicate"] is False
    assert send(_callback(payment, "failed", "T-2")).json()["duplicate"] is False
    outbox.relay.run_once()

    seen = caller(CONSUMER).get(f"/api/payments/{payment['id']}").json()
    assert seen["state"] == "succeeded" and seen["amount_captured"] == 12000
    assert [e["to_state"] for e in seen["events"]] == ["requires_action", "succeeded"]
    assert len(outbox_payloads("payment.succeeded")) == 1
    assert count("outbox_events", event_type="payment.failed") == 0
    assert count("provider_inbox") == 3  # each distinct delivery stored once


def test_state_machine_moves_and_short_payments(caller, world, settings, count, outbox):  # type: ignore[no-untyped-def]
    consumer, wallet = caller(CONSUMER), caller(None)
    shop = str(world.shop_a)

    failed = pay(consumer, {"shop_id": shop, "amount": 5000, "method": "sandbox"}).json()
    assert confirm(wallet, failed["id"], "fail").json()["state"] == "failed"
    detail = consumer.get(f"/api/payments/{failed['id']}").json()
    assert [e["to_state"] for e in detail["events"]] == ["requires_action", "processing", "failed"]
    assert detail["failure_code"] == "card_declined"
    refund = caller("owner.a@test.tw").post(
        f"/api/payments/{failed['id']}/refunds", json={}, headers={"Idempotency-Key": "x"}
    )
    assert refund.status_code == 409

    delayed = pay(consumer, {"shop_id": shop, "amount": 5000, "method": "sandbox"}).json()
    assert confirm(wallet, delayed["id"], "delay").json()["state"] == "processing"
    cancel = consumer.post(
        f"/api/payments/{delayed['id']}/cancel", headers={"Idempotency-Key": "d"}
    )
    assert cancel.status_code == 409  # money may be on its way

    # A wallet that paid less than the QR code asked for did not pay it.
    short = pay(consumer, {"shop_id": shop, "amount": 9900, "method": "twqr"}).json()
    secret = derived_secret("", settings.auth.secret_key, "twqr-callback")
    body = _callback(short, "succeeded", "T-9", amount=100)
    answer = wallet.post(
        "/api/payments/callbacks/twqr",
        content=body,
        headers={"X-Signature": sign(secret, body), "Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    outbox.relay.run_once()
    short_seen = consumer.get(f"/api/payments/{short['id']}").json()
    assert short_seen["state"] == "failed" and short_seen["failure_code"] == "amount_mismatch"
    assert count("outbox_events", event_type="payment.succeeded") == 0


def test_emvco_wallets_get_a_dynamic_payload_for_the_amount(caller, world):  # type: ignore[no-untyped-def]
    for method in ("vietqr", "promptpay", "qris"):
        created = pay(
            caller(CONSUMER), {"shop_id": str(world.shop_a), "amount": 34500, "method": method}
        )
        assert created.status_code == 201, created.text
        qr = parse_payload(created.json()["qr_payload"])
        assert qr.initiation == "dynamic" and qr.amount_minor == 34500
        assert qr.currency.alpha == "TWD" and qr.merchant_name == "Millet Workshop"
