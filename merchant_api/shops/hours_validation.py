"""Checks on opening periods and closures, reported as request-body problems naming the
field ("periods[2].closes"), so the client can point at the wrong input."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from merchant_api.shops.hours_models import MINUTES_PER_DAY

_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
MAX_PERIODS_PER_DAY = 6
MAX_CLOSURE_DAYS = 366

Problems = list[dict[str, str]]


def problem(key: str, message: str) -> dict[str, str]:
    return {"key": key, "message": message, "source": "body"}


def parse_clock(text: str, key: str, problems: Problems, *, closing: bool) -> int | None:
    """Minutes after midnight for "HH:MM"; "24:00" only as a closing time."""
    found = _CLOCK.match(text.strip()) if isinstance(text, str) else None
    minute = int(found.group(1)) * 60 + int(found.group(2)) if found else None
    if minute is None or minute > MINUTES_PER_DAY or (minute == MINUTES_PER_DAY and not closing):
        problems.append(problem(key, 'Not a time of day; write "HH:MM", like "09:30".'))
        return None
    return minute


def span(opens: int, closes: int) -> tuple[int, int]:
    """Start and end in minutes after the start of the opening day (end may pass 1440)."""
    return opens, closes if closes > opens else closes + MINUTES_PER_DAY


def overlap_problems(
    ranges: Sequence[tuple[str, int, int]], *, wrap: int | None, field: str
) -> Problems:
    """Pairs of ranges that overlap; `ranges` are (key, start, end). With `wrap`, ranges live
    on a circle of that length (a week: Sunday's late period runs into Monday)."""
    problems: Problems = []
    shifts = (0, wrap, -wrap) if wrap else (0,)
    ordered = sorted(ranges, key=lambda item: item[1])
    for index, (key, start, end) in enumerate(ordered):
        for other_key, other_start, other_end in ordered[index + 1 :]:
            if any(start < other_end + s and other_start + s < end for s in shifts):
                problems.append(problem(f"{field}{other_key}", f"Overlaps {field}{key}."))
    return problems


def closure_problems(starts_on: date, ends_on: date, kind: str, today: date) -> Problems:
    problems: Problems = []
    if kind not in ("holiday", "temporary"):
        problems.append(problem("kind", 'Use "holiday" or "temporary".'))
    if ends_on < starts_on:
        problems.append(problem("ends_on", "The closure ends before it starts."))
    elif (ends_on - starts_on).days >= MAX_CLOSURE_DAYS:
        problems.append(problem("ends_on", f"A closure lasts at most {MAX_CLOSURE_DAYS} days."))
    if ends_on < today:
        problems.append(problem("ends_on", "The closure is already over."))
    return problems
