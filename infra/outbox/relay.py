"""The relay: hands committed, due outbox events to the `outbox.deliver` task.

With a broker it claims a batch (marking it published), sends one task per event and commits;
a crash between sending and committing sends those events again, which handler dedupe absorbs.
Without a broker, Celery would run each task inside the send, while the claim is still open,
so instead the relay leases a batch, commits, and then delivers each event in-process.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from celery import Task
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.celery_app import task_sessions
from infra.db import utcnow
from infra.logging import get_logger
from infra.outbox.repository import OutboxRepository
from infra.settings import DatabaseSettings

log = get_logger("onestreet.outbox")

# In-process delivery hides a leased batch from other relays this long. If this process dies
# mid-batch, the undelivered rest becomes due again when the lease ends.
IN_PROCESS_LEASE = timedelta(minutes=2)


@dataclass
class RelayCounts:
    relayed: int = 0
    batches: int = 0
    failed: int = 0  # in-process deliveries that raised (handler failures are recorded per event)

    def as_dict(self) -> dict[str, Any]:
        return {"relayed": self.relayed, "batches": self.batches, "failed": self.failed}


class OutboxRelay:
    def __init__(self, database: DatabaseSettings, batch_size: int, deliver: Task) -> None:
        self.database = database
        self.batch_size = batch_size
        self.deliver = deliver

    @property
    def in_process(self) -> bool:
        return bool(self.deliver.app.conf.task_always_eager)

    def run_once(self, on_batch: Callable[[int], None] | None = None) -> RelayCounts:
        """Relay batch after batch until nothing is due; `on_batch(size)` reports progress."""
        if self.in_process:
            return self._deliver_in_process(on_batch)
        return asyncio.run(self._send_to_broker(on_batch))

    def run_forever(
        self,
        stop: threading.Event,
        interval: float,
        on_pass: Callable[[RelayCounts], None] | None = None,
    ) -> None:
        """Relay every `interval` seconds until `stop` is set; errors are logged, not fatal."""
        while not stop.is_set():
            try:
                counts = self.run_once()
                if on_pass is not None:
                    on_pass(counts)
            except Exception:
                log.exception("outbox_relay_pass_failed")
            stop.wait(interval)

    async def _send_to_broker(self, on_batch: Callable[[int], None] | None) -> RelayCounts:
        counts = RelayCounts()
        async with task_sessions(self.database) as sessions:
            while await self._any_due(sessions):
                async with sessions() as session:
                    ids = await OutboxRepository(session).claim_due(
                        now=utcnow(), limit=self.batch_size
                    )
                    for event_id in ids:
                        self.deliver.apply_async(args=(str(event_id),))
                    await session.commit()
                if not ids:
                    break  # another relay took what was due
                counts.relayed += len(ids)
                counts.batches += 1
                if on_batch is not None:
                    on_batch(len(ids))
        return counts

    def _deliver_in_process(self, on_batch: Callable[[int], None] | None) -> RelayCounts:
        counts = RelayCounts()
        while ids := asyncio.run(self._lease_batch()):
            for event_id in ids:
                # apply() runs the task here and now; it opens its own event loop.
                result = self.deliver.apply(args=(str(event_id),))
                if result.failed():
                    counts.failed += 1
                    log.error(
                        "outbox_delivery_failed", event_id=str(event_id), error=repr(result.result)
                    )
            counts.relayed += len(ids)
            counts.batches += 1
            if on_batch is not None:
                on_batch(len(ids))
        return counts

    async def _lease_batch(self) -> list[UUID]:
        async with task_sessions(self.database) as sessions:
            if not await self._any_due(sessions):
                return []
            async with sessions() as session:
                now = utcnow()
                ids = await OutboxRepository(session).claim_due(
                    now=now, limit=self.batch_size, lease_until=now + IN_PROCESS_LEASE
                )
                await session.commit()
                return ids

    @staticmethod
    async def _any_due(sessions: async_sessionmaker[AsyncSession]) -> bool:
        async with sessions() as session:
            return await OutboxRepository(session).any_due(utcnow())
