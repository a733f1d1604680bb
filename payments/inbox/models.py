"""provider_inbox: what providers told us, verbatim, keyed by their own event id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, utcnow


class ProviderInboxEntry(UUIDPrimaryKey, Base):
    __tablename__ = "provider_inbox"
    # The unique pair is the dedupe: a provider retrying a webhook finds its row already there.
    __table_args__ = (
        sa.UniqueConstraint("provider", "external_id"),
        # The sweep's query: unhandled entries, oldest first.
        sa.Index("ix_provider_inbox_handled_at_received_at", "handled_at", "received_at"),
    )

    provider: Mapped[str] = mapped_column(sa.String(20))
    # The provider's id for this event ("evt_...", the acquirer's transaction id).
    external_id: Mapped[str] = mapped_column(sa.String(200))
    event_type: Mapped[str] = mapped_column(sa.String(100))
    # The verified body; never card numbers (providers send none) and never our secrets.
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON())
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text())
