"""Server-drawn bar charts: numbers in, bar heights out, so the pages need no chart script
(weak rural connections, printable reports)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def bars(points: Sequence[tuple[str, int | None]], height: int = 80) -> dict[str, Any]:
    """{"bars": [{"label", "value", "height"}], "max"} with heights in pixels (None = no data
    shown, e.g. a suppressed cell)."""
    top = max((value or 0 for _, value in points), default=0)
    return {
        "max": top,
        "height": height,
        "bars": [
            {
                "label": label,
                "value": value,
                "height": 0 if not top or value is None else max(1, round(value * height / top)),
            }
            for label, value in points
        ],
    }


def progress_percent(actual: int, target: int) -> int | None:
    return None if not target else min(999, round(actual * 100 / target))
