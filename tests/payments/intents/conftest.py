"""Shop A's menu, signed-in callers, and the real outbox handlers, for payment tests.

Outbox events are delivered by the tests themselves (`outbox.relay.run_once()`), with the
production handler registry, so "the order became paid" is what the real handlers did.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from infra.bootstrap.worker import build_handler_registry
from infra.celery_app import create_celery_app
from infra.outbox.models import OutboxEvent
from infra.outbox.tasks import OutboxTasks, register_outbox_tasks
from tests.merchant_api.orders.conftest import (  # noqa: F401  (fixtures)
    cheap_password_hashing,
    counter_order,
    menu,
    place,
)

OWNER, STAFF, CONSUMER = "owner.a@test.tw", "staff.a@test.tw", "consumer@test.tw"


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    """No relay in the web process: the tests deliver events themselves, deterministically."""
    return settings.model_copy(
        update={"celery": settings.celery.model_copy(update={"embedded_relay": False})}
    )


@pytest.fixture
def outbox(settings) -> OutboxTasks:  # type: ignore[no-untyped-def]
    return register_outbox_tasks(
        create_celery_app(settings), settings, build_handler_registry(settings)
    )


def pay(who, body: dict[str, Any], key: str | None = "auto", **headers: str):  # type: ignore[no-untyped-def]
    sent = dict(headers)
    if key is not None:
        sent["Idempotency-Key"] = uuid.uuid4().hex if key == "auto" else key
    return who.post("/api/payments", json=body, headers=sent)


def confirm(who, payment_id: str, outcome: str = "succeed"):  # type: ignore[no-untyped-def]
    return who.post(f"/api/payments/sandbox/{payment_id}/confirm", json={"outcome": outcome})


@pytest.fixture
def order(caller, world, menu) -> dict[str, Any]:  # type: ignore[no-untyped-def]  # noqa: F811
    """A counter order placed by the consumer at shop A (NT$140: large noodles)."""
    placed = place(caller(CONSUMER), world.shop_a, counter_order(menu))
    assert placed.status_code == 201, placed.text
    return placed.json()


@pytest.fixture
def count(db):  # type: ignore[no-untyped-def]
    """count("payment_events") or count(OutboxEvent, event_type=...): rows in a table."""

    def run(table: str, **where: Any) -> int:
        async def go(session):  # type: ignore[no-untyped-def]
            query = sa.select(sa.func.count()).select_from(sa.table(table))
            for column, value in where.items():
                query = query.where(sa.column(column) == value)
            return await session.scalar(query)

        return db(go)

    return run


@pytest.fixture
def outbox_payloads(db):  # type: ignore[no-untyped-def]
    def read(event_type: str) -> list[dict[str, Any]]:
        async def load(session):  # type: ignore[no-untyped-def]
            rows = await session.scalars(
                sa.select(OutboxEvent)
                .where(OutboxEvent.event_type == event_type)
                .order_by(OutboxEvent.created_at)
            )
            return [dict(row.payload) for row in rows]

        return db(load)

    return read
