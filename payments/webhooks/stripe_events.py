"""A verified Stripe event, as the ProviderUpdate payments.intents applies (or None).

Status comes from the event type, the rest (amount received, card brand and last four, the
failure code) from the PaymentIntent the event carries. Events from a shop's connected
account carry `account`, which becomes part of the provider reference, as at creation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from payments.providers.base import ProviderStatus, ProviderUpdate
from payments.providers.stripe.payloads import (
    amount_received,
    card_of,
    failure_code,
    provider_ref,
)

PROVIDER = "stripe"

INTENT_EVENTS: dict[str, ProviderStatus] = {
    "payment_intent.processing": ProviderStatus.processing,
    "payment_intent.succeeded": ProviderStatus.succeeded,
    "payment_intent.payment_failed": ProviderStatus.failed,
    "payment_intent.canceled": ProviderStatus.cancelled,
}
# Refunds are started by payments.intents through the provider, which records them from the
# provider's answer; their webhooks confirm what is already recorded, so they are kept in the
# inbox and marked handled without a second refund being recorded.
REFUND_EVENTS = frozenset(
    {"charge.refunded", "charge.refund.updated", "refund.created", "refund.updated"}
)


def occurred_at(event: dict[str, Any]) -> datetime:
    created = event.get("created")
    if isinstance(created, int) and created > 0:
        return datetime.fromtimestamp(created, UTC)
    return datetime.now(UTC)


def update_from_event(event: dict[str, Any]) -> ProviderUpdate | None:
    """The update an event stands for; None for events that move no payment."""
    status = INTENT_EVENTS.get(str(event.get("type")))
    intent = (event.get("data") or {}).get("object")
    if status is None or not isinstance(intent, dict) or not intent.get("id"):
        return None
    account = event.get("account")
    brand, last4 = card_of(intent)
    return ProviderUpdate(
        provider=PROVIDER,
        external_event_id=str(event["id"]),
        provider_ref=provider_ref(str(intent["id"]), account if isinstance(account, str) else None),
        status=status,
        occurred_at=occurred_at(event),
        amount_received=amount_received(intent, status),
        card_brand=brand,
        card_last4=last4,
        failure_code=(failure_code(intent) or "payment_failed")
        if status is ProviderStatus.failed
        else None,
    )
