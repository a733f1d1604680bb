"""Orders, their lines (snapshots of what was sold), their status history and counters.

Accounts, shops and listings belong to other modules and are referenced by table name only.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, one_of, utcnow
from merchant_api.catalog.models import Channel


class OrderStatus(StrEnum):
    placed = "placed"
    accepted = "accepted"
    preparing = "preparing"
    ready = "ready"
    completed = "completed"
    cancelled = "cancelled"
    refunded = "refunded"


class Order(UUIDPrimaryKey, Base):
    __tablename__ = "orders"
    __table_args__ = (
        # The number on the ticket: per shop and Asia/Taipei day, never shared.
        sa.UniqueConstraint("shop_id", "business_date", "number"),
        sa.CheckConstraint(one_of("channel", Channel), name="channel_known"),
        sa.CheckConstraint(one_of("status", OrderStatus), name="status_known"),
        sa.CheckConstraint("total_minor >= 0", name="total_not_negative"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.Index("ix_orders_shop_id_placed_at", "shop_id", "placed_at"),
        sa.Index("ix_orders_consumer_account_id_placed_at", "consumer_account_id", "placed_at"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("shops.id", ondelete="CASCADE"))
    business_date: Mapped[date]
    number: Mapped[int]
    channel: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16))
    table_label: Mapped[str | None] = mapped_column(sa.String(20))
    pickup_at: Mapped[datetime | None]
    notes: Mapped[str | None] = mapped_column(sa.String(500))
    # The consumer the order is for (optional at the counter and kiosk).
    consumer_account_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    # Who pressed "order": the consumer, a staff member at the counter, a kiosk's device
    # account; NULL for an anonymous table or counter order.
    placed_by_account_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    item_count: Mapped[int]
    total_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(sa.String(3), default="TWD")
    # Set by payments when the order is paid; a paid order can be refunded before completion.
    paid_at: Mapped[datetime | None]
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OrderLine(UUIDPrimaryKey, Base):
    """What was ordered, as the menu said at the time: later edits never change it."""

    __tablename__ = "order_lines"
    __table_args__ = (
        sa.UniqueConstraint("order_id", "position"),
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
        sa.CheckConstraint("unit_price_minor >= 0", name="unit_price_not_negative"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int]
    # Listings are hidden, never deleted, once orders point at them.
    listing_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("listings.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[dict[str, str]] = mapped_column(sa.JSON())
    # [{"option_id", "group_name": {...}, "name": {...}, "price_delta_minor"}]
    options: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON())
    unit_price_minor: Mapped[int]
    quantity: Mapped[int]
    line_total_minor: Mapped[int]
    # Whether stock was reserved for this line, so a cancellation returns exactly that.
    stock_reserved: Mapped[bool]


class OrderStatusChange(UUIDPrimaryKey, Base):
    """Every state an order entered, who moved it and why; also the live queue's feed.

    `seq` counts a shop's changes 1, 2, 3... in commit order (allocated under the shop's
    counter row lock), so a reader resuming after `seq` n never misses one.
    """

    __tablename__ = "order_status_changes"
    __table_args__ = (
        sa.UniqueConstraint("shop_id", "seq"),
        sa.CheckConstraint(one_of("to_status", OrderStatus), name="to_status_known"),
        sa.Index("ix_order_status_changes_order_id_at", "order_id", "at"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"))
    shop_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("shops.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(sa.BigInteger())
    # NULL for the placement itself.
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str] = mapped_column(sa.String(16))
    actor_account_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    # "consumer", "staff", "device", "admin", "anonymous", "system" (payments, timeouts).
    actor_kind: Mapped[str] = mapped_column(sa.String(16))
    reason: Mapped[str | None] = mapped_column(sa.String(300))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ShopOrderCounter(Base):
    """One row per shop: today's last order number and the last feed sequence.

    Placement and transitions update it with one upsert; the row lock it takes orders the
    shop's writers, so numbers are never shared and `seq` commits in order.
    """

    __tablename__ = "shop_order_counters"

    shop_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    business_date: Mapped[date]
    last_number: Mapped[int]
    last_seq: Mapped[int] = mapped_column(sa.BigInteger())
