"""Evaluating a shop's opening hours at a moment: pure functions, no database.

Search evaluates many shops at once with `status_at`; tests freeze time by passing `at`.
The rules (see merchant_api.shops.hours_models): minutes are Asia/Taipei; a period whose
closing minute is not after its opening minute ends on the next day; a closure closes whole
days; special openings replace the weekly periods of their date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")
# How far ahead "next opening" looks; a shop closed longer shows no next opening.
LOOKAHEAD_DAYS = 62


@dataclass(frozen=True)
class Period:
    opens_minute: int
    closes_minute: int

    @property
    def crosses_midnight(self) -> bool:
        return self.closes_minute <= self.opens_minute

    def on(self, day: date) -> tuple[datetime, datetime]:
        """The period's start and end on `day`, as aware Asia/Taipei datetimes."""
        midnight = datetime(day.year, day.month, day.day, tzinfo=TAIPEI)
        start = midnight + timedelta(minutes=self.opens_minute)
        end_day = midnight + timedelta(days=1) if self.crosses_midnight else midnight
        return start, end_day + timedelta(minutes=self.closes_minute)


@dataclass(frozen=True)
class WeeklyPeriod(Period):
    weekday: int = 0  # 0 is Monday


@dataclass(frozen=True)
class Closure:
    starts_on: date
    ends_on: date
    kind: str = "temporary"
    reason: dict[str, str] = field(default_factory=dict)

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class SpecialPeriod(Period):
    on_date: date = date.min


@dataclass(frozen=True)
class Schedule:
    weekly: tuple[WeeklyPeriod, ...] = ()
    closures: tuple[Closure, ...] = ()
    special: tuple[SpecialPeriod, ...] = ()

    @property
    def has_hours(self) -> bool:
        """Whether the shop published any hours; shops that did not are treated as open
        whenever they are not closed (small shops often never fill hours in)."""
        return bool(self.weekly or self.special)

    def closure_on(self, day: date) -> Closure | None:
        return next((closure for closure in self.closures if closure.covers(day)), None)

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The open intervals that start on `day` (Asia/Taipei), in order."""
        if self.closure_on(day) is not None:
            return []
        special = [period for period in self.special if period.on_date == day]
        chosen: list[Period] = (
            list(special)
            if special
            else [period for period in self.weekly if period.weekday == day.weekday()]
        )
        return sorted(period.on(day) for period in chosen)


@dataclass(frozen=True)
class OpenStatus:
    is_open: bool
    # When the current interval ends (open) / the next one starts (closed); Asia/Taipei.
    closes_at: datetime | None
    next_opens_at: datetime | None
    # The closure covering the Taipei date of `at`: "closed today", with its reason.
    closed_today: Closure | None
    has_hours: bool


def status_at(schedule: Schedule, at: datetime) -> OpenStatus:
    """Open or closed at the aware datetime `at`, and when that changes next."""
    if at.tzinfo is None:
        raise ValueError("pass an aware datetime")
    local = at.astimezone(TAIPEI)
    today = local.date()
    closed_today = schedule.closure_on(today)
    if not schedule.has_hours:
        return OpenStatus(
            is_open=closed_today is None,
            closes_at=None,
            next_opens_at=None,
            closed_today=closed_today,
            has_hours=False,
        )
    # Yesterday's late period may still be running after midnight.
    for day in (today - timedelta(days=1), today):
        for start, end in schedule.periods_on(day):
            if start <= local < end:
                return OpenStatus(True, _end_of_run(schedule, end), None, closed_today, True)
    return OpenStatus(False, None, _next_opening(schedule, local), closed_today, True)


def open_at(schedule: Schedule, at: datetime) -> bool:
    return status_at(schedule, at).is_open


def _next_opening(schedule: Schedule, local: datetime) -> datetime | None:
    for offset in range(LOOKAHEAD_DAYS):
        for start, _end in schedule.periods_on(local.date() + timedelta(days=offset)):
            if start > local:
                return start
    return None


def _end_of_run(schedule: Schedule, end: datetime) -> datetime:
    """Where back-to-back intervals (22:00-24:00 then 00:00-02:00) really close."""
    for _ in range(LOOKAHEAD_DAYS):
        following = [
            later_end
            for day in (end.date() - timedelta(days=1), end.date())
            for start, later_end in schedule.periods_on(day)
            if start <= end < later_end
        ]
        if not following:
            return end
        end = max(following)
    return end
