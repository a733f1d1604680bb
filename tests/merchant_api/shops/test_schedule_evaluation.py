"""Opening hours evaluated at frozen moments in Asia/Taipei: periods past midnight, split days,
closures and special openings. Pure functions; no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from merchant_api.shops.schedule import (
    TAIPEI,
    Closure,
    Schedule,
    SpecialPeriod,
    WeeklyPeriod,
    status_at,
)

# 2026-03-06 is a Friday (weekday 4).
FRIDAY = date(2026, 3, 6)


def taipei(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TAIPEI)


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def weekly(*periods: tuple[int, str, str]) -> tuple[WeeklyPeriod, ...]:
    return tuple(WeeklyPeriod(minutes(a), minutes(b), weekday) for weekday, a, b in periods)


RESTAURANT = Schedule(weekly=weekly((4, "11:00", "14:00"), (4, "17:00", "21:00")))
BAR = Schedule(weekly=weekly((4, "18:00", "02:00")))  # Friday night into Saturday


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (taipei(FRIDAY, 10, 59), False),
        (taipei(FRIDAY, 11, 0), True),
        (taipei(FRIDAY, 13, 59), True),
        (taipei(FRIDAY, 14, 0), False),  # closing minute is not open
        (taipei(FRIDAY, 16, 0), False),
        (taipei(FRIDAY, 20, 30), True),
        (taipei(FRIDAY + timedelta(days=1), 12, 0), False),  # Saturday has no periods
    ],
)
def test_a_day_with_two_periods(at, is_open):
    assert status_at(RESTAURANT, at).is_open is is_open


def test_between_periods_the_next_opening_is_shown_and_while_open_the_closing():
    closed = status_at(RESTAURANT, taipei(FRIDAY, 15, 0))
    assert closed.next_opens_at == taipei(FRIDAY, 17, 0)
    assert closed.next_opens_at.utcoffset() == timedelta(hours=8)
    opened = status_at(RESTAURANT, taipei(FRIDAY, 12, 0))
    assert opened.closes_at == taipei(FRIDAY, 14, 0)
    # After Friday's dinner the next opening is a week later.
    assert status_at(RESTAURANT, taipei(FRIDAY, 22, 0)).next_opens_at == taipei(
        FRIDAY + timedelta(days=7), 11, 0
    )


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (taipei(FRIDAY, 17, 59), False),
        (taipei(FRIDAY, 23, 30), True),
        (taipei(FRIDAY + timedelta(days=1), 1, 59), True),  # Saturday, after midnight
        (taipei(FRIDAY + timedelta(days=1), 2, 0), False),
        (taipei(FRIDAY, 1, 0), False),  # Thursday had no late period to run into Friday
    ],
)
def test_a_period_past_midnight_belongs_to_the_day_it_starts(at, is_open):
    assert status_at(BAR, at).is_open is is_open


def test_utc_moments_are_read_in_taipei_time():
    # 03:30 UTC on Friday is 11:30 in Taipei: open. 02:30 UTC is 10:30: closed.
    assert status_at(RESTAURANT, datetime(2026, 3, 6, 3, 30, tzinfo=UTC)).is_open
    assert not status_at(RESTAURANT, datetime(2026, 3, 6, 2, 30, tzinfo=UTC)).is_open


def test_back_to_back_periods_close_at_the_end_of_the_run():
    schedule = Schedule(weekly=weekly((4, "20:00", "24:00"), (5, "00:00", "03:00")))
    status = status_at(schedule, taipei(FRIDAY, 21, 0))
    assert status.is_open and status.closes_at == taipei(FRIDAY + timedelta(days=1), 3, 0)


def test_a_closure_closes_whole_days_and_is_announced_as_closed_today():
    closure = Closure(FRIDAY, FRIDAY, "holiday", {"zh-Hant-TW": "豐年祭", "en": "Harvest festival"})
    schedule = Schedule(weekly=RESTAURANT.weekly, closures=(closure,))
    status = status_at(schedule, taipei(FRIDAY, 12, 0))
    assert not status.is_open
    assert status.closed_today == closure
    assert status.next_opens_at == taipei(FRIDAY + timedelta(days=7), 11, 0)
    # The next Friday is not closed.
    assert status_at(schedule, taipei(FRIDAY + timedelta(days=7), 12, 0)).is_open


def test_a_closure_on_the_start_day_cancels_the_part_after_midnight_too():
    schedule = Schedule(weekly=BAR.weekly, closures=(Closure(FRIDAY, FRIDAY),))
    saturday_early = taipei(FRIDAY + timedelta(days=1), 1, 0)
    assert not status_at(schedule, saturday_early).is_open
    assert status_at(schedule, saturday_early).closed_today is None  # Saturday is not closed


def test_a_special_opening_replaces_the_weekly_periods_of_its_date():
    saturday = FRIDAY + timedelta(days=1)
    schedule = Schedule(
        weekly=RESTAURANT.weekly,
        special=(SpecialPeriod(minutes("09:00"), minutes("12:00"), saturday),),
    )
    assert status_at(schedule, taipei(saturday, 10, 0)).is_open
    assert status_at(schedule, taipei(FRIDAY, 22, 0)).next_opens_at == taipei(saturday, 9, 0)
    special_friday = Schedule(
        weekly=RESTAURANT.weekly,
        special=(SpecialPeriod(minutes("15:00"), minutes("16:00"), FRIDAY),),
    )
    assert not status_at(special_friday, taipei(FRIDAY, 12, 0)).is_open
    assert status_at(special_friday, taipei(FRIDAY, 15, 30)).is_open


def test_a_shop_without_hours_is_open_except_on_closure_days():
    assert status_at(Schedule(), taipei(FRIDAY, 3, 0)).is_open
    closed = Schedule(closures=(Closure(FRIDAY, FRIDAY + timedelta(days=2)),))
    status = status_at(closed, taipei(FRIDAY + timedelta(days=1), 12, 0))
    assert not status.is_open and not status.has_hours


def test_naive_moments_are_refused():
    with pytest.raises(ValueError):
        status_at(RESTAURANT, datetime(2026, 3, 6, 12, 0))
