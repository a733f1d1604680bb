"""Helpers for the webhook tests: sign and deliver events, run the outbox, count effects."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
import stripe

from infra.bootstrap.worker import build_worker
from infra.outbox.models import OutboxEvent
from infra.settings import Settings
from payments.inbox.models import ProviderInboxEntry
from payments.intents.models import PaymentEvent, PaymentIntent
from payments.webhooks.signature import sign
from tests.payments.stripe.conftest import SECRET_KEY, WEBHOOK_SECRET
from tests.payments.stripe.localstripe_peer import Delivery

WEBHOOK_PATH = "/api/payments/webhooks/stripe"
TOKEN = "/api/shops/{}/stripe-terminal/connection-token"


def account_path(shop_id: uuid.UUID) -> str:
    return f"/api/shops/{shop_id}/stripe-account/"


def signed(
    event: dict[str, Any], *, at: int | None = None, secret: str = WEBHOOK_SECRET
) -> Delivery:
    """A delivery as Stripe would make it, for events localstripe never sends."""
    body = json.dumps(event).encode()
    header = sign(secret, int(time.time()) if at is None else at, body)
    return Delivery(body, {"Content-Type": "application/json", "Stripe-Signature": header})


def intent_event(
    event_type: str, intent: dict[str, Any], *, created: int | None = None
) -> dict[str, Any]:
    return {
        "id": f"evt_{uuid.uuid4().hex[:20]}",
        "object": "event",
        "type": event_type,
        "created": created or int(time.time()),
        "data": {"object": intent},
    }


def deliver(client, delivery: Delivery):  # type: ignore[no-untyped-def]
    """Post the exact bytes and signature header, as the sender did."""
    headers = {
        name: value
        for name, value in delivery.headers.items()
        if name.lower() in ("content-type", "stripe-signature")
    }
    return client.post(WEBHOOK_PATH, content=delivery.body, headers=headers)


def relay_outbox(settings: Settings) -> int:
    """Hand every committed outbox event to its handlers, in process, until none is left."""
    relay = build_worker(settings).outbox.relay
    total = 0
    for _ in range(10):
        relayed = relay.run_once().relayed
        if not relayed:
            return total
        total += relayed
    return total


def counts(db: Callable[..., Any], payment_id: str | None = None) -> dict[str, int]:  # type: ignore[type-arg]
    """Inbox rows, unhandled inbox rows, outbox rows by type, payment events of a payment."""

    async def read(session):  # type: ignore[no-untyped-def]
        found: dict[str, int] = {
            "inbox": await session.scalar(
                sa.select(sa.func.count()).select_from(ProviderInboxEntry)
            ),
            "inbox_unhandled": await session.scalar(
                sa.select(sa.func.count())
                .select_from(ProviderInboxEntry)
                .where(ProviderInboxEntry.handled_at.is_(None))
            ),
        }
        rows = await session.execute(
            sa.select(OutboxEvent.event_type, sa.func.count()).group_by(OutboxEvent.event_type)
        )
        found.update({f"outbox:{kind}": n for kind, n in rows})
        if payment_id is not None:
            found["provider_updates"] = await session.scalar(
                sa.select(sa.func.count())
                .select_from(PaymentEvent)
                .where(
                    PaymentEvent.payment_id == uuid.UUID(payment_id),
                    PaymentEvent.kind == "provider_update",
                )
            )
        return found

    return db(read)


def payment_row(db: Callable[..., Any], payment_id: str) -> PaymentIntent:  # type: ignore[type-arg]
    async def read(session):  # type: ignore[no-untyped-def]
        return await session.get(PaymentIntent, uuid.UUID(payment_id))

    return db(read)


def consumer_pays(api_base: str, intent_id: str, card: str = "pm_card_visa") -> None:
    """What Stripe.js in the Payment Element (or a Terminal reader) does: attach and confirm."""
    client = stripe.StripeClient(SECRET_KEY, base_addresses={"api": api_base})
    client.v1.payment_intents.update(intent_id, {"payment_method": card})
    # A declined card raises; the intent keeps the failure and localstripe sends the event.
    with contextlib.suppress(stripe.CardError):
        client.v1.payment_intents.confirm(intent_id)


def start_payment(client, shop_id: uuid.UUID, amount: int = 18000, **extra) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(payment id, Stripe PaymentIntent id), through our API as a scan-to-pay page would."""
    response = client.post(
        "/api/payments",
        json={"shop_id": str(shop_id), "amount": amount, "method": "card", **extra},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["provider"] == "stripe" and body["state"] == "requires_action"
    # What Stripe.js does with the client secret: it names the intent.
    return body["id"], body["provider_client_secret"].split("_secret_")[0]
