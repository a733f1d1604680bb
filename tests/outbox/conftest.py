"""Fixtures for the outbox tests: a scratch effects table and in-process task wiring."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from infra.celery_app import create_celery_app
from infra.outbox import HandlerRegistry, publish
from infra.outbox.models import HandledEvent, OutboxEvent
from infra.outbox.tasks import OutboxTasks, register_outbox_tasks
from infra.settings import Settings
from tests.outbox.support import CREATE_EFFECTS, DROP_EFFECTS, EFFECT_EVENT, effects


@pytest.fixture
def effects_table(db) -> Iterator[Callable[[], list[tuple[str, str, int]]]]:  # type: ignore[no-untyped-def]
    """A table outside the models that handlers write to; dropped again so the schema
    checks never see it. Yields a reader of its rows."""

    async def create(session):  # type: ignore[no-untyped-def]
        await session.execute(DROP_EFFECTS)
        await session.execute(CREATE_EFFECTS)

    async def drop(session):  # type: ignore[no-untyped-def]
        await session.execute(DROP_EFFECTS)

    db(create)
    try:
        yield lambda: db(effects)
    finally:
        db(drop)


@pytest.fixture
def make_outbox(settings: Settings) -> Callable[[HandlerRegistry], OutboxTasks]:
    """The outbox tasks on an in-process Celery app (the test settings have no broker)."""

    def make(registry: HandlerRegistry) -> OutboxTasks:
        return register_outbox_tasks(create_celery_app(settings), settings, registry)

    return make


@pytest.fixture
def publish_events(db) -> Callable[..., list[UUID]]:  # type: ignore[no-untyped-def]
    """Publish events in one committed transaction; returns their ids in order."""

    def go(*payloads: dict[str, Any], event_type: str = EFFECT_EVENT) -> list[UUID]:
        async def write(session):  # type: ignore[no-untyped-def]
            return [publish(session, event_type, payload) for payload in payloads]

        return db(write)

    return go


@pytest.fixture
def outbox_rows(db) -> Callable[[], dict[UUID, OutboxEvent]]:  # type: ignore[no-untyped-def]
    def read() -> dict[UUID, OutboxEvent]:
        async def load(session):  # type: ignore[no-untyped-def]
            return {row.id: row for row in await session.scalars(sa.select(OutboxEvent))}

        return db(load)

    return read


@pytest.fixture
def handled_rows(db) -> Callable[[], list[tuple[UUID, str]]]:  # type: ignore[no-untyped-def]
    def read() -> list[tuple[UUID, str]]:
        async def load(session):  # type: ignore[no-untyped-def]
            rows = await session.execute(sa.select(HandledEvent.event_id, HandledEvent.handler))
            return [tuple(row) for row in rows]

        return db(load)

    return read
