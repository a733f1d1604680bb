"""Creating and cancelling payments, and applying provider updates (refunds: refunds.py).

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
    PaymentNotFound,
    ProviderError,
)
from payments.intents.models import PaymentEvent, PaymentIntent
from payments.intents.repository import PaymentRepository
from payments.intents.state import CANCELLABLE, PaymentState
from payments.providers.base import IntentRequest, ProviderIntent, ProviderUpdate
from payments.providers.stripe.accounts import shop_account_for

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
        # The shop's connected account, if it has one: with Connect on, the Stripe adapter
        # makes the payment a direct charge on it, with the configured application fee.
        shop_account = (
            await shop_account_for(self.session, request.shop_id)
            if checked.provider == "stripe"
            else None
        )
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
                    shop_account=shop_account,
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
        self.repo.add(api_event(intent, "created", None, f"created:{payment_id}", now))
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
        self.repo.add(api_event(intent, "cancelled", before, f"cancel:{intent.id}", now))
        await self.repo.flush()
        return intent

    async def _locked(self, payment_id: uuid.UUID) -> PaymentIntent:
        intent = await self.repo.lock(payment_id)
        if intent is None:
            raise PaymentNotFound(f"There is no payment {payment_id}.")
        return intent


def api_event(
    intent: PaymentIntent, kind: str, before: str | None, external_id: str, now: datetime
) -> PaymentEvent:
    """An event for a change made through our API (not reported by a provider)."""
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
