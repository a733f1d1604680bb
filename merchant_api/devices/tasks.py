"""The periodic inactivity check, defined on a given Celery app (tasks take no objects)."""

from __future__ import annotations

import asyncio
from typing import Any

from celery import Celery, Task

from infra.celery_app import task_sessions
from infra.db import utcnow
from infra.settings import Settings
from merchant_api.devices.health import check_activity

CHECK_ACTIVITY_TASK = "devices.check_activity"
CHECK_EVERY_SECONDS = 60.0


async def run_activity_check(settings: Settings) -> dict[str, int]:
    async with task_sessions(settings.database) as sessions, sessions() as session:
        result = await check_activity(session, settings.devices, utcnow())
        await session.commit()
    return {"raised": result.raised, "cleared": result.cleared}


def register_device_tasks(app: Celery, settings: Settings) -> Task:
    @app.task(name=CHECK_ACTIVITY_TASK, shared=False)
    def check() -> dict[str, Any]:
        """Raise and clear inactivity alerts (safe to run twice: the second finds nothing)."""
        return asyncio.run(run_activity_check(settings))

    return check


def device_beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        "devices-check-activity": {
            "task": CHECK_ACTIVITY_TASK,
            "schedule": CHECK_EVERY_SECONDS,
            "options": {"expires": CHECK_EVERY_SECONDS},
        }
    }
