"""Periodic telemetry work: rollups of recent hours, and partitions plus retention daily."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from celery import Celery

from infra.celery_app import task_sessions
from infra.db import utcnow
from infra.settings import Settings
from merchant_api.telemetry.maintenance import drop_expired, ensure_partitions, roll_up_recent
from merchant_api.telemetry.service import TelemetryService

ROLLUP_TASK = "telemetry.rollup_recent"
MAINTAIN_TASK = "telemetry.maintain"
ROLLUP_EVERY_SECONDS = 300.0
MAINTAIN_EVERY_SECONDS = 86400.0
# Each periodic run recomputes this many hours back (the current and the previous hours).
RECENT_HOURS = 3


async def run_rollup(
    settings: Settings, start: datetime | None = None, end: datetime | None = None
) -> int:
    """Recompute [start, end) (default: the last RECENT_HOURS hours); idempotent."""
    now = utcnow()
    async with task_sessions(settings.database) as sessions, sessions() as session:
        if start is None:
            rows = await roll_up_recent(session, now, RECENT_HOURS)
        else:
            rows = await TelemetryService(session).recompute(start, end or now)
        await session.commit()
    return rows


async def run_maintenance(settings: Settings) -> dict[str, Any]:
    """Partitions ahead, raw retention, and rollups over the whole late-event allowance."""
    now = utcnow()
    async with task_sessions(settings.database) as sessions, sessions() as session:
        created = await ensure_partitions(session, now - timedelta(days=31), now)
        dropped = await drop_expired(session, now, settings.devices.raw_retention_days)
        late = timedelta(days=settings.devices.late_event_days + 1)
        rows = await TelemetryService(session).recompute(now - late, now)
        await session.commit()
    return {"partitions_created": created, "expired": dropped, "rollup_rows": rows}


def register_telemetry_tasks(app: Celery, settings: Settings) -> None:
    @app.task(name=ROLLUP_TASK, shared=False)
    def rollup() -> dict[str, Any]:
        return {"rows": asyncio.run(run_rollup(settings))}

    @app.task(name=MAINTAIN_TASK, shared=False)
    def maintain() -> dict[str, Any]:
        return asyncio.run(run_maintenance(settings))


def telemetry_beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        "telemetry-rollup": {
            "task": ROLLUP_TASK,
            "schedule": ROLLUP_EVERY_SECONDS,
            "options": {"expires": ROLLUP_EVERY_SECONDS},
        },
        "telemetry-maintain": {
            "task": MAINTAIN_TASK,
            "schedule": MAINTAIN_EVERY_SECONDS,
            "options": {"expires": 3600.0},
        },
    }
