"""Vouchers bought but never paid expire after the payment window and free their unit."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa

from infra.bootstrap.worker import build_worker
from infra.db import utcnow
from merchant_api.vouchers.models import Voucher, VoucherOffer
from merchant_api.vouchers.tasks import EXPIRE_TASK
from tests.merchant_api.vouchers.conftest import OTHER_CONSUMER, buy, create_offer


def _bought_minutes_ago(db, voucher_id: str, minutes: int) -> None:  # type: ignore[no-untyped-def]
    async def backdate(session):  # type: ignore[no-untyped-def]
        await session.execute(
            sa.update(Voucher)
            .where(Voucher.id == uuid.UUID(voucher_id))
            .values(purchased_at=utcnow() - timedelta(minutes=minutes))
        )

    db(backdate)


def test_unpaid_vouchers_expire_on_schedule_and_free_their_unit(  # type: ignore[no-untyped-def]
    caller, world, menu, db, settings, pay
):
    offer = create_offer(caller("owner.a@test.tw"), world.shop_a, quantity_limit=1)
    consumer = caller("consumer@test.tw")
    held = buy(consumer, offer["id"])
    assert held.status_code == 201, held.text
    # The only unit is held by the unpaid voucher.
    assert buy(caller(OTHER_CONSUMER), offer["id"]).status_code == 409

    worker = build_worker(settings)
    assert worker.celery.conf.beat_schedule["vouchers-expire-unpaid"]["task"] == EXPIRE_TASK
    expire = worker.celery.tasks[EXPIRE_TASK]
    window = settings.payments.voucher_payment_window_minutes
    # Inside the window nothing happens.
    _bought_minutes_ago(db, held.json()["id"], window - 1)
    assert expire.apply().get() == {"expired": 0}
    assert consumer.get(f"/api/me/vouchers/{held.json()['id']}").json()["status"] == (
        "pending_payment"
    )

    _bought_minutes_ago(db, held.json()["id"], window + 1)
    assert expire.apply().get() == {"expired": 1}
    assert expire.apply().get() == {"expired": 0}  # a second run finds nothing
    mine = consumer.get(f"/api/me/vouchers/{held.json()['id']}").json()
    assert mine["status"] == "expired"
    assert db(lambda s: s.scalar(sa.select(VoucherOffer.sold_count))) == 0
    # The unit is on sale again; a payment arriving too late activates nothing.
    assert buy(caller(OTHER_CONSUMER), offer["id"]).status_code == 201
    pay(held.json()["id"])
    assert consumer.get(f"/api/me/vouchers/{held.json()['id']}").json()["status"] == "expired"
    assert db(lambda s: s.scalar(sa.select(VoucherOffer.sold_count))) == 1
