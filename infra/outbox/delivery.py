"""Deliver one event to each of its handlers, each handler in its own transaction.

Safe to run twice and concurrently for the same event: a handler's work commits together with
its handled_events row, and the row's primary key lets only one of two racing runs through.
A failing handler rolls back its own work only; the event goes back to the relay with a later
available_at, and the handlers that already succeeded are skipped next time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.db import utcnow
from infra.logging import get_logger
from infra.outbox.events import Event
from infra.outbox.registry import HandlerRegistry
from infra.outbox.repository import OutboxRepository

log = get_logger("onestreet.outbox")

MAX_RETRY_DELAY = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s … capped at an hour: a broken handler costs one try an hour."""
    return min(timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), MAX_RETRY_DELAY)


@dataclass
class DeliveryReport:
    event_id: UUID
    found: bool = True
    handled: list[str] = field(default_factory=list)
    already_handled: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "found": self.found,
            "handled": self.handled,
            "already_handled": self.already_handled,
            "failed": self.failed,
        }


async def deliver_event(
    sessions: async_sessionmaker[AsyncSession], registry: HandlerRegistry, event_id: UUID
) -> DeliveryReport:
    report = DeliveryReport(event_id)
    async with sessions() as session:
        row = await OutboxRepository(session).get(event_id)
        if row is None:
            # Only a deleted event can get here: publish commits the row before any relay sees it.
            log.warning("outbox_event_missing", event_id=str(event_id))
            report.found = False
            return report
        event, attempts = Event.from_row(row), row.attempts

    errors: list[str] = []
    for handler in registry.handlers_for(event.event_type):
        try:
            async with sessions() as session:
                if not await OutboxRepository(session).claim_handling(event.id, handler.name):
                    report.already_handled.append(handler.name)
                    continue
                await handler.fn(session, event)
                await session.commit()
            report.handled.append(handler.name)
        except Exception as exc:
            log.exception(
                "outbox_handler_failed",
                event_id=str(event.id),
                event_type=event.event_type,
                handler=handler.name,
            )
            report.failed.append(handler.name)
            errors.append(f"{handler.name}: {type(exc).__name__}: {exc}")

    async with sessions() as session:
        outbox = OutboxRepository(session)
        now = utcnow()
        if errors:
            await outbox.record_failure(
                event.id, "; ".join(errors), retry_at=now + retry_delay(attempts + 1)
            )
        else:
            await outbox.record_delivered(event.id, now)
        await session.commit()
    return report
