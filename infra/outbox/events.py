"""What a handler receives: a read-only copy of the outbox row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from infra.outbox.models import OutboxEvent


@dataclass(frozen=True)
class Event:
    id: uuid.UUID
    event_type: str
    payload: dict[str, Any]
    key: str | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: OutboxEvent) -> Event:
        return cls(
            id=row.id,
            event_type=row.event_type,
            payload=dict(row.payload),
            key=row.key,
            created_at=row.created_at,
        )
