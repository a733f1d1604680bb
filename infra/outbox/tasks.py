"""The outbox's Celery tasks, defined on a given app with the settings and handlers it needs.

Tasks take ids, never objects, and are safe to run twice. They are closures over this app's
settings and registry (`shared=False`), so two apps in one process never mix them up.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from celery import Celery, Task

from infra.celery_app import task_sessions
from infra.outbox.delivery import deliver_event
from infra.outbox.registry import HandlerRegistry
from infra.outbox.relay import OutboxRelay
from infra.settings import Settings

DELIVER_TASK = "outbox.deliver"
RELAY_TASK = "outbox.relay"


@dataclass(frozen=True)
class OutboxTasks:
    deliver: Task
    relay_task: Task
    relay: OutboxRelay


def register_outbox_tasks(
    app: Celery, settings: Settings, registry: HandlerRegistry
) -> OutboxTasks:
    @app.task(name=DELIVER_TASK, shared=False)
    def deliver(event_id: str) -> dict[str, Any]:
        """Run every registered handler of one event, each at most once."""

        async def run() -> dict[str, Any]:
            async with task_sessions(settings.database) as sessions:
                report = await deliver_event(sessions, registry, UUID(event_id))
            return report.as_dict()

        return asyncio.run(run())

    relay = OutboxRelay(settings.database, settings.celery.outbox_batch_size, deliver)

    @app.task(name=RELAY_TASK, shared=False)
    def relay_task() -> dict[str, Any]:
        """Hand every due event to `outbox.deliver` (beat runs this every few seconds)."""
        return relay.run_once().as_dict()

    return OutboxTasks(deliver=deliver, relay_task=relay_task, relay=relay)


def outbox_beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    interval = settings.celery.outbox_relay_interval_seconds
    return {
        "outbox-relay": {
            "task": RELAY_TASK,
            "schedule": interval,
            # A relay run that waited longer than a few intervals is stale: a newer one follows.
            "options": {"expires": max(3 * interval, 10.0)},
        }
    }
