"""A shop's opening hours: weekly periods, closures and special opening days.

Times are minutes after midnight in Asia/Taipei (the streets' only time zone, without daylight
saving), so search can compare them in SQL on both databases. A period whose closing minute is
not after its opening minute runs past midnight into the next day (18:00-02:00), and belongs
to the day it starts on.

Precedence on a calendar day (Asia/Taipei): a closure closes the whole day (including the
after-midnight part of that day's late period); otherwise special opening periods for that date
replace the weekly periods of its weekday; otherwise the weekly periods apply.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, utcnow

MINUTES_PER_DAY = 24 * 60
# The minute range of a period; closes_minute 1440 means "until midnight".
_MINUTES = (
    f"opens_minute BETWEEN 0 AND {MINUTES_PER_DAY - 1}"
    f" AND closes_minute BETWEEN 0 AND {MINUTES_PER_DAY}"
    " AND opens_minute <> closes_minute"
)


class OpeningPeriod(UUIDPrimaryKey, Base):
    """One weekly period; a day may have several (11:00-14:00 and 17:00-21:00)."""

    __tablename__ = "shop_opening_periods"
    __table_args__ = (
        # 0 is Monday, as Python's date.weekday().
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint(_MINUTES, name="minutes_range"),
        Index("ix_shop_opening_periods_shop_id_weekday", "shop_id", "weekday"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    weekday: Mapped[int]
    opens_minute: Mapped[int]
    closes_minute: Mapped[int]


class ShopClosure(UUIDPrimaryKey, Base):
    """Closed on every day from `starts_on` to `ends_on`, both included (Asia/Taipei dates)."""

    __tablename__ = "shop_closures"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint("kind IN ('holiday', 'temporary')", name="kind_known"),
        Index("ix_shop_closures_shop_id_ends_on", "shop_id", "ends_on"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(16))
    # {"zh-Hant-TW": "農曆春節", "en": "Lunar New Year"}
    reason: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SpecialOpening(UUIDPrimaryKey, Base):
    """A period on one date that replaces that date's weekly periods (festival days, a market
    on a usually closed Monday). Several rows on one date give several periods."""

    __tablename__ = "shop_special_openings"
    __table_args__ = (
        CheckConstraint(_MINUTES, name="minutes_range"),
        Index("ix_shop_special_openings_shop_id_on_date", "shop_id", "on_date"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    on_date: Mapped[date]
    opens_minute: Mapped[int]
    closes_minute: Mapped[int]
    note: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
