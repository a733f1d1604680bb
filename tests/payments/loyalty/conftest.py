"""Loyalty tests: the merchant API's small programme (street X: shops A and C; street Y: shop
B), payments simulated as payments core will send them (`payment.succeeded` and friends on the
outbox, delivered by the real handler registry), and a ledger audit after the fact."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from infra.auth.models import Account
from infra.bootstrap.worker import build_handler_registry
from infra.celery_app import create_celery_app
from infra.db import utcnow
from infra.outbox import publish
from infra.outbox.tasks import OutboxTasks, register_outbox_tasks
from payments.loyalty.audit import AuditReport, LedgerAudit
from tests.merchant_api.conftest import World
from tests.merchant_api.orders.conftest import (  # noqa: F401  (fixtures)
    OTHER_CONSUMER,
    cheap_password_hashing,
    menu,
)

CONSUMER = "consumer@test.tw"


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


@dataclass
class Payments:
    """Publishes payment events the way payments core does, and delivers them."""

    db: Any
    outbox: OutboxTasks
    world: World

    def publish(self, event_type: str, payload: dict[str, Any]) -> None:
        async def write(session):  # type: ignore[no-untyped-def]
            publish(session, event_type, payload)

        self.db(write)
        self.outbox.relay.run_once()

    def succeeded(
        self,
        shop_id: uuid.UUID,
        email: str | None,
        amount: int,
        *,
        payment_id: str | None = None,
        order_id: str | None = None,
        points_redeemed: int = 0,
        wallet_id: str | None = None,
    ) -> str:
        payment_id = payment_id or str(uuid.uuid4())
        self.publish(
            "payment.succeeded",
            self.payload(
                payment_id,
                shop_id,
                email,
                amount,
                0,
                order_id=order_id,
                points_redeemed=points_redeemed,
                wallet_id=wallet_id,
            ),
        )
        return payment_id

    def refunded(
        self, payment_id: str, shop_id: uuid.UUID, email: str | None, amount: int, total: int
    ) -> None:
        self.publish(
            "payment.refunded",
            self.payload(payment_id, shop_id, email, amount, total, refund_id=str(uuid.uuid4())),
        )

    def account_id(self, email: str) -> uuid.UUID:
        if email not in self.world.accounts:  # people added after the world, e.g. by `menu`

            async def find(session):  # type: ignore[no-untyped-def]
                return await session.scalar(sa.select(Account.id).where(Account.email == email))

            self.world.accounts[email] = self.db(find)
        return self.world.accounts[email]

    def payload(
        self,
        payment_id: str,
        shop_id: uuid.UUID,
        email: str | None,
        amount: int,
        refunded: int,
        *,
        order_id: str | None = None,
        points_redeemed: int = 0,
        refund_id: str | None = None,
        wallet_id: str | None = None,
    ) -> dict[str, Any]:
        now = utcnow().isoformat()
        consumer = self.account_id(email) if email else None
        return {
            "payment_id": payment_id,
            "shop_id": str(shop_id),
            "amount": amount,
            "amount_captured": amount,
            "amount_refunded": refunded,
            "refund_id": refund_id,
            "refund_amount": refunded,
            "currency": "TWD",
            "method": "card",
            "provider": "sandbox",
            "reference_type": "order" if order_id else None,
            "reference_id": order_id,
            "order_id": order_id,
            "consumer_id": str(consumer) if consumer else None,
            "loyalty_wallet_id": wallet_id,
            "points_redeemed": points_redeemed,
            "occurred_at": now,
            "paid_at": now,
        }


@pytest.fixture
def payments(db, outbox, world, request) -> Payments:  # type: ignore[no-untyped-def]
    request.getfixturevalue("menu")  # cheap password hashes for everyone, and OTHER_CONSUMER
    return Payments(db, outbox, world)


@pytest.fixture
def audit(db):  # type: ignore[no-untyped-def]
    """The ledger audit; `audit()` asserts every invariant holds and returns the report."""

    def run() -> AuditReport:
        report: AuditReport = db(lambda session: LedgerAudit(session).run())
        assert report.ok, report
        return report

    return run


def balance(caller, email: str = CONSUMER) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = caller(email).get("/api/me/loyalty")
    assert response.status_code == 200, response.text
    return response.json()


def hold(caller, shop_id, points: int, email: str = CONSUMER, order_id=None, key=None):  # type: ignore[no-untyped-def]
    body: dict[str, Any] = {"shop_id": str(shop_id), "points": points}
    if order_id:
        body["order_id"] = str(order_id)
    return caller(email).post(
        "/api/me/loyalty/holds", json=body, headers={"Idempotency-Key": key or uuid.uuid4().hex}
    )
