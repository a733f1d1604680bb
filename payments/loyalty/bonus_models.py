"""Earn bonuses beyond the base rate (category, listing), the cross-street stamp rally, and
per-shop redemption limits: the rules admins, consultants and owners define."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, utcnow

MULTIPLIER_RANGE = (101, 1000)  # percent of the base points; 100 would be no bonus
# The idempotency key of a rally bonus starts with this: the daily earning cap leaves it out.
RALLY_KEY_PREFIX = "rally:"


def rally_key(rally_id: uuid.UUID, wallet_id: uuid.UUID) -> str:
    return f"{RALLY_KEY_PREFIX}{rally_id}:{wallet_id}"


class LoyaltyBonusRule(UUIDPrimaryKey, Base):
    """Extra points for a shop category (programme-funded) or a listing (shop-funded):
    (multiplier - 1) times the base points of what qualifies."""

    __tablename__ = "loyalty_bonus_rules"
    __table_args__ = (
        CheckConstraint("multiplier_pct > 100 AND multiplier_pct <= 1000", name="multiplier"),
        CheckConstraint("(category IS NULL) <> (listing_id IS NULL)", name="category_or_listing"),
    )

    # One rule per category and per listing: defining it again replaces the multiplier.
    category: Mapped[str | None] = mapped_column(String(32), unique=True)
    listing_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), unique=True
    )
    shop_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    multiplier_pct: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Set when the rule is deleted: it stops applying, and the row stays as the record of
    # a bonus that may have produced earnings. Defining the rule again reactivates it.
    ended_at: Mapped[datetime | None]


class LoyaltyRally(UUIDPrimaryKey, Base):
    """Visit `required` different streets (or shops) between the dates: `bonus_points` once,
    from the rally's own pool (a campaign pool owned by the rally)."""

    __tablename__ = "loyalty_rallies"
    __table_args__ = (
        CheckConstraint("counts IN ('streets', 'shops')", name="counts"),
        CheckConstraint("required >= 2 AND required <= 50", name="required"),
        CheckConstraint("bonus_points > 0 AND bonus_points <= 100000", name="bonus"),
        CheckConstraint("ends_at > starts_at", name="dates"),
    )

    name: Mapped[str] = mapped_column(String(120))
    counts: Mapped[str] = mapped_column(String(10))
    required: Mapped[int] = mapped_column(Integer)
    bonus_points: Mapped[int] = mapped_column(BigInteger)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoyaltyRallyStamp(Base):
    """A street or shop a wallet visited (earned points at) during a rally."""

    __tablename__ = "loyalty_rally_stamps"

    rally_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_rallies.id", ondelete="RESTRICT"), primary_key=True
    )
    wallet_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_wallets.id", ondelete="RESTRICT"), primary_key=True
    )
    place_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    stamped_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoyaltyShopLimit(Base):
    """How many points a shop may take: per redemption and per Asia/Taipei day."""

    __tablename__ = "loyalty_shop_limits"
    __table_args__ = (
        CheckConstraint(
            "max_points_per_redemption IS NULL OR max_points_per_redemption > 0",
            name="per_redemption_positive",
        ),
        CheckConstraint(
            "max_points_per_day IS NULL OR max_points_per_day > 0", name="per_day_positive"
        ),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    max_points_per_redemption: Mapped[int | None] = mapped_column(BigInteger)
    max_points_per_day: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
