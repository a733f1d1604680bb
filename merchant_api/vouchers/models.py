"""Voucher offers a shop puts on sale, and the vouchers consumers buy from them.

Shops and accounts belong to other modules and are referenced by table name only. Money is
integers in TWD's minor unit (NT$250 = 25000).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, one_of, utcnow

# NT$100,000: a typo guard for a group-buy voucher on a rural street.
MAX_VOUCHER_MINOR = 10_000_000


class VoucherStatus(StrEnum):
    # Bought, waiting for payments' `payment.succeeded`; not redeemable yet.
    pending_payment = "pending_payment"
    active = "active"
    redeemed = "redeemed"
    # Payments has been asked to return the money (`voucher.refund_requested`).
    refund_requested = "refund_requested"
    refunded = "refunded"
    # Never paid within the payment window; its unit went back on sale (periodic task).
    expired = "expired"


class VoucherOffer(UUIDPrimaryKey, Base):
    __tablename__ = "voucher_offers"
    __table_args__ = (
        sa.CheckConstraint("price_minor > 0", name="price_positive"),
        sa.CheckConstraint("price_minor <= face_value_minor", name="price_within_face_value"),
        sa.CheckConstraint(f"face_value_minor <= {MAX_VOUCHER_MINOR}", name="face_value_capped"),
        sa.CheckConstraint("valid_until > valid_from", name="valid_window"),
        sa.CheckConstraint(
            "quantity_limit IS NULL OR quantity_limit >= 1", name="quantity_limit_positive"
        ),
        sa.CheckConstraint(
            "per_consumer_limit IS NULL OR per_consumer_limit >= 1",
            name="per_consumer_limit_positive",
        ),
        # The backstop behind the conditional UPDATE that sells: never oversold.
        sa.CheckConstraint(
            "sold_count >= 0 AND (quantity_limit IS NULL OR sold_count <= quantity_limit)",
            name="sold_within_limit",
        ),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[dict[str, str]] = mapped_column(sa.JSON())
    description: Mapped[dict[str, str]] = mapped_column(sa.JSON())
    price_minor: Mapped[int]
    face_value_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(sa.String(3), default="TWD")
    # On sale and redeemable from `valid_from` until (not including) `valid_until`.
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    quantity_limit: Mapped[int | None]
    per_consumer_limit: Mapped[int | None]
    # Vouchers sold and not refunded (pending payment included: they hold their unit).
    sold_count: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Voucher(UUIDPrimaryKey, Base):
    """One bought voucher; price, face value and validity are copied from the offer, so later
    edits of the offer never change what the consumer paid for."""

    __tablename__ = "vouchers"
    __table_args__ = (
        sa.CheckConstraint(one_of("status", VoucherStatus), name="status_known"),
        sa.CheckConstraint(
            "status <> 'redeemed' OR redeemed_at IS NOT NULL", name="redeemed_has_time"
        ),
        sa.Index(
            "ix_vouchers_consumer_account_id_purchased_at", "consumer_account_id", "purchased_at"
        ),
        sa.Index("ix_vouchers_offer_id_consumer_account_id", "offer_id", "consumer_account_id"),
        sa.Index("ix_vouchers_shop_id_purchased_at", "shop_id", "purchased_at"),
        # The expiry task looks for old unpaid vouchers only.
        sa.Index("ix_vouchers_status_purchased_at", "status", "purchased_at"),
    )

    offer_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("voucher_offers.id", ondelete="CASCADE")
    )
    # Copied from the offer: redemption looks vouchers up by (shop, code).
    shop_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("shops.id", ondelete="CASCADE"))
    consumer_account_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    # Random and unguessable (about 80 bits); shown as a QR code and read out at the counter.
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20))
    price_minor: Mapped[int]
    face_value_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(sa.String(3), default="TWD")
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    purchased_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The `payment.succeeded` event that activated it: the proof it was activated once.
    activated_by_event_id: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    activated_at: Mapped[datetime | None]
    redeemed_at: Mapped[datetime | None]
    redeemed_by_account_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    refund_requested_at: Mapped[datetime | None]
    # "consumer" or "shop": who asked for the money back.
    refund_requested_by: Mapped[str | None] = mapped_column(sa.String(16))
    refunded_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
