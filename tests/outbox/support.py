"""Test handlers, loaded by in-process tests and by real worker processes alike.

Workers load this module through ONESTREET_CELERY__EXTRA_HANDLER_MODULES=tests.outbox.support.
The handler writes an effect row in the session delivery gives it, so the effect commits (or
rolls back) together with the handled_events row: counting effects counts real handlings.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from infra.outbox import Event, HandlerRegistry

EFFECT_EVENT = "test.effect_requested"
EFFECT_HANDLER = "tests.record_effect"
# Not ONESTREET_*: the settings refuse names they do not know.
MARKER_DIR_ENV = "OUTBOX_TEST_MARKER_DIR"
# Long enough that only a kill ends it; the test kills the worker within seconds.
STALL_SECONDS = 120

CREATE_EFFECTS = sa.text(
    "CREATE TABLE outbox_test_effects ("
    " event_id VARCHAR(36) NOT NULL, handler VARCHAR(100) NOT NULL, worker_pid INTEGER NOT NULL)"
)
DROP_EFFECTS = sa.text("DROP TABLE IF EXISTS outbox_test_effects")


async def insert_effect(session: AsyncSession, event_id: str, handler: str) -> None:
    await session.execute(
        sa.text(
            "INSERT INTO outbox_test_effects (event_id, handler, worker_pid)"
            " VALUES (:event_id, :handler, :pid)"
        ),
        {"event_id": event_id, "handler": handler, "pid": os.getpid()},
    )


async def effects(session: AsyncSession) -> list[tuple[str, str, int]]:
    rows = await session.execute(
        sa.text("SELECT event_id, handler, worker_pid FROM outbox_test_effects")
    )
    return [(row.event_id, row.handler, row.worker_pid) for row in rows]


async def record_effect(session: AsyncSession, event: Event) -> None:
    await insert_effect(session, str(event.id), EFFECT_HANDLER)
    if event.payload.get("slow"):
        await _stall_the_first_time(event)


async def _stall_the_first_time(event: Event) -> None:
    """The first run says where it is (a marker file with its pid) and hangs until killed."""
    marker = Path(os.environ[MARKER_DIR_ENV]) / f"slow-{event.id}"
    if await asyncio.to_thread(marker.exists):
        return
    await asyncio.to_thread(marker.write_text, str(os.getpid()))
    await asyncio.sleep(STALL_SECONDS)


def register_handlers(registry: HandlerRegistry) -> None:
    registry.register(EFFECT_EVENT, EFFECT_HANDLER, record_effect)
