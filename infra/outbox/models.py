"""The transactional outbox and the record of which handler has handled which event.

An event row is written in the same transaction as the business change it describes, so an
event exists exactly when the change was committed. `handled_events` makes handlers
idempotent: a handler's work and its (event, handler) row commit together, and the primary
key refuses a second row for the same pair.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, utcnow


class OutboxEvent(UUIDPrimaryKey, Base):
    __tablename__ = "outbox_events"
    # The relay's query: unpublished rows that are due, oldest first.
    __table_args__ = (
        sa.Index("ix_outbox_events_published_at_available_at", "published_at", "available_at"),
    )

    # Past tense, dotted by package: "payments.payment_succeeded".
    event_type: Mapped[str] = mapped_column(sa.String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON())
    # What the event is about ("payment:<uuid>"), for tracing one aggregate's events.
    key: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Not handed out before this time: retries back off by moving it forward.
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    # Set when the relay hands the event to the broker (or, in-process, once delivered);
    # NULL again after a handler failed, so the relay retries it.
    published_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text())


class HandledEvent(Base):
    __tablename__ = "handled_events"

    event_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("outbox_events.id", ondelete="CASCADE"), primary_key=True
    )
    # Stable handler name ("merchant_api.mark_order_paid"): renaming it re-runs old events.
    handler: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(default=utcnow)
