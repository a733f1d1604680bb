"""`publish`: how every package emits an event. The caller's transaction carries it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.outbox.models import OutboxEvent
from infra.outbox.repository import OutboxRepository


def publish(
    session: AsyncSession, event_type: str, payload: dict[str, Any], *, key: str | None = None
) -> uuid.UUID:
    """Add an event to the caller's session and return its id; never flushes or commits.

    The row commits with the business change or not at all, so handlers only ever see events
    for changes that happened. The payload must be JSON: ids and plain values, not objects.
    """
    # The id is chosen now, not at flush, so the caller can log or return it straight away.
    event = OutboxEvent(id=uuid.uuid4(), event_type=event_type, payload=payload, key=key)
    OutboxRepository(session).add(event)
    return event.id
