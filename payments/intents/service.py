"""Creating, cancelling and refunding payments, and applying provider updates.

Services never commit: the request or task boundary does. Every change appends a payment
event and, for success, failure and refunds, an outbox event in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from payments.intents.config import PaymentConfig
from payments.intents.confirmation import apply_provider_update
from payments.intents.creation import NewPayment, check_payment
from payments.intents.errors import (
    NotCancellable,
    NotRefundable,
    PaymentNotFound,
    ProviderError,
    RefundExceedsCaptured,
    field_problem,
)
from payments.intents.events import PAYMENT_REFUNDED, payment_payload, publish_payment_event
from payments.intents.models import PaymentEvent, PaymentIntent, PaymentRefund, RefundState
from payments.intents.repository import PaymentRepository
from payments.intents.state import CANCELLABLE, REFUNDABLE, PaymentState, refund_state
from payments.providers.base import IntentRequest, ProviderIntent, ProviderUpdate, RefundRequest

_INITIAL = {"requires_action": PaymentState.requires_action, "processing": PaymentState.processing}


def secret_hash(client_secret: str) -> str:
    return hashlib.sha256(client_secret.encode()).hexdigest()


@dataclass(frozen=True)
class CreatedPayment:
    intent: PaymentIntent
    client_secret: str  # shown to the creator once; only its hash is stored
    provider_intent: ProviderIntent


def _columns(intent: PaymentIntent) -> dict[str, object]:
    return {column.key: getattr(intent, column.key) for column in PaymentIntent.__table__.columns}


class PaymentService:
    def __init__(self, session: AsyncSession, config: PaymentConfig | None = None) -> None:
        self.session = session
        self.repo = PaymentRepository(session)
        self._config = config

    @property
    def config(self) -> PaymentConfig:
        if self._config is None:
            raise RuntimeError("this operation needs the PaymentConfig")
        return self._config

    async def apply_provider_update(self, update: ProviderUpdate) -> bool:
        """See payments.intents.confirmation.apply_provider_update."""
        return await apply_provider_update(self.session, update)

    async def get(self, payment_id: uuid.UUID) -> PaymentIntent:
        intent = await self.repo.get(payment_id)
        if intent is None:
            raise PaymentNotFound(f"There is no payment {payment_id}.")
        return intent

    async def create(self, request: NewPayment, consumer_id: uuid.UUID | None) -> CreatedPayment:
        checked = await check_payment(self.session, request, self.config)
        payment_id, now = uuid.uuid4(), utcnow()
        merchant = checked.merchant
        provider = self.config.providers[checked.provider]
        try:
            provider_intent = await provider.create_intent(
                IntentRequest(
                    payment_id=payment_id,
                    amount=request.amount,
                    currency=request.currency,
                    method=request.method,
                    shop_id=request.shop_id,
                    description=merchant.name("en"),
                    idempotency_key=f"payment:{payment_id}",
                    metadata={
                        "payment_id": str(payment_id),
                        "merchant_name": merchant.name("en"),
                        "merchant_city": merchant.city,
                    },
                )
            )
        except ProviderError:
            raise
        except Exception as exc:
            raise ProviderError(
                "The payment provider could not start the payment; try again.",
                details={"provider": checked.provider},
            ) from exc
        reference = checked.reference
        state = _INITIAL.get(provider_intent.status.value, PaymentState.requires_action)
        client_secret = secrets.token_urlsafe(24)
        intent = PaymentIntent(
            id=payment_id,
            shop_id=request.shop_id,
            provider=checked.provider,
            provider_ref=provider_intent.provider_ref,
            method=request.method,
            state=state.value,
            amount=request.amount,
            amount_captured=0,
            amount_refunded=0,
            currency=request.currency,
            reference_type=reference.kind if reference else None,
            reference_id=reference.reference_id if reference else None,
            consumer_id=consumer_id or (reference.consumer_id if reference else None),
            loyalty_wallet_id=request.loyalty_wallet_id,
            points_redeemed=request.points_redeemed,
            link_id=checked.link_id,
            qr_payload=provider_intent.qr_payload,
            next_action_url=provider_intent.next_action_url,
            client_secret_hash=secret_hash(client_secret),
            created_at=now,
            state_changed_at=now,
        )
        # Two flushes: without a relationship() the unit of work does not order the inserts.
        self.repo.add(intent)
        await self.repo.flush()
        self.repo.add(self._event(intent, "created", None, f"created:{payment_id}", now))
        await self.repo.flush()
        return CreatedPayment(intent, client_secret, provider_intent)

    async def cancel(self, payment_id: uuid.UUID) -> PaymentIntent:
        intent = await self._locked(payment_id)
        if intent.state not in CANCELLABLE:
            raise NotCancellable(
                f"A payment that is {intent.state} cannot be cancelled.",
                details={"state": intent.state},
            )
        provider = self.config.providers.get(intent.provider)
        if provider is not None:
            await provider.cancel_intent(intent.provider_ref)
        now, before = utcnow(), intent.state
        intent.state, intent.state_changed_at = PaymentState.cancelled.value, now
        self.repo.add(self._event(intent, "cancelled", before, f"cancel:{intent.id}", now))
        await self.repo.flush()
        return intent

    async def refund(
        self,
        payment_id: uuid.UUID,
        amount: int | None,
        requested_by: uuid.UUID | None,
        key: str,
        reason: str = "requested_by_customer",
    ) -> PaymentRefund:
        """Refund `amount` (None: all that is left); never more than captured minus refunded."""
        intent = await self._locked(payment_id)
        if intent.state not in REFUNDABLE:
            raise NotRefundable(
                f"A payment that is {intent.state} cannot be refunded.",
                details={"state": intent.state},
            )
        left = intent.amount_captured - intent.amount_refunded
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
        refund_id, now = uuid.uuid4(), utcnow()
        provider = self.config.providers[intent.provider]
        # Asked while the row is locked, so two refunds can never both pass the check above;
        # the provider's idempotency key makes a retried request reach the same refund.
        result = await provider.refund(
            RefundRequest(intent.provider_ref, amount, f"refund:{payment_id}:{key}", reason)
        )
        if not result.succeeded:
            raise ProviderError(
                "The provider refused the refund.", details={"failure_code": result.failure_code}
            )
        refund = PaymentRefund(
            id=refund_id,
            payment_id=intent.id,
            amount=amount,
            state=RefundState.succeeded.value,
            provider_ref=result.provider_ref,
            reason=reason[:40],
            requested_by=requested_by,
            created_at=now,
        )
        before = intent.state
        intent.amount_refunded += amount
        intent.state = refund_state(intent.amount_captured, intent.amount_refunded).value
        intent.state_changed_at = now
        event = self._event(intent, "refunded", before, f"refund:{refund_id}", now)
        event.refund_id = refund_id
        self.repo.add(refund, event)
        await self.repo.flush()
        payload = payment_payload(
            _columns(intent), occurred_at=now, refund_id=refund_id, refund_amount=amount
        )
        publish_payment_event(self.session, PAYMENT_REFUNDED, payload)
        return refund

    async def _locked(self, payment_id: uuid.UUID) -> PaymentIntent:
        intent = await self.repo.lock(payment_id)
        if intent is None:
            raise PaymentNotFound(f"There is no payment {payment_id}.")
        return intent

    @staticmethod
    def _event(
        intent: PaymentIntent, kind: str, before: str | None, external_id: str, now: datetime
    ) -> PaymentEvent:
        return PaymentEvent(
            id=uuid.uuid4(),
            payment_id=intent.id,
            kind=kind,
            source="api",
            external_event_id=external_id,
            from_state=before,
            to_state=intent.state,
            amount_captured=intent.amount_captured,
            amount_refunded=intent.amount_refunded,
            occurred_at=now,
            recorded_at=now,
        )
