"""Campaign uplift by difference in differences on daily sales.

The treated shops' change in mean daily sales (after minus before) minus the same change on
comparable streets without the campaign: streets of the same county, else of the same
digital level. What moved every street alike (season, weather, a holiday) cancels out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from recommender.features.repository import ShopInfo

MIN_DAYS = 7  # each window needs a week for a day-of-week mix


@dataclass(frozen=True)
class Uplift:
    comparable_by: str  # "county" or "digital_level"
    treated_shops: int
    control_shops: int
    before_days: int
    after_days: int
    treated_before_minor: int  # mean daily sales per shop
    treated_after_minor: int
    control_before_minor: int
    control_after_minor: int

    @property
    def effect_per_day_minor(self) -> int:
        treated = self.treated_after_minor - self.treated_before_minor
        return treated - (self.control_after_minor - self.control_before_minor)

    @property
    def effect_pct(self) -> int | None:
        if self.treated_before_minor <= 0:
            return None
        return round(100 * self.effect_per_day_minor / self.treated_before_minor)

    def as_dict(self) -> dict[str, object]:
        return {
            "method": "difference_in_differences",
            "comparable_by": self.comparable_by,
            "treated_shops": self.treated_shops,
            "control_shops": self.control_shops,
            "before_days": self.before_days,
            "after_days": self.after_days,
            "treated_before_minor": self.treated_before_minor,
            "treated_after_minor": self.treated_after_minor,
            "control_before_minor": self.control_before_minor,
            "control_after_minor": self.control_after_minor,
            "effect_per_day_minor": self.effect_per_day_minor,
            "effect_pct": self.effect_pct,
        }


def comparable_shops(
    shops: list[ShopInfo], treated_streets: set[uuid.UUID], excluded_streets: set[uuid.UUID]
) -> tuple[str, list[ShopInfo]]:
    """Shops on other streets of the same county, else of the same digital level."""
    treated = [s for s in shops if s.street_id in treated_streets]
    others = [s for s in shops if s.street_id not in treated_streets | excluded_streets]
    counties = {s.county for s in treated}
    same_county = [s for s in others if s.county in counties]
    if same_county:
        return "county", same_county
    levels = {s.digital_level for s in treated}
    return "digital_level", [s for s in others if s.digital_level in levels]


def _mean_daily(
    totals: Iterable[tuple[uuid.UUID, datetime, int]],
    shops: set[uuid.UUID],
    start: datetime,
    end: datetime,
) -> int:
    days = max((end - start).days, 1)
    total = sum(t for shop, at, t in totals if shop in shops and start <= at < end)
    return round(total / (len(shops) * days))


def diff_in_diff(
    totals: list[tuple[uuid.UUID, datetime, int]],
    treated: set[uuid.UUID],
    control: set[uuid.UUID],
    comparable_by: str,
    before_start: datetime,
    split: datetime,
    end: datetime,
) -> Uplift | str:
    """The uplift, or the reason it cannot be measured (a stable code)."""
    if not control:
        return "no_comparable_street"
    if (split - before_start).days < MIN_DAYS or (end - split).days < MIN_DAYS:
        return "window_too_short"
    if not any(shop in treated and before_start <= at < split for shop, at, _ in totals):
        return "no_sales_before"
    return Uplift(
        comparable_by=comparable_by,
        treated_shops=len(treated),
        control_shops=len(control),
        before_days=(split - before_start).days,
        after_days=(end - split).days,
        treated_before_minor=_mean_daily(totals, treated, before_start, split),
        treated_after_minor=_mean_daily(totals, treated, split, end),
        control_before_minor=_mean_daily(totals, control, before_start, split),
        control_after_minor=_mean_daily(totals, control, split, end),
    )
