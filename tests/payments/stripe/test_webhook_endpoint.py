"""POST /api/payments/webhooks/stripe: refused deliveries leave nothing behind; accepted ones
are stored once in the inbox and processed by the outbox task, even when unknown."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from litestar.testing import TestClient

from infra.settings import StripeSettings
from payments.webhooks.signature import sign
from tests.payments.stripe.conftest import WEBHOOK_SECRET
from tests.payments.stripe.localstripe_peer import Delivery
from tests.payments.stripe.support import (
    WEBHOOK_PATH,
    counts,
    deliver,
    intent_event,
    relay_outbox,
    signed,
)

RECEIVED = "outbox:payments.stripe_webhook_received"


def customer_event() -> dict:  # type: ignore[type-arg]
    return intent_event("customer.created", {"id": "cus_1", "object": "customer"})


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "webhook_signature_missing"),
        ({"Stripe-Signature": "t=abc"}, "webhook_signature_malformed"),
        ({"Stripe-Signature": f"t={int(time.time())},v1={'0' * 64}"}, "webhook_signature_invalid"),
    ],
)
def test_unsigned_or_badly_signed_deliveries_are_refused_and_not_stored(client, db, headers, code):  # type: ignore[no-untyped-def]
    response = client.post(WEBHOOK_PATH, content=b'{"id": "evt_x", "type": "x"}', headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert counts(db)["inbox"] == 0


def test_another_secret_or_a_changed_body_is_an_invalid_signature(client, db):  # type: ignore[no-untyped-def]
    forged = signed(customer_event(), secret="whsec_someone_else")
    assert deliver(client, forged).json()["error"]["code"] == "webhook_signature_invalid"
    genuine = signed(customer_event())
    tampered = type(genuine)(genuine.body.replace(b"customer", b"kustomer"), genuine.headers)
    assert deliver(client, tampered).json()["error"]["code"] == "webhook_signature_invalid"
    assert counts(db)["inbox"] == 0


def test_a_stale_delivery_is_refused_as_a_possible_replay(client, db):  # type: ignore[no-untyped-def]
    old = signed(customer_event(), at=int(time.time()) - 301)
    response = deliver(client, old)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "webhook_timestamp_stale"
    assert counts(db)["inbox"] == 0


def test_a_signed_body_that_is_no_event_is_refused(client, db):  # type: ignore[no-untyped-def]
    for body in (b"not json", b"[1, 2]", b'{"id": "nope", "type": "x"}'):
        header = sign(WEBHOOK_SECRET, int(time.time()), body)
        response = deliver(client, Delivery(body, {"Stripe-Signature": header}))
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "webhook_payload_invalid"
    assert counts(db)["inbox"] == 0


def test_an_unknown_event_type_is_stored_once_and_marked_handled_as_ignored(client, db, settings):  # type: ignore[no-untyped-def]
    delivery = signed(customer_event())
    first = deliver(client, delivery)
    assert first.status_code == 200
    assert first.json()["duplicate"] is False
    replay = deliver(client, delivery)
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    assert counts(db) == {"inbox": 1, "inbox_unhandled": 1, RECEIVED: 1}
    assert relay_outbox(settings) == 1
    assert counts(db) == {"inbox": 1, "inbox_unhandled": 0, RECEIVED: 1}
    # A late redelivery after processing is still only a 2xx.
    assert deliver(client, delivery).json()["duplicate"] is True
    assert relay_outbox(settings) == 0


def test_without_a_signing_secret_nothing_is_trusted(settings, db):  # type: ignore[no-untyped-def]
    from infra.bootstrap.asgi import create_app

    unconfigured = settings.model_copy(
        update={"stripe": StripeSettings(secret_key="sk_test_x", webhook_secret="")}
    )
    with TestClient(app=create_app(unconfigured)) as client:
        response = deliver(client, signed(customer_event(), secret="anything"))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "webhook_not_configured"
    assert counts(db)["inbox"] == 0


def test_concurrent_deliveries_of_one_event_store_it_once(app, db, settings):  # type: ignore[no-untyped-def]
    """Stripe retrying while the first delivery is still in flight: one wins, all get 2xx."""
    delivery = signed(customer_event())

    async def deliver_five():  # type: ignore[no-untyped-def]
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test.local") as http:
            return await asyncio.gather(
                *(
                    http.post(
                        WEBHOOK_PATH,
                        content=delivery.body,
                        headers={"Stripe-Signature": delivery.headers["Stripe-Signature"]},
                    )
                    for _ in range(5)
                )
            )

    answers = asyncio.run(deliver_five())
    assert [answer.status_code for answer in answers] == [200] * 5
    assert sorted(answer.json()["duplicate"] for answer in answers) == [False] + [True] * 4
    assert counts(db) == {"inbox": 1, "inbox_unhandled": 1, RECEIVED: 1}


def test_a_refund_event_is_kept_and_handled_without_touching_payments(client, db, settings):  # type: ignore[no-untyped-def]
    refunded = intent_event("charge.refunded", {"id": "ch_1", "object": "charge"})
    assert deliver(client, signed(refunded)).status_code == 200
    relay_outbox(settings)
    found = counts(db)
    assert (found["inbox"], found["inbox_unhandled"]) == (1, 0)
    assert "outbox:payment.refunded" not in found
