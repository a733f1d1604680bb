"""Outbox handlers that record activity facts, and the rollup tasks with their schedule.

Delivery runs each handler once per event (handled_events), and every fact insert is
idempotent on its natural key, so a redelivered event records nothing twice.
"""

from __future__ import annotations

import asyncio
from typing import Any

from celery import Celery
from sqlalchemy.ext.asyncio import AsyncSession

from infra.celery_app import task_sessions
from infra.outbox import Event, HandlerRegistry
from infra.settings import Settings
from merchant_api.programme.facts_service import FactsService, parse_id, parse_time
from merchant_api.programme.rollup_service import RollupService

REFRESH_TASK = "programme.refresh_rollups"
REBUILD_TASK = "programme.rebuild_rollups"


async def on_order_placed(session: AsyncSession, event: Event) -> None:
    order_id, shop_id = (
        parse_id(event.payload.get("order_id")),
        parse_id(event.payload.get("shop_id")),
    )
    if order_id and shop_id:
        await FactsService(session).order_placed(order_id, shop_id)


async def on_order_status_changed(session: AsyncSession, event: Event) -> None:
    if event.payload.get("to") != "completed":
        return
    order_id, shop_id = (
        parse_id(event.payload.get("order_id")),
        parse_id(event.payload.get("shop_id")),
    )
    if order_id and shop_id:
        at = parse_time(event.payload.get("at"), event.created_at)
        await FactsService(session).order_completed(order_id, shop_id, at)


async def on_payment_succeeded(session: AsyncSession, event: Event) -> None:
    await FactsService(session).payment_succeeded(event.payload, event.created_at)


async def on_points_order_paid(session: AsyncSession, event: Event) -> None:
    await FactsService(session).points_order_paid(event.payload, event.created_at)


async def on_payment_refunded(session: AsyncSession, event: Event) -> None:
    await FactsService(session).payment_refunded(event.payload, event.id, event.created_at)


def register_programme_handlers(registry: HandlerRegistry) -> None:
    registry.register("order.placed", "merchant_api.programme.order_placed", on_order_placed)
    registry.register(
        "order.status_changed", "merchant_api.programme.order_status", on_order_status_changed
    )
    registry.register(
        "payment.succeeded", "merchant_api.programme.payment_succeeded", on_payment_succeeded
    )
    registry.register(
        "payment.refunded", "merchant_api.programme.payment_refunded", on_payment_refunded
    )
    registry.register(
        "points.order_paid", "merchant_api.programme.points_order_paid", on_points_order_paid
    )


def register_programme_tasks(app: Celery, settings: Settings) -> None:
    async def run(rebuild: bool) -> dict[str, int]:
        async with task_sessions(settings.database) as sessions, sessions() as session:
            service = RollupService(session)
            report = await (service.rebuild() if rebuild else service.refresh())
            await session.commit()
            return report.as_dict()

    @app.task(name=REFRESH_TASK, shared=False)
    def refresh() -> dict[str, int]:
        """Safe to run twice: a second run finds no changed days."""
        return asyncio.run(run(rebuild=False))

    @app.task(name=REBUILD_TASK, shared=False)
    def rebuild() -> dict[str, int]:
        return asyncio.run(run(rebuild=True))


def programme_beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    from celery.schedules import crontab

    every = settings.programme.rollup_refresh_seconds
    return {
        "programme-refresh-rollups": {
            "task": REFRESH_TASK,
            "schedule": every,
            "options": {"expires": every},
        },
        # 03:30 Asia/Taipei (19:30 UTC): rebuild from the raw facts while the streets sleep.
        "programme-rebuild-rollups": {
            "task": REBUILD_TASK,
            "schedule": crontab(hour=settings.programme.nightly_rebuild_hour_utc, minute=30),
        },
    }
