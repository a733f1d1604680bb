"""Device sessions per Taipei day, from the devices package's hourly telemetry rollup.

The telemetry table belongs to a package built alongside this one and is read by table name
inside a savepoint, so a database without it yet records no device uses rather than failing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import UTCDateTime
from merchant_api.programme.models import ProgrammeDeviceUse
from merchant_api.programme.periods import TAIPEI

HOURLY = sa.table(
    "telemetry_hourly",
    sa.column("device_id", sa.Uuid()),
    sa.column("hour", UTCDateTime()),
    sa.column("shop_id", sa.Uuid()),
    sa.column("street_id", sa.Uuid()),
    sa.column("device_type", sa.String()),
    sa.column("hotspot_sessions", sa.BigInteger()),
    sa.column("carts_started", sa.BigInteger()),
)
# Which hourly column counts the sessions of which use source.
SESSION_COLUMNS = (("hotspot_session", "hotspot_sessions"), ("kiosk_session", "carts_started"))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=TAIPEI)
    return start, start + timedelta(days=1)


class DeviceUsesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def telemetry_days(self) -> list[date] | None:
        """Every Taipei day with hourly telemetry; None when the table does not exist."""
        try:
            async with self.session.begin_nested():
                first, last = (
                    await self.session.execute(
                        sa.select(sa.func.min(HOURLY.c.hour), sa.func.max(HOURLY.c.hour))
                    )
                ).one()
        except sa.exc.DBAPIError:
            return None
        if first is None:
            return []
        start, end = first.astimezone(TAIPEI).date(), last.astimezone(TAIPEI).date()
        return [start + timedelta(days=n) for n in range((end - start).days + 1)]

    async def recompute_all(self) -> bool:
        """Every day's device uses in one statement per source (the nightly rebuild)."""
        postgres = self.session.bind.dialect.name == "postgresql"  # type: ignore[union-attr]
        # Taipei has had no daylight saving since 1979: a fixed +8 hours is exact.
        day = (
            sa.cast(sa.func.timezone("Asia/Taipei", HOURLY.c.hour), sa.Date())
            if postgres
            else sa.func.date(HOURLY.c.hour, "+8 hours")
        )
        try:
            async with self.session.begin_nested():
                await self.session.execute(sa.delete(ProgrammeDeviceUse))
                for source, column in SESSION_COLUMNS:
                    sessions = sa.func.sum(HOURLY.c[column])
                    select = (
                        sa.select(
                            day,
                            HOURLY.c.device_id,
                            sa.literal(source, sa.String()),
                            HOURLY.c.street_id,
                            HOURLY.c.shop_id,
                            sessions,
                        )
                        .group_by(day, HOURLY.c.device_id, HOURLY.c.street_id, HOURLY.c.shop_id)
                        .having(sessions > 0)
                    )
                    await self.session.execute(
                        sa.insert(ProgrammeDeviceUse).from_select(
                            ["day", "device_id", "source", "street_id", "shop_id", "sessions"],
                            select,
                        )
                    )
        except sa.exc.DBAPIError:
            return False
        return True

    async def recompute_day(self, day: date) -> bool:
        """Replace the day's device uses with a fresh sum; whether the day has (or had) any."""
        start, end = day_bounds(day)
        try:
            async with self.session.begin_nested():
                deleted = await self.session.execute(
                    sa.delete(ProgrammeDeviceUse).where(ProgrammeDeviceUse.day == day)
                )
                touched = deleted.rowcount
                for source, column in SESSION_COLUMNS:
                    sessions = sa.func.sum(HOURLY.c[column])
                    select = (
                        sa.select(
                            sa.literal(day, sa.Date()),
                            HOURLY.c.device_id,
                            sa.literal(source, sa.String()),
                            HOURLY.c.street_id,
                            HOURLY.c.shop_id,
                            sessions,
                        )
                        .where(HOURLY.c.hour >= start, HOURLY.c.hour < end)
                        .group_by(HOURLY.c.device_id, HOURLY.c.street_id, HOURLY.c.shop_id)
                        .having(sessions > 0)
                    )
                    inserted = await self.session.execute(
                        sa.insert(ProgrammeDeviceUse).from_select(
                            ["day", "device_id", "source", "street_id", "shop_id", "sessions"],
                            select,
                        )
                    )
                    touched += inserted.rowcount
        except sa.exc.DBAPIError:
            return False
        return touched > 0
