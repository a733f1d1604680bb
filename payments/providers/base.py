"""The one interface every payment provider speaks, in our own dataclasses.

Payment intents (payments.intents) never see a provider's SDK objects: they ask a
`PaymentProvider` to create, fetch, cancel or refund, and they learn about confirmations
as `ProviderUpdate`s, whichever way those arrive (a Stripe webhook, a wallet or acquirer
callback, the sandbox's simulated wallet page, or the reconciliation task re-fetching an
intent). Amounts are integers in the currency's minor unit; card data never goes beyond
brand and last four digits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable


class ProviderStatus(StrEnum):
    """Where the provider says a payment is; payments.intents maps it onto its own states."""

    requires_action = "requires_action"  # waiting for the consumer (card form, wallet, QR)
    processing = "processing"  # the consumer acted; the provider has not decided yet
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"


@dataclass(frozen=True, slots=True)
class IntentRequest:
    payment_id: uuid.UUID  # our id; providers echo it in their metadata
    amount: int
    currency: str  # ISO 4217, upper case
    method: str  # e.g. "card", "card_present", "twqr", "vietqr", "promptpay", "qris", "sandbox"
    shop_id: uuid.UUID
    description: str
    idempotency_key: str  # stable per payment, so a retried create reaches the same intent
    # The shop's account at the provider (a Stripe connected account), when it has one.
    shop_account: str | None = None
    application_fee: int = 0
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProviderIntent:
    provider_ref: str  # the provider's id for the payment, e.g. "pi_..."
    status: ProviderStatus
    amount: int
    amount_received: int = 0
    # What the consumer's device needs next: a Stripe client secret, a wallet URI or QR
    # payload, or the sandbox's wallet page; never a secret of ours.
    client_secret: str | None = None
    next_action_url: str | None = None
    qr_payload: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    failure_code: str | None = None


@dataclass(frozen=True, slots=True)
class RefundRequest:
    provider_ref: str  # the payment's provider_ref
    amount: int
    idempotency_key: str
    reason: str = "requested_by_customer"


@dataclass(frozen=True, slots=True)
class ProviderRefund:
    provider_ref: str  # the refund's id at the provider, e.g. "re_..."
    amount: int
    succeeded: bool
    failure_code: str | None = None


@dataclass(frozen=True, slots=True)
class ProviderUpdate:
    """A provider told us something about a payment (webhook, callback or re-fetch).

    `external_event_id` is unique per provider and makes applying the update idempotent:
    the same update applied twice changes nothing the second time, and an update that
    would move a payment backwards (a late `processing` after `succeeded`) is ignored.
    """

    provider: str
    external_event_id: str
    provider_ref: str
    status: ProviderStatus
    occurred_at: datetime
    amount_received: int = 0
    card_brand: str | None = None
    card_last4: str | None = None
    failure_code: str | None = None


@runtime_checkable
class PaymentProvider(Protocol):
    name: str  # "sandbox", "stripe", "twqr", "emvco"

    async def create_intent(self, request: IntentRequest) -> ProviderIntent: ...

    async def retrieve_intent(self, provider_ref: str) -> ProviderIntent: ...

    async def cancel_intent(self, provider_ref: str) -> ProviderIntent: ...

    async def refund(self, request: RefundRequest) -> ProviderRefund: ...
