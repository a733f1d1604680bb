"""The periodic purge of expired idempotency keys, defined on a given Celery app."""

from __future__ import annotations

import asyncio
from typing import Any

from celery import Celery, Task

from infra.celery_app import task_sessions
from infra.idempotency.service import purge_expired_keys
from infra.settings import Settings

PURGE_TASK = "idempotency.purge_expired"
PURGE_EVERY_SECONDS = 3600.0


def register_idempotency_tasks(app: Celery, settings: Settings) -> Task:
    @app.task(name=PURGE_TASK, shared=False)
    def purge() -> dict[str, Any]:
        """Delete expired keys (idempotent: a second run finds nothing)."""

        async def run() -> int:
            async with task_sessions(settings.database) as sessions, sessions() as session:
                deleted = await purge_expired_keys(session)
                await session.commit()
                return deleted

        return {"deleted": asyncio.run(run())}

    return purge


def idempotency_beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        "idempotency-purge": {
            "task": PURGE_TASK,
            "schedule": PURGE_EVERY_SECONDS,
            "options": {"expires": PURGE_EVERY_SECONDS},
        }
    }
