"""Bad input is refused with a clear code and nothing written; Idempotency-Key replays the
first answer (also under 20 concurrent retries), refuses another body, and cancel is
idempotent too."""

from __future__ import annotations

import asyncio
import uuid

from infra.bootstrap.asgi import create_app
from tests.conftest import run_async
from tests.merchant_api.orders.conftest import signed_in_client
from tests.payments.intents.conftest import CONSUMER, OWNER, confirm, pay


def test_bad_input_is_refused_with_a_code_and_nothing_is_written(
    caller, world, order, count, settings
):  # type: ignore[no-untyped-def]
    consumer = caller(CONSUMER)
    shop = str(world.shop_a)
    cap = settings.payments.max_amount_minor
    total = order["total_minor"]
    keys_before = count("idempotency_keys")  # the order's own
    cases = [
        ({"amount": 0}, 422, "amount_invalid"),
        ({"amount": -500}, 422, "amount_invalid"),
        ({"amount": cap + 1}, 422, "amount_above_cap"),
        ({"currency": "USD"}, 422, "currency_not_supported"),
        ({"amount": "1000"}, 422, "validation_failed"),  # money is never text
        ({"method": "bitcoin"}, 422, "validation_failed"),
        ({"order_id": str(uuid.uuid4())}, 404, "reference_not_found"),
        ({"order_id": order["id"], "amount": total + 100}, 422, "amount_mismatch"),
        ({"order_id": order["id"], "shop_id": str(world.shop_c), "amount": total}, 404, None),
        ({"shop_id": str(uuid.uuid4())}, 404, "reference_not_found"),
        ({"points_redeemed": -1}, 422, "amount_invalid"),
    ]
    for change, status, code in cases:
        body = {"shop_id": shop, "amount": 1000, "method": "sandbox", **change}
        answer = pay(consumer, body)
        assert answer.status_code == status, (change, answer.text)
        if code:
            assert answer.json()["error"]["code"] == code, (change, answer.json())
        assert answer.json()["error"]["message"]
    assert (
        pay(consumer, {"shop_id": shop, "amount": 1000, "method": "sandbox"}, key=None).json()[
            "error"
        ]["code"]
        == "invalid_idempotency_key"
    )
    assert count("payment_intents") == 0
    assert count("payment_events") == 0
    assert count("idempotency_keys") == keys_before
    assert count("outbox_events", event_type="payment.succeeded") == 0


def test_same_key_same_body_replays_and_other_body_is_refused(caller, world, count):  # type: ignore[no-untyped-def]
    consumer = caller(CONSUMER)
    body = {"shop_id": str(world.shop_a), "amount": 25000, "method": "sandbox"}
    first = pay(consumer, body, key="k-1")
    assert first.status_code == 201, first.text
    again = pay(consumer, body, key="k-1")
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = pay(consumer, {**body, "amount": 26000}, key="k-1")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert count("payment_intents") == 1

    payment_id = first.json()["id"]
    cancel_url = f"/api/payments/{payment_id}/cancel"
    cancelled = consumer.post(cancel_url, headers={"Idempotency-Key": "c-1"})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    replay = consumer.post(cancel_url, headers={"Idempotency-Key": "c-1"})
    assert replay.json() == cancelled.json() and replay.headers["Idempotent-Replayed"] == "true"
    twice = consumer.post(cancel_url, headers={"Idempotency-Key": "c-2"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "payment_not_cancellable"
    # Another shop's owner cannot cancel it; a cancelled payment cannot be paid.
    assert (
        caller("owner.b@test.tw").post(cancel_url, headers={"Idempotency-Key": "c-3"}).status_code
        == 404
    )
    assert confirm(caller(None), payment_id).json()["state"] == "cancelled"
    assert count("payment_events") == 2  # created, cancelled
    assert count("outbox_events", event_type="payment.succeeded") == 0

    # A succeeded payment cannot be cancelled, only refunded.
    paid = pay(consumer, {**body, "amount": 1200}).json()
    assert confirm(caller(None), paid["id"]).json()["state"] == "succeeded"
    late = caller(OWNER).post(
        f"/api/payments/{paid['id']}/cancel", headers={"Idempotency-Key": "c-4"}
    )
    assert late.status_code == 409


def test_twenty_concurrent_retries_create_one_payment(settings, world, menu, count):  # type: ignore[no-untyped-def]
    app = create_app(settings)  # its own app: the async clients run on this test's loop
    body = {"shop_id": str(world.shop_a), "amount": 18000, "method": "twqr"}

    async def storm() -> list[tuple[int, str]]:
        client = await signed_in_client(app, CONSUMER)
        try:
            answers = await asyncio.gather(
                *[
                    client.post("/api/payments", json=body, headers={"Idempotency-Key": "storm"})
                    for _ in range(20)
                ]
            )
        finally:
            await client.aclose()
        return [(a.status_code, a.json().get("id", a.text)) for a in answers]

    answers = run_async(storm)
    assert {status for status, _ in answers} == {201}, answers
    assert len({payment_id for _, payment_id in answers}) == 1
    assert count("payment_intents") == 1
    assert count("payment_events") == 1
