"""All SQL about the provider inbox. Never commits: the caller's boundary does."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from payments.inbox.models import ProviderInboxEntry

_TABLE = ProviderInboxEntry.__table__
MAX_ERROR = 2000


class InboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def store_once(
        self, provider: str, external_id: str, event_type: str, payload: dict[str, Any]
    ) -> bool:
        """Store the entry; False when (provider, external_id) is already there.

        ON CONFLICT DO NOTHING: a concurrent duplicate waits on the unique index (PostgreSQL)
        or the write lock (SQLite) and then stores nothing.
        """
        dialect = self.session.bind.dialect.name  # type: ignore[union-attr]
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        result = await self.session.execute(
            insert(_TABLE)
            .values(
                id=uuid.uuid4(),
                provider=provider,
                external_id=external_id,
                event_type=event_type,
                payload=payload,
                received_at=utcnow(),
                attempts=0,
            )
            .on_conflict_do_nothing(index_elements=["provider", "external_id"])
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def get(self, provider: str, external_id: str) -> ProviderInboxEntry | None:
        return await self.session.scalar(
            sa.select(ProviderInboxEntry)
            .where(
                ProviderInboxEntry.provider == provider,
                ProviderInboxEntry.external_id == external_id,
            )
            .execution_options(populate_existing=True)
        )

    async def mark_handled(
        self, provider: str, external_id: str, at: datetime | None = None
    ) -> bool:
        """Record that the entry was processed; False when it already was (or is unknown)."""
        result = await self.session.execute(
            sa.update(ProviderInboxEntry)
            .where(
                ProviderInboxEntry.provider == provider,
                ProviderInboxEntry.external_id == external_id,
                ProviderInboxEntry.handled_at.is_(None),
            )
            .values(handled_at=at or utcnow(), attempts=ProviderInboxEntry.attempts + 1)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def record_failure(self, provider: str, external_id: str, error: str) -> None:
        """Count a failed processing attempt; the entry stays unhandled for the next sweep."""
        await self.session.execute(
            sa.update(ProviderInboxEntry)
            .where(
                ProviderInboxEntry.provider == provider,
                ProviderInboxEntry.external_id == external_id,
            )
            .values(attempts=ProviderInboxEntry.attempts + 1, last_error=error[:MAX_ERROR])
        )

    async def unhandled(
        self, provider: str | None = None, limit: int = 100
    ) -> list[ProviderInboxEntry]:
        query = sa.select(ProviderInboxEntry).where(ProviderInboxEntry.handled_at.is_(None))
        if provider is not None:
            query = query.where(ProviderInboxEntry.provider == provider)
        rows = await self.session.scalars(
            query.order_by(ProviderInboxEntry.received_at).limit(limit)
        )
        return list(rows)


async def store_once(
    session: AsyncSession,
    provider: str,
    external_id: str,
    event_type: str,
    payload: dict[str, Any],
) -> bool:
    """Module-level shortcut for InboxRepository(session).store_once(...)."""
    return await InboxRepository(session).store_once(provider, external_id, event_type, payload)


async def mark_handled(
    session: AsyncSession, provider: str, external_id: str, at: datetime | None = None
) -> bool:
    return await InboxRepository(session).mark_handled(provider, external_id, at)
