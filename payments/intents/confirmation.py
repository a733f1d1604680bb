"""Applying what a provider says about a payment: the confirmation path.

Lock the intent, decide the move, append the event (unique per provider event id), update the
row and write the outbox event, all in the caller's transaction. Lean on purpose (the
benchmark measures this path): on PostgreSQL two prebuilt Core statements (the lock, then
event + update + outbox row in one CTE), one round trip each, between BEGIN and COMMIT; the
outbox row is written at once rather than by the unit of work at commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.logging import get_logger
from payments.intents.events import PAYMENT_FAILED, PAYMENT_SUCCEEDED, payment_payload
from payments.intents.repository import PaymentRepository
from payments.intents.state import PaymentState, provider_may_move
from payments.providers.base import ProviderStatus, ProviderUpdate

log = get_logger("onestreet.payments")

_STATE_OF: dict[ProviderStatus, PaymentState] = {
    ProviderStatus.requires_action: PaymentState.requires_action,
    ProviderStatus.processing: PaymentState.processing,
    ProviderStatus.succeeded: PaymentState.succeeded,
    ProviderStatus.failed: PaymentState.failed,
    ProviderStatus.cancelled: PaymentState.cancelled,
}
_PUBLISHED: dict[PaymentState, str] = {
    PaymentState.succeeded: PAYMENT_SUCCEEDED,
    PaymentState.failed: PAYMENT_FAILED,
}


async def apply_provider_update(session: AsyncSession, update: ProviderUpdate) -> bool:
    """Apply `update`; True when the payment changed, False for duplicates, backward moves
    and unknown payments. Never commits."""
    repo = PaymentRepository(session)
    row = await repo.lock_by_provider_ref(update.provider, update.provider_ref)
    if row is None:
        log.warning(
            "payment_update_unknown_intent",
            provider=update.provider,
            provider_ref=update.provider_ref,
            external_event_id=update.external_event_id,
        )
        return False
    intent: dict[str, Any] = dict(row._mapping)
    current, target = PaymentState(intent["state"]), _STATE_OF[update.status]
    if not provider_may_move(current, target):
        return False
    now = utcnow()
    changes: dict[str, Any] = {"state": target.value, "state_changed_at": now}
    if target == PaymentState.succeeded:
        # A provider that does not report the amount received captured the whole amount.
        captured = update.amount_received or intent["amount"]
        changes |= {"amount_captured": min(captured, intent["amount"]), "succeeded_at": now}
        changes["failure_code"] = None
    if target == PaymentState.failed:
        changes["failure_code"] = (update.failure_code or "failed")[:60]
    if update.card_brand:
        changes["card_brand"] = update.card_brand[:20]
    if update.card_last4:
        changes["card_last4"] = update.card_last4[-4:]
    intent |= changes
    detail = {"failure_code": update.failure_code} if update.failure_code else None
    event = {
        "payment_id": intent["id"],
        "kind": "provider_update",
        "source": update.provider,
        "external_event_id": update.external_event_id,
        "from_state": current.value,
        "to_state": target.value,
        "amount_captured": intent["amount_captured"],
        "amount_refunded": intent["amount_refunded"],
        "refund_id": None,
        "detail": detail,
        "occurred_at": update.occurred_at,
        "recorded_at": now,
    }
    event_type = _PUBLISHED.get(target)
    if event_type is None:
        # False: this very provider event was applied before.
        return await repo.append_event_and_update(event, intent["id"], changes)
    payload = payment_payload(intent, occurred_at=update.occurred_at)
    outbox = (event_type, payload, f"payment:{payload['payment_id']}")
    return await repo.append_event_update_and_publish(event, intent["id"], changes, outbox)
