"""The whole flow with localstripe: a table QR order, the shop's dynamic payment link, the
consumer scans it and pays by card, Stripe's webhook arrives (twice), the order is paid once."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
import stripe

from merchant_api.catalog.models import Listing
from tests.payments.stripe.conftest import SECRET_KEY
from tests.payments.stripe.support import (
    consumer_pays,
    counts,
    deliver,
    relay_outbox,
    start_payment,
)
from tests.support.passwords import use_cheap_hashing

pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=:DeprecationWarning")


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cheap_hashing(monkeypatch)


def millet(db, shop_id: uuid.UUID) -> uuid.UUID:  # type: ignore[no-untyped-def]
    async def find(session):  # type: ignore[no-untyped-def]
        return await session.scalar(sa.select(Listing.id).where(Listing.shop_id == shop_id))

    return db(find)


def test_scan_pay_and_the_order_is_paid_exactly_once(
    caller, client, db, settings, world, localstripe, webhook_recorder
):  # type: ignore[no-untyped-def]
    consumer, owner = caller("consumer@test.tw"), caller("owner.a@test.tw")
    placed = consumer.post(
        f"/api/shops/{world.shop_a}/orders",
        json={
            "channel": "table_qr",
            "table": "3",
            "lines": [{"listing_id": str(millet(db, world.shop_a)), "quantity": 2}],
        },
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["total_minor"] == 36000 and order["paid"] is False

    # The shop shows a dynamic QR for this order; the consumer's phone scans it.
    link = owner.post(
        f"/api/shops/{world.shop_a}/payment-links/",
        json={"amount_minor": 36000, "order_reference": str(order["number"])},
    )
    assert link.status_code == 201, link.text
    token = link.json()["token"]
    scanned = consumer.get(f"/api/payment-links/{token}")
    assert scanned.status_code == 200
    assert scanned.json()["amount_minor"] == 36000

    paying = consumer.post(
        "/api/payments",
        json={
            "shop_id": str(world.shop_a),
            "amount": 36000,
            "method": "card",
            "order_id": order["id"],
            "link_token": token,
        },
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert paying.status_code == 201, paying.text
    payment = paying.json()
    intent_id = payment["provider_client_secret"].split("_secret_")[0]

    consumer_pays(localstripe.url, intent_id)
    succeeded = webhook_recorder.wait_for("payment_intent.succeeded", intent_id)
    assert deliver(client, succeeded).status_code == 200
    relay_outbox(settings)
    assert deliver(client, succeeded).json()["duplicate"] is True  # Stripe retried
    relay_outbox(settings)

    seen = consumer.get(f"/api/payments/{payment['id']}")
    assert seen.status_code == 200
    assert seen.json()["state"] == "succeeded"
    assert consumer.get(f"/api/orders/{order['id']}").json()["paid"] is True
    found = counts(db, payment["id"])
    assert found["outbox:payment.succeeded"] == 1
    assert found["provider_updates"] == 1
    # A second payment for the paid order is refused.
    again = consumer.post(
        "/api/payments",
        json={
            "shop_id": str(world.shop_a),
            "amount": 36000,
            "method": "card",
            "order_id": order["id"],
        },
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert again.status_code in (409, 422), again.text


def test_the_owner_refunds_part_of_a_stripe_payment_once(
    caller, client, db, settings, world, localstripe, webhook_recorder
):  # type: ignore[no-untyped-def]
    payment_id, intent_id = start_payment(client, world.shop_a, amount=50000)
    consumer_pays(localstripe.url, intent_id)
    deliver(client, webhook_recorder.wait_for("payment_intent.succeeded", intent_id))
    relay_outbox(settings)

    owner = caller("owner.a@test.tw")
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = owner.post(f"/api/payments/{payment_id}/refunds", json={"amount": 20000}, headers=key)
    assert first.status_code == 201, first.text
    assert first.json()["payment"]["state"] == "partially_refunded"
    retried = owner.post(f"/api/payments/{payment_id}/refunds", json={"amount": 20000}, headers=key)
    assert retried.status_code == 201 and retried.json() == first.json()

    stripe_client = stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe.url})
    charge = stripe_client.v1.payment_intents.retrieve(intent_id).latest_charge
    assert charge["amount_refunded"] == 20000
    assert len(charge["refunds"]["data"]) == 1
    assert counts(db, payment_id)["outbox:payment.refunded"] == 1
