"""Offers of shop A, buying and paying helpers. Payment is simulated the way payments will do
it: a `payment.succeeded` outbox event, delivered by the real handler registry."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from infra.bootstrap.worker import build_handler_registry
from infra.celery_app import create_celery_app
from infra.db import utcnow
from infra.outbox import publish
from infra.outbox.models import OutboxEvent
from infra.outbox.tasks import OutboxTasks, register_outbox_tasks
from tests.merchant_api.orders.conftest import (  # noqa: F401  (fixtures)
    OTHER_CONSUMER,
    cheap_password_hashing,
    menu,
    signed_in_client,
)


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    """No relay in the web process: the tests deliver events themselves, deterministically."""
    return settings.model_copy(
        update={"celery": settings.celery.model_copy(update={"embedded_relay": False})}
    )


def offer_body(**overrides: Any) -> dict[str, Any]:
    now = utcnow()
    body = {
        "title": {"zh-Hant-TW": "雙人小米套餐券", "en": "Millet set for two"},
        "description": {"zh-Hant-TW": "平日可用"},
        "price_minor": 25000,
        "face_value_minor": 30000,
        "valid_from": (now - timedelta(hours=1)).isoformat(),
        "valid_until": (now + timedelta(days=30)).isoformat(),
    }
    return {**body, **overrides}


def create_offer(caller, shop_id, **overrides: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = caller.post(f"/api/shops/{shop_id}/voucher-offers", json=offer_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def buy(caller, offer_id: str, key: str | None = "auto"):  # type: ignore[no-untyped-def]
    headers = {}
    if key is not None:
        headers["Idempotency-Key"] = uuid.uuid4().hex if key == "auto" else key
    return caller.post(f"/api/voucher-offers/{offer_id}/purchase", headers=headers)


@pytest.fixture
def outbox(settings) -> OutboxTasks:  # type: ignore[no-untyped-def]
    """The production handler registry on an in-process Celery app."""
    return register_outbox_tasks(
        create_celery_app(settings), settings, build_handler_registry(settings)
    )


@pytest.fixture
def pay(db, outbox):  # type: ignore[no-untyped-def]
    """Publish payments' `payment.succeeded` for a voucher and deliver it; returns the event id."""

    def go(voucher_id: str, event_type: str = "payment.succeeded") -> uuid.UUID:
        async def write(session):  # type: ignore[no-untyped-def]
            return publish(
                session, event_type, {"reference_type": "voucher", "reference_id": voucher_id}
            )

        event_id = db(write)
        outbox.relay.run_once()
        return event_id

    return go


@pytest.fixture
def events(db):  # type: ignore[no-untyped-def]
    """The payloads of the outbox events of one type, oldest first."""

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


@pytest.fixture
def offer(caller, world, request):  # type: ignore[no-untyped-def]
    request.getfixturevalue("menu")  # cheap password hashes and the second consumer
    return create_offer(caller("owner.a@test.tw"), world.shop_a)


@pytest.fixture
def paid_voucher(caller, offer, pay):  # type: ignore[no-untyped-def]
    bought = buy(caller("consumer@test.tw"), offer["id"])
    assert bought.status_code == 201, bought.text
    pay(bought.json()["id"])
    return bought.json()
