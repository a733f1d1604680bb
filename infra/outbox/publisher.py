"""`publish`: how every package emits an event. The caller's transaction carries it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
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


def event_row(
    event_type: str, payload: dict[str, Any], *, key: str | None = None
) -> dict[str, Any]:
    """The outbox row of an event, for a hot path whose repository writes it inside one of its
    own statements (one round trip fewer than `publish`). Same rule: it must commit in the
    business change's transaction."""
    now = utcnow()
    return {
        "id": uuid.uuid4(),
        "event_type": event_type,
        "payload": payload,
        "key": key,
        "created_at": now,
        "available_at": now,
        "attempts": 0,
        "published_at": None,
        "last_error": None,
    }
