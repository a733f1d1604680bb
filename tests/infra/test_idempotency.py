"""Idempotency keys: replay, refusal of a reused key, concurrent retries, expiry and purge."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from infra.db import create_engine, create_session_factory, utcnow
from infra.errors import Conflict
from infra.idempotency import (
    IdempotencyGuard,
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
    fingerprint,
    purge_expired_keys,
)
from infra.idempotency.models import IdempotencyKey
from infra.settings import DatabaseSettings
from tests.conftest import run_async

SCOPE = "test:create:caller-1"


async def _attempt(factory, key: str, body, answer: dict, *, delay: float = 0.0, now=None):  # type: ignore[no-untyped-def]
    """One request: claim, do the 'work', store and commit; returns (replayed?, body)."""
    async with factory() as session:
        guard = IdempotencyGuard(session, SCOPE, key, body, now=now)
        replay = await guard.claim()
        if replay is not None:
            await session.commit()
            return True, replay.body
        await asyncio.sleep(delay)
        stored = await guard.store(201, answer)
        await session.commit()
        return False, stored.body


def _with_factory(database_url: str, fn):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        engine = create_engine(DatabaseSettings(url=database_url, pool_size=30))
        try:
            return await fn(create_session_factory(engine))
        finally:
            await engine.dispose()

    return run_async(go)


def test_fingerprint_ignores_key_order_and_whitespace() -> None:
    assert fingerprint(b'{"a": 1, "b": [1, 2]}') == fingerprint({"b": [1, 2], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})


@pytest.mark.parametrize("key", [None, "", "   ", "x" * 256, "bad\nkey"])
def test_missing_empty_or_long_keys_are_refused(key, database_url) -> None:  # type: ignore[no-untyped-def]
    async def go(factory):  # type: ignore[no-untyped-def]
        async with factory() as session:
            IdempotencyGuard(session, SCOPE, key, {})

    with pytest.raises(InvalidIdempotencyKey) as raised:
        _with_factory(database_url, go)
    assert raised.value.status_code == 400
    assert raised.value.code == "invalid_idempotency_key"


def test_same_key_same_body_replays_and_other_body_is_refused(database_url, db) -> None:  # type: ignore[no-untyped-def]
    async def go(factory):  # type: ignore[no-untyped-def]
        first = await _attempt(factory, "k1", {"a": 1, "b": 2}, {"order": 1})
        again = await _attempt(factory, "k1", b'{"b":2,"a":1}', {"order": 2})
        with pytest.raises(IdempotencyKeyReused) as raised:
            await _attempt(factory, "k1", {"a": 1, "b": 3}, {"order": 3})
        other_key = await _attempt(factory, "k2", {"a": 1, "b": 2}, {"order": 4})
        return first, again, raised.value, other_key

    first, again, reused, other_key = _with_factory(database_url, go)
    assert first == (False, {"order": 1})
    assert again == (True, {"order": 1})
    assert (reused.status_code, reused.code) == (422, "idempotency_key_reused")
    assert other_key == (False, {"order": 4})


def test_a_failed_request_leaves_no_key_behind(database_url, db) -> None:  # type: ignore[no-untyped-def]
    async def go(factory):  # type: ignore[no-untyped-def]
        async with factory() as session:
            await IdempotencyGuard(session, SCOPE, "k", {"a": 1}).claim()
            await session.rollback()
        return await _attempt(factory, "k", {"a": 2}, {"order": "second"})

    assert _with_factory(database_url, go) == (False, {"order": "second"})


def test_claiming_twice_in_one_transaction_is_a_conflict(database_url) -> None:  # type: ignore[no-untyped-def]
    async def go(factory):  # type: ignore[no-untyped-def]
        async with factory() as session:
            await IdempotencyGuard(session, SCOPE, "k", {}).claim()
            with pytest.raises(Conflict):
                await IdempotencyGuard(session, SCOPE, "k", {}).claim()

    _with_factory(database_url, go)


def test_twenty_concurrent_retries_act_once(database_url, db) -> None:  # type: ignore[no-untyped-def]
    async def go(factory):  # type: ignore[no-untyped-def]
        return await asyncio.gather(
            *(_attempt(factory, "same", {"a": 1}, {"winner": n}, delay=0.05) for n in range(20))
        )

    results = _with_factory(database_url, go)
    assert sum(1 for replayed, _ in results if not replayed) == 1
    assert len({str(body) for _, body in results}) == 1
    count = db(lambda s: s.scalar(select(func.count()).select_from(IdempotencyKey)))
    assert count == 1


def test_expired_keys_are_claimed_afresh_and_purged(database_url, db) -> None:  # type: ignore[no-untyped-def]
    long_ago = utcnow() - timedelta(days=2)

    async def go(factory):  # type: ignore[no-untyped-def]
        await _attempt(factory, "old", {"a": 1}, {"order": 1}, now=long_ago)
        await _attempt(factory, "older", {"a": 1}, {"order": 1}, now=long_ago)
        # Expired: a different body is a new request, not a reuse.
        fresh = await _attempt(factory, "old", {"a": 2}, {"order": 2})
        async with factory() as session:
            deleted = await purge_expired_keys(session)
            await session.commit()
        async with factory() as session:
            again = await purge_expired_keys(session)
        return fresh, deleted, again

    fresh, deleted, again = _with_factory(database_url, go)
    assert fresh == (False, {"order": 2})
    assert (deleted, again) == (1, 0)
    keys = db(lambda s: s.scalars(select(IdempotencyKey.key)))
    assert list(keys) == ["old"]


def test_keys_live_at_least_a_day(database_url) -> None:  # type: ignore[no-untyped-def]
    async def go(factory):  # type: ignore[no-untyped-def]
        async with factory() as session:
            with pytest.raises(ValueError):
                IdempotencyGuard(session, SCOPE, "k", {}, ttl=timedelta(hours=1))
            guard = IdempotencyGuard(session, SCOPE, "k", {})
            return guard.expires_at - guard.now

    assert _with_factory(database_url, go) >= timedelta(hours=24)
