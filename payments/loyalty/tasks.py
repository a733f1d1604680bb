"""Outbox handlers (points from payments, claw-back on refunds, capture and release of holds)
and the daily expiry task. Handlers work in the delivery's session and never commit."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

from celery import Celery
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.celery_app import task_sessions
from infra.db import utcnow
from infra.logging import get_logger
from infra.outbox import Event, HandlerRegistry
from infra.settings import LoyaltySettings, Settings
from payments.loyalty.expiry import ExpiryService, LogNotifier, Notifier
from payments.loyalty.service import LoyaltyService, Payment
from payments.merchants import MerchantDirectory

log = get_logger("onestreet.loyalty")


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def payment_of(event: Event) -> Payment | None:
    """The payment an event describes, or None (logged) when it is malformed: retrying
    cannot fix that."""
    p = event.payload
    payment_id, shop_id = _uuid(p.get("payment_id")), _uuid(p.get("shop_id"))
    paid_at = _when(p.get("paid_at")) or _when(p.get("occurred_at")) or utcnow()
    if payment_id is None or shop_id is None or paid_at.tzinfo is None:
        log.error("loyalty_event_malformed", event_id=str(event.id), event_type=event.event_type)
        return None
    return Payment(
        payment_id=payment_id,
        shop_id=shop_id,
        amount_captured=int(p.get("amount_captured") or p.get("amount") or 0),
        amount_refunded=int(p.get("amount_refunded") or 0),
        refund_id=p.get("refund_id"),
        consumer_id=_uuid(p.get("consumer_id")),
        wallet_id=_uuid(p.get("loyalty_wallet_id")),
        paid_at=paid_at,
        order_id=_uuid(p.get("order_id"))
        or (_uuid(p.get("reference_id")) if p.get("reference_type") == "order" else None),
    )


class LoyaltyHandlers:
    def __init__(self, settings: LoyaltySettings, directory: MerchantDirectory) -> None:
        self.settings = settings
        self.directory = directory

    def service(self, session: AsyncSession) -> LoyaltyService:
        return LoyaltyService(session, self.settings, self.directory)

    async def on_payment_succeeded(self, session: AsyncSession, event: Event) -> None:
        payment = payment_of(event)
        if payment is None:
            return
        service = self.service(session)
        order_id = _uuid(event.payload.get("order_id"))
        if int(event.payload.get("points_redeemed") or 0) > 0:
            # Held for the order, or (scan-to-pay without an order) for the payment itself.
            for key in [k for k in (order_id, payment.payment_id) if k is not None]:
                for hold_id in await service.repo.held_for_order(key):
                    await service.capture(hold_id, utcnow(), late_ok=True)
        await service.earn_from_payment(payment, utcnow())

    async def on_payment_failed(self, session: AsyncSession, event: Event) -> None:
        """Points the scan-to-pay page held for a payment that failed go back at once."""
        payment_id = _uuid(event.payload.get("payment_id"))
        if payment_id is None or int(event.payload.get("points_redeemed") or 0) <= 0:
            return
        service = self.service(session)
        for hold_id in await service.repo.held_for_order(payment_id):
            await service.release(hold_id, utcnow())

    async def on_payment_refunded(self, session: AsyncSession, event: Event) -> None:
        payment = payment_of(event)
        if payment is not None:
            await self.service(session).claw_back(payment, utcnow())

    async def on_order_status_changed(self, session: AsyncSession, event: Event) -> None:
        to = event.payload.get("to")
        order_id = _uuid(event.payload.get("order_id"))
        if to not in ("cancelled", "refunded") or order_id is None:
            return
        service = self.service(session)
        for hold_id in await service.repo.held_for_order(order_id):
            await service.release(hold_id, utcnow())
        # Points already spent on the order (paid wholly or partly in points) come back.
        for hold_id in await service.repo.captured_for_order(order_id):
            await service.give_back_spent(hold_id, utcnow())


def register_loyalty_handlers(
    registry: HandlerRegistry, settings: LoyaltySettings, directory: MerchantDirectory
) -> None:
    handlers = LoyaltyHandlers(settings, directory)
    registry.register("payment.succeeded", "payments.loyalty.earn", handlers.on_payment_succeeded)
    registry.register(
        "payment.refunded", "payments.loyalty.claw_back", handlers.on_payment_refunded
    )
    registry.register(
        "payment.failed", "payments.loyalty.release_on_failure", handlers.on_payment_failed
    )
    registry.register(
        "order.status_changed",
        "payments.loyalty.release_on_cancel",
        handlers.on_order_status_changed,
    )


async def run_daily(
    sessions: async_sessionmaker[AsyncSession],
    settings: LoyaltySettings,
    notifier: Notifier | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Release expired holds, expire lots, tell consumers about points expiring soon.

    Each item commits on its own, so a crash part-way loses nothing and a rerun continues."""
    return await ExpiryService(sessions, settings, notifier or LogNotifier()).run(now or utcnow())


DAILY_TASK = "payments.loyalty.daily"


def register_loyalty_tasks(app: Celery, settings: Settings) -> None:
    async def run() -> dict[str, int]:
        async with task_sessions(settings.database) as sessions:
            return await run_daily(sessions, settings.loyalty)

    @app.task(name=DAILY_TASK, shared=False)
    def daily() -> dict[str, int]:
        """Safe to run twice: every change carries a key, a second run finds nothing due."""
        return asyncio.run(run())


def loyalty_beat_schedule() -> dict[str, dict[str, Any]]:
    from celery.schedules import crontab

    # 02:15 Asia/Taipei (18:15 UTC), and hourly for lapsed holds would be finer; daily is
    # enough because capture refuses an expired hold whether or not it was released yet.
    return {"loyalty-daily": {"task": DAILY_TASK, "schedule": crontab(hour=18, minute=15)}}
