"""Imported basket lines (history from another POS or a public dataset) and open data."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, utcnow


class ImportedBasketLine(UUIDPrimaryKey, Base):
    __tablename__ = "rec_imported_lines"
    __table_args__ = (
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
        sa.CheckConstraint("price_minor >= 0", name="price_not_negative"),
        sa.Index("ix_rec_imported_lines_batch_customer", "batch", "customer_ref", "ordered_at"),
    )

    # One import run; re-importing the same file makes a new batch, never mixes rows.
    batch: Mapped[str] = mapped_column(sa.String(64))
    customer_ref: Mapped[str] = mapped_column(sa.String(100))
    order_ref: Mapped[str] = mapped_column(sa.String(100))
    ordered_at: Mapped[datetime]
    item_ref: Mapped[str] = mapped_column(sa.String(100))
    quantity: Mapped[int]
    price_minor: Mapped[int] = mapped_column(sa.BigInteger())
    shop_ref: Mapped[str] = mapped_column(sa.String(100))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class OpenDataValue(UUIDPrimaryKey, Base):
    """One value per day, county and metric (weather, tourism...); the latest import wins."""

    __tablename__ = "rec_open_data"
    __table_args__ = (sa.Index("ix_rec_open_data_day_county", "day", "county"),)

    batch: Mapped[str] = mapped_column(sa.String(64))
    day: Mapped[date]
    county: Mapped[str] = mapped_column(sa.String(20))  # "*": every county
    metric: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[float] = mapped_column(sa.Float())
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
