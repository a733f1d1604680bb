"""Monthly partitions ahead of time, retention of raw events, and rollups of recent hours.

PostgreSQL keeps raw events in monthly partitions (schema telemetry_partitions); retention
drops whole partitions, which is instant and leaves no bloat. SQLite deletes rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.telemetry.models import PARTITION_SCHEMA
from merchant_api.telemetry.repository import TelemetryRepository
from merchant_api.telemetry.service import TelemetryService


def _month_start(year: int, month: int, shift: int = 0) -> datetime:
    index = year * 12 + (month - 1) + shift
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def partition_name(start: datetime) -> str:
    return f"telemetry_events_{start.year:04d}_{start.month:02d}"


async def ensure_partitions(
    session: AsyncSession, since: datetime, now: datetime, months_ahead: int = 2
) -> list[str]:
    """Create the monthly partitions from `since`'s month to `months_ahead` after now's."""
    repo = TelemetryRepository(session)
    if repo.dialect != "postgresql":
        return []
    existing = set(await repo.partition_names(PARTITION_SCHEMA))
    created = []
    month = _month_start(since.year, since.month)
    last = _month_start(now.year, now.month, months_ahead)
    while month <= last:
        following = _month_start(month.year, month.month, 1)
        name = partition_name(month)
        # A month whose rows already sit in the default partition cannot get its own
        # partition without moving them; it stays in the default (rare: only when the task
        # did not run for months).
        if name not in existing and not await repo.default_partition_has(month, following):
            await repo.execute_ddl(
                f"CREATE TABLE {PARTITION_SCHEMA}.{name} PARTITION OF telemetry_events "
                f"FOR VALUES FROM ('{month.isoformat()}') TO ('{following.isoformat()}')"
            )
            created.append(name)
        month = following
    return created


async def drop_expired(session: AsyncSession, now: datetime, retention_days: int) -> int:
    """Remove raw events older than the retention; rollups stay. Partitions dropped or rows
    deleted, whichever the database does."""
    repo = TelemetryRepository(session)
    cutoff = now - timedelta(days=retention_days)
    if repo.dialect != "postgresql":
        return await repo.delete_raw_before(cutoff)
    dropped = 0
    for name in await repo.partition_names(PARTITION_SCHEMA):
        parts = name.rsplit("_", 2)
        if len(parts) != 3 or not (parts[1].isdigit() and parts[2].isdigit()):
            continue  # the default partition
        ends = _month_start(int(parts[1]), int(parts[2]), 1)
        if ends <= cutoff:
            await repo.execute_ddl(f"DROP TABLE {PARTITION_SCHEMA}.{name}")
            dropped += 1
    # What is left: the month the cutoff falls in, and anything in the default partition.
    return dropped + await repo.delete_raw_before(cutoff)


async def roll_up_recent(session: AsyncSession, now: datetime, hours: int) -> int:
    """Recompute the last `hours` hours (late events land in earlier hours, so the periodic
    run covers a window, and the daily run covers the whole late-event allowance)."""
    return await TelemetryService(session).recompute(now - timedelta(hours=hours), now)
