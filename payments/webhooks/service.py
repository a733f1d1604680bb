"""Receiving a Stripe webhook: verify, store once in the inbox, enqueue by id. Never commits.

The request boundary commits the inbox row and the outbox event together, so the processing
task (payments.webhooks.tasks) starts only for a stored delivery, and only once per event id:
a redelivery (or the same event found by the catch-up task) finds its row and enqueues nothing.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.logging import get_logger
from infra.outbox import publish
from infra.settings import StripeSettings
from payments.inbox import InboxRepository
from payments.webhooks.errors import WebhookNotConfigured, WebhookPayloadInvalid
from payments.webhooks.signature import verify_signature
from payments.webhooks.stripe_events import PROVIDER

log = get_logger("onestreet.payments.webhooks")

WEBHOOK_RECEIVED = "payments.stripe_webhook_received"


@dataclass(frozen=True, slots=True)
class Receipt:
    event_id: str
    event_type: str
    stored: bool  # False: a redelivery of an event we already have


class StripeWebhookService:
    def __init__(self, session: AsyncSession, settings: StripeSettings) -> None:
        self.session = session
        self.settings = settings

    async def receive(self, body: bytes, signature_header: str | None) -> Receipt:
        if not self.settings.webhook_secret:
            raise WebhookNotConfigured("Stripe webhooks are not configured here.")
        verify_signature(
            body,
            signature_header,
            self.settings.webhook_secret,
            tolerance_seconds=self.settings.webhook_tolerance_seconds,
            now=time.time(),
        )
        event = _parse(body)
        stored = await store_event(self.session, event)
        log.info("stripe_webhook_received", event_id=event["id"], type=event["type"], stored=stored)
        return Receipt(event_id=event["id"], event_type=event["type"], stored=stored)


async def store_event(session: AsyncSession, event: dict[str, Any]) -> bool:
    """Keep a Stripe event in the inbox and enqueue its processing, unless already there.

    Webhooks and the catch-up task (events fetched from Stripe's API) both come here, so an
    event arriving both ways is processed once.
    """
    event_id = str(event["id"])
    stored = await InboxRepository(session).store_once(
        PROVIDER, event_id, str(event["type"]), event
    )
    if stored:
        publish(
            session,
            WEBHOOK_RECEIVED,
            {"provider": PROVIDER, "external_id": event_id},
            key=f"stripe:{event_id}",
        )
    return stored


def _parse(body: bytes) -> dict[str, Any]:
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise WebhookPayloadInvalid("The webhook body is not JSON.") from None
    if not isinstance(event, dict):
        raise WebhookPayloadInvalid("The webhook body is not a Stripe event.")
    event_id, event_type = event.get("id"), event.get("type")
    if not isinstance(event_id, str) or not event_id.startswith("evt_") or len(event_id) > 200:
        raise WebhookPayloadInvalid("The webhook event has no valid id.")
    if not isinstance(event_type, str) or not event_type or len(event_type) > 100:
        raise WebhookPayloadInvalid("The webhook event has no type.")
    return event
