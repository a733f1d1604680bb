"""Weekly time windows, kept in Asia/Taipei wall-clock time like the shop's own sign.

A window is {"weekday": 0-6 (Monday 0), "start": "HH:MM", "end": "HH:MM"} with start < end;
"24:00" may end a window. An overnight offer is two windows. No windows means always.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def window_problems(field: str, windows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    for index, window in enumerate(windows):
        key = f"{field}[{index}]"
        weekday, start, end = window.get("weekday"), window.get("start"), window.get("end")
        if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6:
            problems.append(
                {"key": f"{key}.weekday", "message": "0 (Monday) to 6 (Sunday).", "source": "body"}
            )
        bad_clock = False
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, str) or not _CLOCK.match(value):
                problems.append(
                    {"key": f"{key}.{name}", "message": "A time as HH:MM.", "source": "body"}
                )
                bad_clock = True
        if not bad_clock and minutes(str(start)) >= minutes(str(end)):
            problems.append(
                {"key": f"{key}.end", "message": "Must be after start.", "source": "body"}
            )
    return problems


def is_open_at(windows: Iterable[Mapping[str, Any]], at: datetime) -> bool:
    windows = list(windows)
    if not windows:
        return True
    local = at.astimezone(TAIPEI)
    now = local.hour * 60 + local.minute
    return any(
        window["weekday"] == local.weekday()
        and minutes(window["start"]) <= now < minutes(window["end"])
        for window in windows
    )
