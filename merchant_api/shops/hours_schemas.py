"""Opening hours requests and answers. Times are "HH:MM" in Asia/Taipei; "24:00" closes at
midnight; a closing time not after the opening time runs past midnight."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import msgspec

from merchant_api.i18n import pick
from merchant_api.shops.hours_models import OpeningPeriod, ShopClosure, SpecialOpening
from merchant_api.shops.schedule import Closure, OpenStatus


class WeeklyPeriodIn(msgspec.Struct, forbid_unknown_fields=True):
    weekday: int  # 0 Monday ... 6 Sunday
    opens: str
    closes: str


class WeeklyHoursIn(msgspec.Struct, forbid_unknown_fields=True):
    """Replaces every weekly period of the shop; an empty list publishes no weekly hours."""

    periods: list[WeeklyPeriodIn]


class TimeRangeIn(msgspec.Struct, forbid_unknown_fields=True):
    opens: str
    closes: str


class SpecialDayIn(msgspec.Struct, forbid_unknown_fields=True):
    """Replaces the periods of one date; an empty list removes the special opening."""

    periods: list[TimeRangeIn]
    note: dict[str, str] = msgspec.field(default_factory=dict)


class ClosureIn(msgspec.Struct, forbid_unknown_fields=True):
    starts_on: date
    ends_on: date
    kind: str = "temporary"  # or "holiday"
    reason: dict[str, str] = msgspec.field(default_factory=dict)


class PeriodOut(msgspec.Struct):
    weekday: int
    opens: str
    closes: str
    crosses_midnight: bool


class SpecialOut(msgspec.Struct):
    on_date: date
    opens: str
    closes: str
    crosses_midnight: bool
    note: str


class ClosureOut(msgspec.Struct):
    id: uuid.UUID | None
    starts_on: date
    ends_on: date
    kind: str
    reason: str
    reasons: dict[str, str]


class OpeningNow(msgspec.Struct):
    """Open or closed at `at`, in Asia/Taipei. `closed_today` announces a closure covering
    today's date; `has_hours` is false for a shop that published no hours."""

    is_open: bool
    has_hours: bool
    closes_at: datetime | None
    next_opens_at: datetime | None
    closed_today: ClosureOut | None


class HoursOut(msgspec.Struct):
    shop_id: uuid.UUID
    # The moment `now` describes, in Asia/Taipei.
    at: datetime
    time_zone: str
    language: str
    weekly: list[PeriodOut]
    closures: list[ClosureOut]
    special_openings: list[SpecialOut]
    now: OpeningNow


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def period_out(period: OpeningPeriod) -> PeriodOut:
    return PeriodOut(
        weekday=period.weekday,
        opens=clock(period.opens_minute),
        closes=clock(period.closes_minute),
        crosses_midnight=period.closes_minute <= period.opens_minute,
    )


def special_out(period: SpecialOpening, language: str) -> SpecialOut:
    return SpecialOut(
        on_date=period.on_date,
        opens=clock(period.opens_minute),
        closes=clock(period.closes_minute),
        crosses_midnight=period.closes_minute <= period.opens_minute,
        note=pick(period.note, language),
    )


def closure_out(closure: ShopClosure | Closure, language: str) -> ClosureOut:
    return ClosureOut(
        id=getattr(closure, "id", None),
        starts_on=closure.starts_on,
        ends_on=closure.ends_on,
        kind=closure.kind,
        reason=pick(closure.reason, language),
        reasons=dict(closure.reason),
    )


def opening_now(status: OpenStatus, language: str) -> OpeningNow:
    return OpeningNow(
        is_open=status.is_open,
        has_hours=status.has_hours,
        closes_at=status.closes_at,
        next_opens_at=status.next_opens_at,
        closed_today=(closure_out(status.closed_today, language) if status.closed_today else None),
    )
