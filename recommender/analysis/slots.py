"""Weak weekday hours: a two-hour window that sells far below the shop's usual hour."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommender.forecast.grid import HourlyGrid

WINDOW = 2
MIN_WEEKS = 4


@dataclass(frozen=True)
class SlowSlot:
    weekday: int  # 0 = Monday
    start_hour: int
    weeks: int  # how many of this weekday the averages span
    slot_sales_per_hour: int  # minor units, mean over the weeks
    usual_sales_per_hour: int  # the shop's mean over its open weekday hours
    gap_per_week: int  # minor units the window falls short each week
    by_hour: list[int]  # mean sales per hour of that weekday, for the chart
    open_hours: list[int]

    @property
    def shortfall_pct(self) -> int:
        return round(100 * (1 - self.slot_sales_per_hour / self.usual_sales_per_hour))


def slow_slot(grid: HourlyGrid, row: int) -> SlowSlot | None:
    """The open two-hour weekday window furthest below the usual open hour, if any."""
    sold_days = np.flatnonzero(grid.sales[row].sum(axis=1) > 0)
    if sold_days.size == 0:
        return None
    # Weeks before the shop's first sale (it joined later) are not quiet weeks.
    sales = grid.sales[row, sold_days[0] :]  # [day, hour]
    weekdays = np.array([d.weekday() for d in grid.days[sold_days[0] :]])
    best: SlowSlot | None = None
    sold_hours = sales > 0
    # Open hours come from all weekdays together, so a dead hour on one weekday still counts
    # as open (it is exactly what we look for).
    workdays = weekdays < 5
    open_hours = [h for h in range(24) if workdays.any() and sold_hours[workdays, h].mean() >= 0.5]
    for weekday in range(5):  # Monday-Friday: weekends are a different trade
        days = weekdays == weekday
        weeks = int(days.sum())
        if weeks < MIN_WEEKS:
            continue
        by_hour = sales[days].mean(axis=0)
        if len(open_hours) < WINDOW + 2:
            continue
        usual = float(by_hour[open_hours].mean())
        for start in open_hours:
            hours = list(range(start, start + WINDOW))
            if not all(h in open_hours for h in hours):
                continue
            slot = float(by_hour[hours].mean())
            if usual <= 0 or slot >= 0.75 * usual:
                continue
            gap = round((usual - slot) * WINDOW)
            if best is None or gap > best.gap_per_week:
                best = SlowSlot(
                    weekday=weekday,
                    start_hour=start,
                    weeks=weeks,
                    slot_sales_per_hour=round(slot),
                    usual_sales_per_hour=round(usual),
                    gap_per_week=gap,
                    by_hour=[round(v) for v in by_hour],
                    open_hours=open_hours,
                )
    return best
