"""Outbox handlers (payments tells vouchers that money arrived or went back) and the periodic
expiry of vouchers bought but never paid.

Payments publishes `payment.succeeded` / `payment.refunded` with
{"reference_type": "voucher", "reference_id": "<voucher id>"}; other reference types belong to
other handlers. Delivery runs each handler once per event id, and the state change itself is
conditional, so a second event for the same voucher changes nothing.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from celery import Celery, Task
from sqlalchemy.ext.asyncio import AsyncSession

from infra.celery_app import task_sessions
from infra.db import utcnow
from infra.logging import get_logger
from infra.outbox import Event, HandlerRegistry
from infra.settings import Settings
from merchant_api.vouchers.service import VoucherService

log = get_logger("onestreet.vouchers")

PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_REFUNDED = "payment.refunded"


def _voucher_id(event: Event) -> uuid.UUID | None:
    if event.payload.get("reference_type") != "voucher":
        return None
    try:
        return uuid.UUID(str(event.payload.get("reference_id")))
    except ValueError:
        # Retrying cannot fix a malformed event; say so instead of failing every hour.
        log.error("voucher_event_malformed", event_id=str(event.id), payload=event.payload)
        return None


async def activate_paid_voucher(session: AsyncSession, event: Event) -> None:
    voucher_id = _voucher_id(event)
    if voucher_id is not None:
        await VoucherService(session).activate(voucher_id, event.id, utcnow())


async def mark_voucher_refunded(session: AsyncSession, event: Event) -> None:
    voucher_id = _voucher_id(event)
    if voucher_id is not None:
        await VoucherService(session).mark_refunded(voucher_id, utcnow())


def register_voucher_handlers(registry: HandlerRegistry) -> None:
    registry.register(PAYMENT_SUCCEEDED, "merchant_api.vouchers.activate", activate_paid_voucher)
    registry.register(PAYMENT_REFUNDED, "merchant_api.vouchers.refunded", mark_voucher_refunded)


EXPIRE_TASK = "vouchers.expire_unpaid"
# Often enough that a sold-out offer frees its held units within minutes of the window.
EXPIRE_EVERY_SECONDS = 300.0


def register_voucher_tasks(app: Celery, settings: Settings) -> Task:
    window = timedelta(minutes=settings.payments.voucher_payment_window_minutes)

    @app.task(name=EXPIRE_TASK, shared=False)
    def expire_unpaid() -> dict[str, Any]:
        """Expire vouchers unpaid after the payment window (a second run finds nothing)."""

        async def run() -> int:
            async with task_sessions(settings.database) as sessions, sessions() as session:
                expired = await VoucherService(session).expire_unpaid(window, utcnow())
                await session.commit()
                return expired

        return {"expired": asyncio.run(run())}

    return expire_unpaid


def voucher_beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        "vouchers-expire-unpaid": {
            "task": EXPIRE_TASK,
            "schedule": EXPIRE_EVERY_SECONDS,
            "options": {"expires": EXPIRE_EVERY_SECONDS},
        }
    }
