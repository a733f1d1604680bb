"""Refunds in three steps, so no payment row stays locked while a provider answers.

1. reserve: lock the intent, check the amount against captured - refunded - pending refunds,
   record a `pending` refund and a `refund_requested` event. The caller commits.
2. ask_provider: no transaction and no lock; the provider's idempotency key is derived from
   the client's Idempotency-Key, so a retry reaches the same refund at the provider.
3. settle: lock the intent again and turn the pending refund into `succeeded` (the refunded
   total, the state, the event and the outbox row) or `failed` (the reservation is released).

The refund's id is derived from (payment, Idempotency-Key): a retry after a crash between the
steps finds the same pending refund and finishes it, so money never moves twice or vanishes.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.errors import OneStreetError, ServiceUnavailable
from infra.idempotency.errors import IdempotencyKeyReused
from payments.intents.config import PaymentConfig
from payments.intents.errors import (
    NotRefundable,
    PaymentNotFound,
    ProviderError,
    RefundExceedsCaptured,
    field_problem,
)
from payments.intents.events import PAYMENT_REFUNDED, payment_payload, publish_payment_event
from payments.intents.models import PaymentIntent, PaymentRefund, RefundState
from payments.intents.repository import PaymentRepository
from payments.intents.service import api_event
from payments.intents.state import REFUNDABLE, refund_state
from payments.providers.base import ProviderRefund, RefundRequest

_REFUND_IDS = uuid.UUID("6f1d3c52-8a0e-4b7e-9a55-2f4a1c0b7e31")


def refund_id_for(payment_id: uuid.UUID, key: str) -> uuid.UUID:
    return uuid.uuid5(_REFUND_IDS, f"{payment_id}:{key}")


def provider_key(refund: PaymentRefund) -> str:
    # Derived from the refund id, itself derived from the client's key: the same on every
    # retry, and it reveals nothing of the key.
    return f"refund:{refund.payment_id}:{refund.id}"


class RefundService:
    def __init__(self, session: AsyncSession, config: PaymentConfig) -> None:
        self.session = session
        self.repo = PaymentRepository(session)
        self.config = config

    async def reserve(
        self,
        payment_id: uuid.UUID,
        amount: int | None,
        requested_by: uuid.UUID | None,
        key: str,
        reason: str,
    ) -> PaymentRefund:
        """The pending refund for this key (an earlier one when the key was seen before)."""
        intent = await self._locked(payment_id)
        refund_id = refund_id_for(payment_id, key)
        earlier = await self.repo.refund(refund_id)
        if earlier is not None:
            if amount is not None and amount != earlier.amount:
                raise IdempotencyKeyReused(
                    "This Idempotency-Key was already used for another refund amount.",
                    details={"problems": [{"key": "Idempotency-Key", "message": "reused"}]},
                )
            return earlier
        if intent.state not in REFUNDABLE:
            raise NotRefundable(
                f"A payment that is {intent.state} cannot be refunded.",
                details={"state": intent.state},
            )
        pending = await self.repo.pending_refunds_total(payment_id)
        left = intent.amount_captured - intent.amount_refunded - pending
        amount = left if amount is None else amount
        if isinstance(amount, bool) or amount <= 0:
            raise RefundExceedsCaptured(
                "The refund must be greater than zero.", details=field_problem("amount", "> 0")
            )
        if amount > left:
            raise RefundExceedsCaptured(
                f"At most {left} can still be refunded.",
                details=field_problem("amount", f"<= {left}") | {"refundable": left},
            )
        now = utcnow()
        refund = PaymentRefund(
            id=refund_id,
            payment_id=intent.id,
            amount=amount,
            state=RefundState.pending.value,
            reason=reason[:40],
            requested_by=requested_by,
            created_at=now,
        )
        event = api_event(intent, "refund_requested", intent.state, f"refund-req:{refund_id}", now)
        event.refund_id = refund_id
        self.repo.add(refund, event)
        await self.repo.flush()
        return refund

    async def ask_provider(self, intent: PaymentIntent, refund: PaymentRefund) -> ProviderRefund:
        """Call outside any lock. A refusal comes back as a failed ProviderRefund; an outage
        raises ProviderError and leaves the refund pending for a retry with the same key."""
        provider = self.config.providers[intent.provider]
        request = RefundRequest(
            intent.provider_ref,
            refund.amount,
            provider_key(refund),
            refund.reason,
        )
        try:
            return await provider.refund(request)
        except ServiceUnavailable as exc:
            raise ProviderError(
                "The provider could not be reached; retry with the same Idempotency-Key.",
                details={"refund_id": str(refund.id)},
            ) from exc
        except OneStreetError as exc:
            return ProviderRefund(provider_ref="", amount=0, succeeded=False, failure_code=exc.code)
        except Exception as exc:
            raise ProviderError(
                "The provider could not refund; retry with the same Idempotency-Key.",
                details={"refund_id": str(refund.id)},
            ) from exc

    async def settle(self, refund_id: uuid.UUID, result: ProviderRefund) -> PaymentRefund:
        """Record the provider's answer once; a second settle of the same refund is a no-op."""
        refund = await self.repo.refund(refund_id)
        if refund is None:
            raise PaymentNotFound(f"There is no refund {refund_id}.")
        intent = await self._locked(refund.payment_id)
        refund = await self.repo.refund(refund_id, for_update=True)
        assert refund is not None  # rows are never deleted
        if refund.state != RefundState.pending.value:
            return refund
        now = utcnow()
        if not result.succeeded:
            refund.state = RefundState.failed.value
            refund.failure_code = (result.failure_code or "refused")[:60]
            await self.repo.flush()
            return refund
        refund.state, refund.provider_ref = RefundState.succeeded.value, result.provider_ref
        before = intent.state
        intent.amount_refunded += refund.amount
        intent.state = refund_state(intent.amount_captured, intent.amount_refunded).value
        intent.state_changed_at = now
        event = api_event(intent, "refunded", before, f"refund:{refund_id}", now)
        event.refund_id = refund_id
        self.repo.add(event)
        await self.repo.flush()
        columns = {c.key: getattr(intent, c.key) for c in PaymentIntent.__table__.columns}
        payload = payment_payload(
            columns, occurred_at=now, refund_id=refund_id, refund_amount=refund.amount
        )
        publish_payment_event(self.session, PAYMENT_REFUNDED, payload)
        return refund

    async def _locked(self, payment_id: uuid.UUID) -> PaymentIntent:
        intent = await self.repo.lock(payment_id)
        if intent is None:
            raise PaymentNotFound(f"There is no payment {payment_id}.")
        return intent
