"""Processing a stored Stripe event: the outbox handler for payments.stripe_webhook_received.

It runs after the inbox row committed, in the session delivery gives it, and never commits
(delivery commits the payment change, the inbox's handled mark and the handled_events row
together). Running it twice changes nothing: a handled entry is skipped, and the payment
update is idempotent by the Stripe event id anyway.
"""

from __future__ import annotations

import asyncio
from typing import Any

from celery import Celery
from sqlalchemy.ext.asyncio import AsyncSession

from infra.celery_app import task_sessions
from infra.logging import get_logger
from infra.outbox import Event, HandlerRegistry
from infra.settings import Settings
from payments.inbox import InboxRepository
from payments.intents.service import PaymentService
from payments.webhooks.service import WEBHOOK_RECEIVED
from payments.webhooks.stripe_events import PROVIDER, update_from_event

log = get_logger("onestreet.payments.webhooks")

HANDLER_NAME = "payments.process_stripe_webhook"


async def process_stripe_webhook(session: AsyncSession, event: Event) -> None:
    external_id = str(event.payload["external_id"])
    inbox = InboxRepository(session)
    entry = await inbox.get(PROVIDER, external_id)
    if entry is None or entry.handled_at is not None:
        return
    update = update_from_event(entry.payload)
    changed = False
    if update is not None:
        changed = await PaymentService(session).apply_provider_update(update)
    await inbox.mark_handled(PROVIDER, external_id)
    log.info(
        "stripe_webhook_processed",
        event_id=external_id,
        type=entry.event_type,
        outcome="applied" if changed else ("unchanged" if update else "ignored"),
    )


def register_stripe_webhook_handlers(registry: HandlerRegistry) -> None:
    registry.register(WEBHOOK_RECEIVED, HANDLER_NAME, process_stripe_webhook)


CATCH_UP_TASK = "payments.stripe_catch_up"
CATCH_UP_EVERY_SECONDS = 600.0


def register_stripe_tasks(app: Celery, settings: Settings) -> dict[str, dict[str, Any]]:
    """The catch-up task and its beat entry; nothing when Stripe is not configured."""
    if not settings.stripe.secret_key:
        return {}

    @app.task(name=CATCH_UP_TASK, shared=False)
    def catch_up_task() -> dict[str, Any]:
        """Store Stripe events whose webhooks never came (idempotent by event id)."""
        from payments.providers.stripe import build_stripe_provider
        from payments.webhooks.catch_up import catch_up

        async def run() -> dict[str, Any]:
            async with task_sessions(settings.database) as sessions:
                report = await catch_up(sessions, build_stripe_provider(settings.stripe))
            return report.as_dict()

        return asyncio.run(run())

    return {
        "payments-stripe-catch-up": {
            "task": CATCH_UP_TASK,
            "schedule": CATCH_UP_EVERY_SECONDS,
            "options": {"expires": CATCH_UP_EVERY_SECONDS},
        }
    }
