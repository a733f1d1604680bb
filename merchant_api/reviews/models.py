"""One review per completed order, with the shop's one (editable) reply.

Orders, shops and accounts belong to other modules and are referenced by table name only.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, utcnow

MAX_REVIEW_TEXT = 1000
MAX_REPLY_TEXT = 1000


class Review(UUIDPrimaryKey, Base):
    __tablename__ = "reviews"
    __table_args__ = (
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        sa.Index("ix_reviews_shop_id_created_at", "shop_id", "created_at"),
    )

    # Unique: the backstop for "one review per order" (the insert skips a duplicate).
    order_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("orders.id", ondelete="CASCADE"), unique=True
    )
    shop_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("shops.id", ondelete="CASCADE"))
    consumer_account_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    rating: Mapped[int]
    text: Mapped[str | None] = mapped_column(sa.String(MAX_REVIEW_TEXT))
    reply: Mapped[str | None] = mapped_column(sa.String(MAX_REPLY_TEXT))
    reply_account_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    replied_at: Mapped[datetime | None]
    reply_edited_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
