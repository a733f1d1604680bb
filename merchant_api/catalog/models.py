"""What a shop sells. Prices are integers in TWD's minor unit (NT$120 = 12000)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, utcnow


class Listing(UUIDPrimaryKey, Base):
    __tablename__ = "listings"
    __table_args__ = (CheckConstraint("price_minor >= 0", name="price_not_negative"),)

    shop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    price_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="TWD")
    is_available: Mapped[bool] = mapped_column(default=True)
    # Orders will point at listings, so a removed listing is hidden, never deleted.
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
