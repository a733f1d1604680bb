"""Publish, relay and deliver in-process, on SQLite and on PostgreSQL: each handler runs once
per event, a failing handler undoes only its own work and the event comes back later, and an
event lives or dies with the business change it was written with."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from infra.db import utcnow
from infra.outbox import HandlerRegistry, publish
from infra.outbox.models import OutboxEvent
from tests.outbox.support import EFFECT_EVENT, EFFECT_HANDLER, insert_effect, register_handlers


@pytest.fixture
def registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    register_handlers(registry)
    return registry


def test_published_events_are_relayed_and_handled_once(
    registry, make_outbox, publish_events, effects_table, outbox_rows, handled_rows
):
    outbox = make_outbox(registry)
    ids = publish_events({"n": 1}, {"n": 2}, {"n": 3})

    counts = outbox.relay.run_once()

    assert (counts.relayed, counts.failed) == (3, 0)
    assert Counter(event_id for event_id, _, _ in effects_table()) == {str(i): 1 for i in ids}
    assert sorted(handled_rows()) == sorted((i, EFFECT_HANDLER) for i in ids)
    rows = outbox_rows()
    assert all(rows[i].published_at is not None for i in ids)
    assert {(rows[i].attempts, rows[i].last_error) for i in ids} == {(1, None)}
    # Nothing is due any more: a second pass relays nothing and handles nothing.
    assert outbox.relay.run_once().relayed == 0
    assert len(effects_table()) == 3


def test_delivering_an_event_twice_runs_its_handler_once(
    registry, make_outbox, publish_events, effects_table
):
    outbox = make_outbox(registry)
    [event_id] = publish_events({"n": 1})

    first = outbox.deliver.apply(args=(str(event_id),)).get()
    second = outbox.deliver.apply(args=(str(event_id),)).get()

    assert first["handled"] == [EFFECT_HANDLER]
    assert second["handled"] == [] and second["already_handled"] == [EFFECT_HANDLER]
    assert [row[0] for row in effects_table()] == [str(event_id)]


def test_a_missing_event_is_reported_not_raised(registry, make_outbox):
    import uuid

    report = make_outbox(registry).deliver.apply(args=(str(uuid.uuid4()),)).get()
    assert report["found"] is False


def test_a_failing_handler_rolls_back_its_own_work_and_the_event_is_retried(
    registry, make_outbox, publish_events, effects_table, outbox_rows, handled_rows, db
):
    failures_left = [1]

    async def flaky(session, event):  # type: ignore[no-untyped-def]
        await insert_effect(session, str(event.id), "tests.flaky")  # undone by the rollback
        if failures_left[0]:
            failures_left[0] -= 1
            raise RuntimeError("the points service is down")

    registry.register(EFFECT_EVENT, "tests.flaky", flaky)
    outbox = make_outbox(registry)
    [event_id] = publish_events({"n": 1})

    assert outbox.relay.run_once().relayed == 1

    assert effects_table() == [(str(event_id), EFFECT_HANDLER, effects_table()[0][2])]
    assert handled_rows() == [(event_id, EFFECT_HANDLER)]
    row = outbox_rows()[event_id]
    assert row.published_at is None
    assert row.attempts == 1
    assert "tests.flaky: RuntimeError: the points service is down" in row.last_error
    assert row.available_at > utcnow()
    # Backing off: not due yet, so the relay leaves it alone.
    assert outbox.relay.run_once().relayed == 0

    async def make_due(session):  # type: ignore[no-untyped-def]
        await session.execute(
            sa.update(OutboxEvent).values(available_at=utcnow() - timedelta(seconds=1))
        )

    db(make_due)
    assert outbox.relay.run_once().relayed == 1

    # The flaky handler ran now; the one that had succeeded was not run again.
    assert Counter(handler for _, handler, _ in effects_table()) == {
        EFFECT_HANDLER: 1,
        "tests.flaky": 1,
    }
    row = outbox_rows()[event_id]
    assert row.published_at is not None
    assert (row.attempts, row.last_error) == (2, None)


def test_an_event_commits_or_rolls_back_with_the_business_change(
    database_url, effects_table, outbox_rows
):
    import asyncio

    from infra.db import create_engine, create_session_factory
    from infra.settings import DatabaseSettings

    async def business_change(commit: bool) -> None:
        engine = create_engine(DatabaseSettings(url=database_url), for_worker=True)
        try:
            async with create_session_factory(engine)() as session:
                # The "business change": a row written in the same session as the event.
                await insert_effect(session, "order-1", "business")
                publish(session, "orders.order_placed", {"order": "order-1"})
                await session.flush()
                if commit:
                    await session.commit()
                else:
                    await session.rollback()
        finally:
            await engine.dispose()

    asyncio.run(business_change(commit=False))
    assert effects_table() == []
    assert outbox_rows() == {}

    asyncio.run(business_change(commit=True))
    assert [row[:2] for row in effects_table()] == [("order-1", "business")]
    assert [row.event_type for row in outbox_rows().values()] == ["orders.order_placed"]


def test_handler_names_must_be_unique_per_event_type(registry):
    with pytest.raises(ValueError, match="already registered"):
        register_handlers(registry)
