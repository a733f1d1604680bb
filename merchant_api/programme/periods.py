"""ROC years, quarters and months as date ranges in Asia/Taipei."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from merchant_api.programme.definitions import gregorian_year, roc_year

TAIPEI = ZoneInfo("Asia/Taipei")


def year_days(roc: int) -> tuple[date, date]:
    """[1 January, next 1 January) of the ROC year."""
    year = gregorian_year(roc)
    return date(year, 1, 1), date(year + 1, 1, 1)


def year_instants(roc: int) -> tuple[datetime, datetime]:
    start, end = year_days(roc)
    return (
        datetime(start.year, 1, 1, tzinfo=TAIPEI),
        datetime(end.year, 1, 1, tzinfo=TAIPEI),
    )


def roc_of(value: date | datetime) -> int:
    if isinstance(value, datetime):
        value = value.astimezone(TAIPEI).date()
    return roc_year(value.year)


def as_day(value: object) -> date:
    """Dates come back as date objects (asyncpg) or ISO strings (SQLite text SQL)."""
    if isinstance(value, datetime):
        return value.astimezone(TAIPEI).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def current_roc_year() -> int:
    return roc_year(datetime.now(TAIPEI).year)
