"""KPI figures against targets, and their breakdowns, computed from records and rollups.

Uses and business come from the rollups (fast at any size); areas, devices, services and
courses are counted from their records (hundreds, not millions), so each figure is the
length of the record list a drill-down shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import ValidationFailed
from merchant_api.i18n import pick
from merchant_api.programme.definitions import DEFINITIONS, PLAN_YEARS, Kpi
from merchant_api.programme.kpi_repository import Filters, KpiRepository
from merchant_api.programme.models import ProgrammeDemographicRollup as Demo
from merchant_api.programme.models import ProgrammeMonthlyRollup as Rollup
from merchant_api.programme.periods import (
    as_day,
    current_roc_year,
    roc_of,
    year_days,
    year_instants,
)
from merchant_api.programme.targets_repository import TargetsRepository
from merchant_api.streets.models import Street

TIME_DIMENSIONS = ("year", "quarter", "month")
PLACE_DIMENSIONS = ("county", "digital_level", "area_flag", "street")
DIMENSIONS: dict[Kpi, tuple[str, ...]] = {
    Kpi.areas: ("year", *PLACE_DIMENSIONS),
    Kpi.devices: (*TIME_DIMENSIONS, *PLACE_DIMENSIONS, "type"),
    Kpi.services: (*TIME_DIMENSIONS, *PLACE_DIMENSIONS, "category", "service"),
    Kpi.courses: (*TIME_DIMENSIONS, *PLACE_DIMENSIONS),
    Kpi.uses: (
        *TIME_DIMENSIONS,
        *PLACE_DIMENSIONS,
        "category",
        "channel",
        "method",
        "source",
        "gender",
        "age_group",
    ),
    Kpi.business: (
        *TIME_DIMENSIONS,
        *PLACE_DIMENSIONS,
        "category",
        "channel",
        "method",
        "source",
    ),
}
_ROLLUP_GROUPS: dict[str, list[Any]] = {
    "county": [Street.county],
    "digital_level": [Street.digital_level],
    "area_flag": [Street.is_remote, Street.is_outlying_island, Street.is_indigenous_area],
    # Grouped by slug only: PostgreSQL cannot group by a JSON column such as the name.
    "street": [Street.slug.label("street_slug")],
    "category": [Rollup.category],
    "channel": [Rollup.channel],
    "method": [Rollup.method],
    "source": [Rollup.source],
    "year": [Rollup.month],
    "quarter": [Rollup.month],
    "month": [Rollup.month],
}
FLAGS = ("remote", "outlying_island", "indigenous_area")


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    value: int | None
    records: int
    suppressed: bool


def _flags(row: dict[str, Any]) -> list[str]:
    found = [flag for flag in FLAGS if row.get(f"is_{flag}")]
    return found or ["none"]


def _keys(by: str, row: dict[str, Any]) -> list[tuple[str, str]]:
    """The (key, label) cells one record or rollup row falls into."""
    if by == "area_flag":
        return [(flag, flag) for flag in _flags(row)]
    if by == "street":
        slug = str(row["street_slug"])
        return [(slug, pick(row.get("street_name"), "zh-Hant-TW") or slug)]
    if by == "year" and row.get("roc_year"):
        return [(str(row["roc_year"]), str(row["roc_year"]))]
    if by in TIME_DIMENSIONS:
        day = as_day(row.get("month") or row["at"])
        roc = roc_of(day)
        key = {
            "year": str(roc),
            "quarter": f"Q{(day.month - 1) // 3 + 1}",
            "month": f"{day.month:02d}",
        }[by]
        return [(key, key)]
    value = row.get(by)
    return [(str(value), str(value))] if value is not None else [("unknown", "unknown")]


class KpiService:
    def __init__(self, session: AsyncSession, min_cell_count: int = 5) -> None:
        self.repo = KpiRepository(session)
        self.targets_repo = TargetsRepository(session)
        self.min_cell = min_cell_count
        self._memo: dict[Any, Any] = {}

    def years(self, roc: int | None = None) -> list[int]:
        last = max(PLAN_YEARS[-1], current_roc_year(), roc or 0)
        return list(range(PLAN_YEARS[0], last + 1))

    async def targets(self) -> dict[Kpi, dict[int, int]]:
        """Targets in the plan's units: the plan's defaults, then an admin's overrides."""
        overrides = await self.targets_repo.overrides()
        result: dict[Kpi, dict[int, int]] = {}
        for kpi, definition in DEFINITIONS.items():
            years = {year: definition.plan_targets.get(year, 0) for year in self.years()}
            for (name, year), target in overrides.items():
                if name == kpi.value:
                    years[year] = target
            result[kpi] = years
        return result

    async def overview(self, roc: int, filters: Filters) -> list[dict[str, Any]]:
        targets = await self.targets()
        years = self.years(roc)
        out = []
        for kpi, definition in DEFINITIONS.items():
            per_year, per_month, available = await self._actuals(kpi, years, roc, filters)
            rows = []
            for year in years:
                target = targets[kpi].get(year, 0) * definition.target_scale
                actual = per_year.get(year, 0)
                progress = round(actual / target, 4) if target else None
                rows.append(
                    {"roc_year": year, "target": target, "actual": actual, "progress": progress}
                )
            out.append(
                {
                    "kpi": kpi.value,
                    "name_zh": definition.name_zh,
                    "name_en": definition.name_en,
                    "unit": definition.unit,
                    "plan_unit_scale": definition.target_scale,
                    "counts": definition.counts,
                    "excludes": definition.excludes,
                    "source_available": available,
                    "years": rows,
                    "selected": next(row for row in rows if row["roc_year"] == roc),
                    "monthly": [{"month": m, "actual": per_month.get(m, 0)} for m in range(1, 13)],
                }
            )
        return out

    async def _actuals(
        self, kpi: Kpi, years: list[int], roc: int, filters: Filters
    ) -> tuple[dict[int, int], dict[int, int], bool]:
        per_year: dict[int, int] = defaultdict(int)
        per_month: dict[int, int] = defaultdict(int)
        if kpi in (Kpi.uses, Kpi.business):
            start, end = year_days(years[0])[0], year_days(years[-1])[1]
            for row in await self._sums(start, end, filters, "month"):
                day, value = as_day(row["month"]), _value(kpi, row)
                per_year[roc_of(day)] += value
                if roc_of(day) == roc:
                    per_month[day.month] += value
            return per_year, per_month, True
        records = await self.records(kpi, years[0], years[-1], filters)
        if records is None:
            return per_year, per_month, False
        for record in records:
            per_year[record["roc_year"]] += 1
            if record["roc_year"] == roc and record.get("at") is not None:
                per_month[as_day(record["at"]).month] += 1
        return per_year, per_month, True

    async def _sums(self, start: Any, end: Any, filters: Filters, by: str) -> list[dict[str, Any]]:
        """Rollup sums, remembered for this service's lifetime: uses and business read the
        same rows, and a dashboard asks for each several times."""
        # year, quarter and month group alike (by month).
        key = ("sums", start, end, filters, "month" if by in TIME_DIMENSIONS else by)
        if key not in self._memo:
            self._memo[key] = await self.repo.rollup_sums(start, end, filters, _ROLLUP_GROUPS[by])
        return self._memo[key]

    async def records(
        self, kpi: Kpi, first: int, last: int, filters: Filters
    ) -> list[dict[str, Any]] | None:
        """The records behind a record-counted KPI for ROC years first..last, each with its
        roc_year; None when the source does not exist yet (devices). Every year's records
        are read once per service and filtered here (they are few)."""
        key = ("records", kpi, filters)
        if key not in self._memo:
            years = self.years(last)
            self._memo[key] = await self._all_records(kpi, years[0], years[-1], filters)
        found = self._memo[key]
        if found is None:
            return None
        return [row for row in found if first <= row["roc_year"] <= last]

    async def _all_records(
        self, kpi: Kpi, first: int, last: int, filters: Filters
    ) -> list[dict[str, Any]] | None:
        start, end = year_days(first)[0], year_days(last)[1]
        if kpi == Kpi.areas:
            rows = [
                {**row, "roc_year": row["programme_year_joined"], "at": None}
                for row in await self.repo.area_streets(filters)
                if row["has_active_hotspot"] and row["has_active_shop"]
            ]
            return [row for row in rows if first <= row["roc_year"] <= last]
        if kpi == Kpi.devices:
            devices = await self.repo.devices(filters)
            if devices is None:
                return None
            rows = [{**d, "at": d["installed_on"] or d["created_at"]} for d in devices]
        elif kpi == Kpi.services:
            instants = year_instants(first)[0], year_instants(last)[1]
            rows = [
                *(await self.repo.adoptions(*instants, filters)),
                *(await self.repo.registered_services(start, end, filters)),
            ]
        elif kpi == Kpi.courses:
            rows = await self.repo.courses(start, end, filters)
        else:
            raise ValidationFailed(f"{kpi.value} is counted from rollups, not records.")
        dated = [{**row, "roc_year": roc_of(as_day(row["at"]))} for row in rows]
        return [row for row in dated if first <= row["roc_year"] <= last]

    async def breakdown(self, kpi: Kpi, by: str, roc: int, filters: Filters) -> list[Cell]:
        if by not in DIMENSIONS[kpi]:
            raise ValidationFailed(
                f"{kpi.value} cannot be broken down by {by!r}.",
                details={"allowed": list(DIMENSIONS[kpi])},
            )
        years = self.years(roc) if by == "year" else [roc]
        if kpi in (Kpi.uses, Kpi.business):
            return await self._rollup_breakdown(kpi, by, years, filters)
        records = await self.records(kpi, years[0], years[-1], filters) or []
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for record in records:
            for cell in _keys(by, record):
                counts[cell] += 1
        # Programme records (streets, devices, courses, shops' adoptions) are not personal.
        return [Cell(key, label, n, n, False) for (key, label), n in sorted(counts.items())]

    async def _rollup_breakdown(
        self, kpi: Kpi, by: str, years: list[int], filters: Filters
    ) -> list[Cell]:
        start, end = year_days(years[0])[0], year_days(years[-1])[1]
        if by in ("gender", "age_group"):
            group = [getattr(Demo, by)]
            rows = await self.repo.demographic_sums(start, end, filters, group)
        else:
            rows = await self._sums(start, end, filters, by)
        values: dict[tuple[str, str], int] = defaultdict(int)
        records: dict[tuple[str, str], int] = defaultdict(int)
        for row in rows:
            for cell in _keys(by, row):
                values[cell] += _value(kpi, row)
                records[cell] += int(row["uses"] if kpi == Kpi.uses else row["business_records"])
        return [
            self._cell(key, label, values[(key, label)], records[(key, label)])
            for key, label in sorted(values)
        ]

    def _cell(self, key: str, label: str, value: int, records: int) -> Cell:
        """Cells resting on fewer than min_cell_count records are suppressed."""
        if records < self.min_cell:
            return Cell(key, label, None, records if records == 0 else 0, True)
        return Cell(key, label, value, records, False)


def _value(kpi: Kpi, row: dict[str, Any]) -> int:
    if kpi == Kpi.uses:
        return int(row["uses"] or 0)
    # Business is reported in whole TWD; the facts keep minor units.
    return int(row["business_minor"] or 0) // 100
