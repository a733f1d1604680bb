"""Reconciliation: re-fetch payments stuck in processing and apply what the provider says.

A confirmation can get lost (a webhook that never arrived, a callback the acquirer gave up
on). Every few minutes this task asks the provider about payments that have been processing
longer than `reconcile_after_minutes` and applies the answer as a ProviderUpdate whose id,
"reconcile:<provider_ref>:<status>", makes a second run change nothing. It also finishes
refunds left pending by a request that died while the provider was asked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from celery import Celery, Task
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.celery_app import task_sessions
from infra.db import utcnow
from infra.logging import get_logger
from infra.settings import Settings
from payments.intents.config import PaymentConfig
from payments.intents.confirmation import apply_provider_update
from payments.intents.models import RefundState
from payments.intents.refunds import RefundService
from payments.intents.repository import PaymentRepository
from payments.providers.base import PaymentProvider, ProviderStatus, ProviderUpdate
from payments.providers.registry import build_providers

log = get_logger("onestreet.payments.reconcile")

RECONCILE_TASK = "payments.reconcile"
RECONCILE_EVERY_SECONDS = 300.0
BATCH = 200
_UNDECIDED = frozenset({ProviderStatus.processing, ProviderStatus.requires_action})


@dataclass
class ReconcileReport:
    checked: int = 0
    changed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"checked": self.checked, "changed": self.changed, "errors": self.errors}


async def reconcile_stuck(
    sessions: async_sessionmaker[AsyncSession],
    providers: dict[str, PaymentProvider],
    older_than: timedelta,
    limit: int = BATCH,
) -> ReconcileReport:
    report = ReconcileReport()
    async with sessions() as session:
        stuck = await PaymentRepository(session).stuck_in_processing(utcnow() - older_than, limit)
    for provider_name, provider_ref in stuck:
        provider = providers.get(provider_name)
        if provider is None:
            continue
        report.checked += 1
        try:
            # Asked outside any transaction: no row stays locked while the provider answers.
            fetched = await provider.retrieve_intent(provider_ref)
            if fetched.status in _UNDECIDED:
                continue
            update = ProviderUpdate(
                provider=provider_name,
                external_event_id=f"reconcile:{provider_ref}:{fetched.status.value}",
                provider_ref=provider_ref,
                status=fetched.status,
                occurred_at=utcnow(),
                amount_received=fetched.amount_received,
                card_brand=fetched.card_brand,
                card_last4=fetched.card_last4,
                failure_code=fetched.failure_code,
            )
            async with sessions() as session:
                changed = await apply_provider_update(session, update)
                await session.commit()
            report.changed += int(changed)
        except Exception as exc:  # one provider's outage must not stop the others
            log.exception("reconcile_failed", provider=provider_name, provider_ref=provider_ref)
            report.errors.append(f"{provider_name}:{provider_ref}: {type(exc).__name__}")
    return report


async def settle_pending_refunds(
    sessions: async_sessionmaker[AsyncSession],
    providers: dict[str, PaymentProvider],
    older_than: timedelta,
    limit: int = BATCH,
) -> ReconcileReport:
    """Finish refunds whose request died between asking the provider and recording its
    answer: asked again with the same provider key, so the provider refunds once."""
    report = ReconcileReport()
    async with sessions() as session:
        pending = await PaymentRepository(session).pending_refunds(utcnow() - older_than, limit)
    config = PaymentConfig(providers=providers)
    for refund_id in pending:
        report.checked += 1
        try:
            async with sessions() as session:
                refunds = RefundService(session, config)
                refund = await refunds.repo.refund(refund_id)
                intent = await refunds.repo.get(refund.payment_id) if refund else None
                if refund is None or intent is None or intent.provider not in providers:
                    continue
                await session.commit()  # nothing held while the provider answers
                result = await refunds.ask_provider(intent, refund)
                settled = await refunds.settle(refund_id, result)
                await session.commit()
            report.changed += int(settled.state != RefundState.pending.value)
        except Exception as exc:  # one provider's outage must not stop the others
            log.exception("refund_settle_failed", refund_id=str(refund_id))
            report.errors.append(f"refund:{refund_id}: {type(exc).__name__}")
    return report


async def run_reconciliation(settings: Settings) -> ReconcileReport:
    older_than = timedelta(minutes=settings.payments.reconcile_after_minutes)
    providers = build_providers(settings)
    async with task_sessions(settings.database) as sessions:
        report = await reconcile_stuck(sessions, providers, older_than)
        refunds = await settle_pending_refunds(sessions, providers, older_than)
    report.checked += refunds.checked
    report.changed += refunds.changed
    report.errors += refunds.errors
    return report


def register_payment_tasks(app: Celery, settings: Settings) -> Task:
    @app.task(name=RECONCILE_TASK, shared=False)
    def reconcile() -> dict[str, Any]:
        """Re-fetch stuck payments (idempotent: a second run applies nothing new)."""
        return asyncio.run(run_reconciliation(settings)).as_dict()

    return reconcile


def payments_beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        "payments-reconcile": {
            "task": RECONCILE_TASK,
            "schedule": RECONCILE_EVERY_SECONDS,
            "options": {"expires": RECONCILE_EVERY_SECONDS},
        }
    }
