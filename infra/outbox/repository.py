"""All SQL for the outbox. Repositories take the session once; the caller owns the transaction."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from infra.outbox.models import HandledEvent, OutboxEvent

# last_error keeps the start of the message; a whole traceback does not belong in a row.
MAX_ERROR_LENGTH = 2000


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, event: OutboxEvent) -> None:
        self.session.add(event)

    async def get(self, event_id: UUID) -> OutboxEvent | None:
        return await self.session.get(OutboxEvent, event_id)

    async def any_due(self, now: datetime) -> bool:
        """A cheap read first, so an idle relay does not take SQLite's write lock every poll."""
        found = await self.session.scalar(self._due(now, limit=1))
        return found is not None

    async def claim_due(
        self, *, now: datetime, limit: int, lease_until: datetime | None = None
    ) -> list[UUID]:
        """Claim up to `limit` due events and return their ids, oldest first.

        Without a lease the rows are marked published (the caller sends them before it
        commits, so a crash in between rolls the marks back and the events are sent again).
        With a lease they stay unpublished but hidden until `lease_until`; delivery marks them.

        On PostgreSQL `FOR UPDATE SKIP LOCKED` lets concurrent relays claim disjoint batches;
        SQLite ignores the clause and has one writer at a time anyway. The claim is a single
        UPDATE so SQLite takes its write lock before reading (no stale-snapshot upgrade).
        """
        values: dict[str, object] = (
            {"available_at": lease_until} if lease_until is not None else {"published_at": now}
        )
        claimed = await self.session.execute(
            sa.update(OutboxEvent)
            .where(OutboxEvent.id.in_(self._due(now, limit).with_for_update(skip_locked=True)))
            .values(**values)
            .returning(OutboxEvent.id, OutboxEvent.created_at)
            .execution_options(synchronize_session=False)
        )
        return [row.id for row in sorted(claimed, key=lambda row: row.created_at)]

    async def claim_handling(self, event_id: UUID, handler: str) -> bool:
        """Insert the (event, handler) row; False when it is already there.

        Insert first, then work: on PostgreSQL a concurrent duplicate blocks on the primary
        key until this transaction ends, then finds the row (skip) or, after a rollback,
        inserts it and does the work itself. Never both.
        """
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        inserted = await self.session.execute(
            insert(HandledEvent)
            .values(event_id=event_id, handler=handler)
            .on_conflict_do_nothing(index_elements=["event_id", "handler"])
            .returning(HandledEvent.event_id)
        )
        return inserted.first() is not None

    async def handled_by(self, event_id: UUID) -> set[str]:
        names = await self.session.scalars(
            sa.select(HandledEvent.handler).where(HandledEvent.event_id == event_id)
        )
        return set(names)

    async def record_delivered(self, event_id: UUID, now: datetime) -> None:
        await self.session.execute(
            sa.update(OutboxEvent)
            .where(OutboxEvent.id == event_id)
            .values(
                published_at=sa.func.coalesce(OutboxEvent.published_at, now),
                attempts=OutboxEvent.attempts + 1,
                last_error=None,
            )
            .execution_options(synchronize_session=False)
        )

    async def record_failure(self, event_id: UUID, error: str, retry_at: datetime) -> None:
        """Count the attempt, keep the error and hand the event back to the relay later."""
        await self.session.execute(
            sa.update(OutboxEvent)
            .where(OutboxEvent.id == event_id)
            .values(
                attempts=OutboxEvent.attempts + 1,
                last_error=error[:MAX_ERROR_LENGTH],
                published_at=None,
                available_at=retry_at,
            )
            .execution_options(synchronize_session=False)
        )

    async def counts(self, now: datetime) -> dict[str, int]:
        unpublished = OutboxEvent.published_at.is_(None)
        row = (
            await self.session.execute(
                sa.select(
                    sa.func.count().filter(~unpublished).label("published"),
                    sa.func.count()
                    .filter(unpublished, OutboxEvent.available_at <= now)
                    .label("due"),
                    sa.func.count().filter(unpublished, OutboxEvent.attempts > 0).label("failing"),
                ).select_from(OutboxEvent)
            )
        ).one()
        return {"published": row.published, "due": row.due, "failing": row.failing}

    def _due(self, now: datetime, limit: int) -> sa.Select[tuple[UUID]]:
        return (
            sa.select(OutboxEvent.id)
            .where(OutboxEvent.published_at.is_(None), OutboxEvent.available_at <= now)
            .order_by(OutboxEvent.available_at)
            .limit(limit)
        )

    @property
    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name
