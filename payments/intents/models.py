"""payment_intents, their append-only payment_events, and payment_refunds.

The intent row carries the current state and totals for reading and locking; every change
appends a payment_event in the same transaction, so the history explains every state.
Card data is never stored: provider ids, the card brand and last four digits only.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, one_of, utcnow
from payments.intents.state import PaymentMethod, PaymentState


class ReferenceType(StrEnum):
    order = "order"
    voucher = "voucher"


class RefundState(StrEnum):
    pending = "pending"
    succeeded = "succeeded"
    failed = "failed"


class PaymentIntent(UUIDPrimaryKey, Base):
    __tablename__ = "payment_intents"
    __table_args__ = (
        sa.UniqueConstraint("provider", "provider_ref"),
        sa.CheckConstraint(one_of("state", PaymentState), name="state_known"),
        sa.CheckConstraint(one_of("method", PaymentMethod), name="method_known"),
        sa.CheckConstraint(one_of("reference_type", ReferenceType), name="reference_type_known"),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        # The backstop under the service's checks: never more captured or refunded than paid.
        sa.CheckConstraint(
            "amount_captured >= 0 AND amount_captured <= amount", name="captured_within_amount"
        ),
        sa.CheckConstraint(
            "amount_refunded >= 0 AND amount_refunded <= amount_captured",
            name="refunded_within_captured",
        ),
        sa.CheckConstraint("points_redeemed >= 0", name="points_not_negative"),
        sa.Index("ix_payment_intents_shop_id_created_at", "shop_id", "created_at"),
        sa.Index("ix_payment_intents_consumer_id_created_at", "consumer_id", "created_at"),
        # Reconciliation's query: payments stuck in processing since before a cut-off.
        sa.Index("ix_payment_intents_state_state_changed_at", "state", "state_changed_at"),
        sa.Index("ix_payment_intents_reference_id", "reference_id"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("shops.id", ondelete="RESTRICT"))
    provider: Mapped[str] = mapped_column(sa.String(20))
    provider_ref: Mapped[str] = mapped_column(sa.String(100))
    method: Mapped[str] = mapped_column(sa.String(20))
    state: Mapped[str] = mapped_column(sa.String(24))
    amount: Mapped[int] = mapped_column(sa.BigInteger())
    amount_captured: Mapped[int] = mapped_column(sa.BigInteger(), default=0)
    amount_refunded: Mapped[int] = mapped_column(sa.BigInteger(), default=0)
    currency: Mapped[str] = mapped_column(sa.String(3))
    reference_type: Mapped[str | None] = mapped_column(sa.String(10))
    reference_id: Mapped[uuid.UUID | None]
    consumer_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    # Loyalty's wallet, by id only: payments sits below loyalty's tables.
    loyalty_wallet_id: Mapped[uuid.UUID | None]
    points_redeemed: Mapped[int] = mapped_column(default=0)
    # The dynamic payment link this payment redeemed, if any.
    link_id: Mapped[uuid.UUID | None]
    card_brand: Mapped[str | None] = mapped_column(sa.String(20))
    card_last4: Mapped[str | None] = mapped_column(sa.String(4))
    failure_code: Mapped[str | None] = mapped_column(sa.String(60))
    # What the consumer's device shows next: a QR payload or a wallet page; never a secret.
    qr_payload: Mapped[str | None] = mapped_column(sa.Text())
    next_action_url: Mapped[str | None] = mapped_column(sa.String(500))
    # sha256 of the client secret handed to the creator: holding it lets an anonymous
    # scan-to-pay page read the payment. The secret itself is never stored.
    client_secret_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    state_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded_at: Mapped[datetime | None]


class PaymentEvent(UUIDPrimaryKey, Base):
    """One change of a payment, appended and never updated.

    (source, external_event_id) is unique: a provider update applied twice is stored once.
    """

    __tablename__ = "payment_events"
    __table_args__ = (
        sa.UniqueConstraint("source", "external_event_id"),
        sa.CheckConstraint(one_of("to_state", PaymentState), name="to_state_known"),
        sa.Index("ix_payment_events_payment_id_recorded_at", "payment_id", "recorded_at"),
    )

    payment_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("payment_intents.id", ondelete="CASCADE")
    )
    # "created", "provider_update", "cancelled", "refunded"
    kind: Mapped[str] = mapped_column(sa.String(20))
    # The provider's name for provider updates, "api" for our own changes.
    source: Mapped[str] = mapped_column(sa.String(20))
    external_event_id: Mapped[str] = mapped_column(sa.String(200))
    from_state: Mapped[str | None] = mapped_column(sa.String(24))
    to_state: Mapped[str] = mapped_column(sa.String(24))
    amount_captured: Mapped[int] = mapped_column(sa.BigInteger())
    amount_refunded: Mapped[int] = mapped_column(sa.BigInteger())
    refund_id: Mapped[uuid.UUID | None]
    detail: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON())
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class PaymentRefund(UUIDPrimaryKey, Base):
    __tablename__ = "payment_refunds"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint(one_of("state", RefundState), name="state_known"),
    )

    payment_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("payment_intents.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[int] = mapped_column(sa.BigInteger())
    state: Mapped[str] = mapped_column(sa.String(12))
    provider_ref: Mapped[str | None] = mapped_column(sa.String(100))
    reason: Mapped[str] = mapped_column(sa.String(40))
    requested_by: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    failure_code: Mapped[str | None] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
