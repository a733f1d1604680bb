"""Outbox handlers: payments tells vouchers that money arrived or went back.

Payments publishes `payment.succeeded` / `payment.refunded` with
{"reference_type": "voucher", "reference_id": "<voucher id>"}; other reference types belong to
other handlers. Delivery runs each handler once per event id, and the state change itself is
conditional, so a second event for the same voucher changes nothing.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.logging import get_logger
from infra.outbox import Event, HandlerRegistry
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
