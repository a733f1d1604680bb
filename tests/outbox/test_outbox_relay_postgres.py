"""Two relays at once on PostgreSQL claim disjoint batches (FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import asyncio

import pytest

from infra.db import create_engine, create_session_factory, utcnow
from infra.outbox.repository import OutboxRepository
from infra.settings import DatabaseSettings


def test_concurrent_claims_never_take_the_same_event(backend, database_url, publish_events):
    if backend != "postgres":
        pytest.skip("SQLite has one writer at a time; there is no concurrent claim to test")
    ids = set(publish_events(*({"n": n} for n in range(12))))

    async def two_relays() -> tuple[list, list]:  # type: ignore[type-arg]
        engine = create_engine(DatabaseSettings(url=database_url), for_worker=True)
        sessions = create_session_factory(engine)
        try:
            async with sessions() as first, sessions() as second:
                # The first relay has claimed a batch and not committed yet (still sending).
                claimed_first = await OutboxRepository(first).claim_due(now=utcnow(), limit=5)
                claimed_second = await OutboxRepository(second).claim_due(now=utcnow(), limit=100)
                await second.commit()
                await first.commit()
                return claimed_first, claimed_second
        finally:
            await engine.dispose()

    first, second = asyncio.run(two_relays())

    assert len(first) == 5
    assert set(first).isdisjoint(second)
    assert set(first) | set(second) == ids
