"""Catching up on Stripe events whose webhooks never arrived (Stripe's own advice).

Every few minutes the beat task lists the platform account's recent events through the API
and stores the payment ones in the inbox, exactly as a webhook would: an event already there
(delivered, or found by an earlier run) is skipped by its id, so nothing is processed twice.
This recovers a lost `payment_intent.succeeded` whatever state the payment is in, which the
processing-only reconciliation (payments.intents.tasks) cannot for a card payment that went
straight from requires_action to succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.db import utcnow
from infra.logging import get_logger
from payments.webhooks.service import store_event
from payments.webhooks.stripe_events import INTENT_EVENTS, REFUND_EVENTS

if TYPE_CHECKING:
    from payments.providers.stripe.provider import StripeProvider

log = get_logger("onestreet.payments.webhooks")

# Stripe retries a webhook for three days; a day back catches what an outage of ours lost.
WINDOW = timedelta(hours=24)
# Bounds one run; the next run (minutes later) continues where the window still reaches.
MAX_PAGES = 20
RELEVANT = frozenset(INTENT_EVENTS) | REFUND_EVENTS


@dataclass
class CatchUpReport:
    seen: int = 0
    stored: int = 0
    stored_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"seen": self.seen, "stored": self.stored}


async def catch_up(
    sessions: async_sessionmaker[AsyncSession],
    provider: StripeProvider,
    since: datetime | None = None,
) -> CatchUpReport:
    report = CatchUpReport()
    created_since = int((since or utcnow() - WINDOW).timestamp())
    starting_after: str | None = None
    for _ in range(MAX_PAGES):
        # Asked outside any transaction: no lock is held while Stripe answers.
        events, has_more = await provider.list_events(created_since, starting_after)
        relevant = [event for event in events if event.get("type") in RELEVANT]
        report.seen += len(events)
        async with sessions() as session:
            for event in relevant:
                if await store_event(session, event):
                    report.stored_ids.append(str(event["id"]))
            await session.commit()
        if not has_more or not events:
            break
        starting_after = str(events[-1]["id"])
    report.stored = len(report.stored_ids)
    if report.stored:
        log.warning("stripe_events_recovered", count=report.stored, ids=report.stored_ids[:20])
    return report
