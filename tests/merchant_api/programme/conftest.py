"""The programme tests' helpers: payments' events simulated the way payments publishes them,
delivered by the production handler registry; orders placed through the API; rollups
refreshed through the admin API."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from infra.bootstrap.worker import build_handler_registry
from infra.celery_app import create_celery_app
from infra.db import utcnow
from infra.outbox import publish
from infra.outbox.tasks import OutboxTasks, register_outbox_tasks
from merchant_api.programme.facts_service import taipei_day
from merchant_api.streets.models import StreetHotspot
from tests.merchant_api.orders.conftest import (  # noqa: F401  (fixtures)
    OTHER_CONSUMER,
    cheap_password_hashing,
    menu,
    noodle_line,
    place,
)

ADMIN = "admin@test.tw"
MINISTRY = "ministry@test.tw"
CONSULTANT = "consultant.x@test.tw"


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


@pytest.fixture
def deliver(outbox):  # type: ignore[no-untyped-def]
    def run() -> None:
        while outbox.relay.run_once().relayed:
            pass

    return run


@pytest.fixture
def pay(db, deliver):  # type: ignore[no-untyped-def]
    """Publish payments' `payment.succeeded` (or `payment.refunded`) and deliver it."""

    def go(
        shop_id: uuid.UUID,
        amount: int,
        method: str = "twqr",
        *,
        consumer: uuid.UUID | None = None,
        order_id: str | None = None,
        voucher_id: str | None = None,
        at: datetime | None = None,
        refund: int = 0,
        payment_id: str | None = None,
    ) -> str:
        payment_id = payment_id or str(uuid.uuid4())
        when = (at or utcnow()).isoformat()
        reference_type = "order" if order_id else "voucher" if voucher_id else None
        payload: dict[str, Any] = {
            "payment_id": payment_id,
            "shop_id": str(shop_id),
            "amount": amount,
            "amount_captured": amount,
            "amount_refunded": refund,
            "refund_id": str(uuid.uuid4()) if refund else None,
            "refund_amount": refund,
            "currency": "TWD",
            "method": method,
            "provider": "sandbox",
            "reference_type": reference_type,
            "reference_id": order_id or voucher_id,
            "order_id": order_id,
            "consumer_id": str(consumer) if consumer else None,
            "loyalty_wallet_id": None,
            "points_redeemed": 0,
            "occurred_at": when,
            "paid_at": when,
        }
        kind = "payment.refunded" if refund else "payment.succeeded"

        async def write(session):  # type: ignore[no-untyped-def]
            publish(session, kind, payload, key=f"payment:{payment_id}")

        db(write)
        deliver()
        return payment_id

    return go


@pytest.fixture
def refresh(caller):  # type: ignore[no-untyped-def]
    def go() -> dict[str, int]:
        response = caller(ADMIN).post("/api/programme/rollups/refresh")
        assert response.status_code == 201, response.text
        return response.json()

    return go


@pytest.fixture
def hotspots(db, world):  # type: ignore[no-untyped-def]
    """Street X has an active hotspot; street Y's is only planned."""

    async def add(session):  # type: ignore[no-untyped-def]
        for street, status in ((world.street_x, "active"), (world.street_y, "planned")):
            session.add(
                StreetHotspot(
                    street_id=street, name={"zh-Hant-TW": "熱點"}, ssid="OneStreet", status=status
                )
            )

    db(add)


def days_ago(n: int) -> datetime:
    return utcnow() - timedelta(days=n)


def pickup_body(listings) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "channel": "online_pickup",
        "pickup_at": (utcnow() + timedelta(hours=2)).isoformat(),
        "lines": [noodle_line(listings)],
    }


def taipei_today() -> date:
    """The programme's day: orders and payments made now count on this Taipei date."""
    return taipei_day(utcnow())
