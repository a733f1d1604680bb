"""Payment requests and answers. Amounts are integers in minor units (NT$1 = 100)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

import msgspec

from payments.intents.models import PaymentEvent, PaymentIntent, PaymentRefund
from payments.intents.state import REFUNDABLE

MethodName = Literal["card", "card_present", "twqr", "vietqr", "promptpay", "qris", "sandbox"]


class PaymentCreate(msgspec.Struct, forbid_unknown_fields=True):
    shop_id: uuid.UUID
    amount: int
    method: MethodName
    currency: str = "TWD"
    order_id: uuid.UUID | None = None
    voucher_id: uuid.UUID | None = None
    # A scanned /p/<token> link: a dynamic one fixes the amount and works once.
    link_token: str | None = None
    loyalty_wallet_id: uuid.UUID | None = None
    points_redeemed: int = 0


class RefundCreate(msgspec.Struct, forbid_unknown_fields=True):
    # None refunds everything not yet refunded.
    amount: int | None = None
    reason: Literal["requested_by_customer", "duplicate", "fraudulent", "order_cancelled"] = (
        "requested_by_customer"
    )


class SandboxConfirm(msgspec.Struct, forbid_unknown_fields=True):
    outcome: Literal["succeed", "fail", "delay"] = "succeed"


class PaymentEventOut(msgspec.Struct):
    kind: str
    from_state: str | None
    to_state: str
    amount_captured: int
    amount_refunded: int
    occurred_at: datetime


class RefundOut(msgspec.Struct):
    id: uuid.UUID
    payment_id: uuid.UUID
    amount: int
    state: str
    reason: str
    created_at: datetime


class PaymentOut(msgspec.Struct):
    id: uuid.UUID
    shop_id: uuid.UUID
    state: str
    method: str
    provider: str
    amount: int
    amount_captured: int
    amount_refunded: int
    refundable: int
    currency: str
    reference_type: str | None
    reference_id: uuid.UUID | None
    card_brand: str | None
    card_last4: str | None
    failure_code: str | None
    # What the consumer's device shows next: a wallet QR payload or the wallet page.
    qr_payload: str | None
    next_action_url: str | None
    created_at: datetime
    succeeded_at: datetime | None
    # Only in the answer to the creation: lets the scan-to-pay page read this payment
    # (send it back in the X-Client-Secret header). Never stored; only its hash is.
    client_secret: str | None = None
    # Stripe's client secret for Stripe.js, only in the answer to the creation.
    provider_client_secret: str | None = None
    events: list[PaymentEventOut] | None = None
    refunds: list[RefundOut] | None = None


class RefundResult(msgspec.Struct):
    refund: RefundOut
    payment: PaymentOut


class PaymentPage(msgspec.Struct):
    payments: list[PaymentOut]
    limit: int
    offset: int
    has_more: bool


def refund_out(refund: PaymentRefund) -> RefundOut:
    return RefundOut(
        refund.id, refund.payment_id, refund.amount, refund.state, refund.reason, refund.created_at
    )


def payment_out(
    intent: PaymentIntent,
    *,
    events: list[PaymentEvent] | None = None,
    refunds: list[PaymentRefund] | None = None,
) -> PaymentOut:
    refundable = (
        intent.amount_captured - intent.amount_refunded if intent.state in REFUNDABLE else 0
    )
    return PaymentOut(
        id=intent.id,
        shop_id=intent.shop_id,
        state=intent.state,
        method=intent.method,
        provider=intent.provider,
        amount=intent.amount,
        amount_captured=intent.amount_captured,
        amount_refunded=intent.amount_refunded,
        refundable=refundable,
        currency=intent.currency,
        reference_type=intent.reference_type,
        reference_id=intent.reference_id,
        card_brand=intent.card_brand,
        card_last4=intent.card_last4,
        failure_code=intent.failure_code,
        qr_payload=intent.qr_payload,
        next_action_url=intent.next_action_url,
        created_at=intent.created_at,
        succeeded_at=intent.succeeded_at,
        events=None
        if events is None
        else [
            PaymentEventOut(
                e.kind,
                e.from_state,
                e.to_state,
                e.amount_captured,
                e.amount_refunded,
                e.occurred_at,
            )
            for e in events
        ],
        refunds=None if refunds is None else [refund_out(r) for r in refunds],
    )
