"""Keep the rollups equal to the facts: incremental refresh, full rebuild, and the check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from merchant_api.programme.device_uses_repository import DeviceUsesRepository
from merchant_api.programme.facts_repository import FactsRepository
from merchant_api.programme.facts_service import taipei_day
from merchant_api.programme.rollup_repository import RollupRepository, month_start

# Telemetry arrives late (devices queue through dropped connections); the refresh re-reads
# this many recent days of device sessions, the nightly rebuild all of them.
DEVICE_LOOKBACK_DAYS = 2


@dataclass(frozen=True)
class RefreshReport:
    days: int
    months: int

    def as_dict(self) -> dict[str, int]:
        return {"days": self.days, "months": self.months}


@dataclass(frozen=True)
class CheckReport:
    daily_differences: int
    monthly_differences: int
    months_checked: int

    @property
    def ok(self) -> bool:
        return self.daily_differences == 0 and self.monthly_differences == 0


class RollupService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = RollupRepository(session)
        self.devices = DeviceUsesRepository(session)
        self.facts = FactsRepository(session)

    async def refresh(self, today: date | None = None) -> RefreshReport:
        """Re-read recent device sessions, recompute the days whose facts changed, then
        their months."""
        today = today or taipei_day(utcnow())
        await self._device_days([today - timedelta(days=n) for n in range(DEVICE_LOOKBACK_DAYS)])
        return await self._fold_dirty_days()

    async def _device_days(self, days: list[date]) -> None:
        for day in days:
            if await self.devices.recompute_day(day):
                await self.facts.mark_dirty(day)

    async def _fold_dirty_days(self) -> RefreshReport:
        days = await self.repo.take_dirty_days()
        for day in days:
            await self.repo.refresh_day(day)
        months = sorted({month_start(day) for day in days})
        for month in months:
            await self.repo.refresh_month(month)
        return RefreshReport(len(days), len(months))

    async def rebuild(self) -> RefreshReport:
        """The nightly job: throw the rollups away and derive them again from every fact,
        set-based (one statement per table), then each month."""
        await self.repo.clear_rollups()
        await self.devices.recompute_all()
        await self.repo.take_dirty_days()
        await self.repo.rebuild_daily()
        months = await self.repo.fact_months()
        for month in months:
            await self.repo.refresh_month(month)
        return RefreshReport(await self.repo.fact_day_count(), len(months))

    async def check(self, months: list[date] | None = None) -> CheckReport:
        """Compare the rollups with a recomputation from the raw facts (after a refresh)."""
        checked = months if months is not None else await self.repo.fact_months()
        monthly = 0
        for month in checked:
            monthly += await self.repo.monthly_differences(month)
        return CheckReport(await self.repo.daily_differences(), monthly, len(checked))
