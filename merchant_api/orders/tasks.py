"""Outbox handlers for orders, for the composition root to register (infra.bootstrap.worker).

`mark_order_paid` is meant for the payments event that confirms a payment for an order
(payload with "order_id" and an ISO "paid_at"); it is idempotent, as handlers must be.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.outbox import Event
from merchant_api.orders.models import OrderStatus
from merchant_api.orders.service import Actor, OrderService
from merchant_api.orders.state import allowed_next


async def mark_order_paid(session: AsyncSession, event: Event) -> None:
    order_id = event.payload.get("order_id")
    if not order_id:
        return  # a payment without an order (scan-to-pay an amount)
    paid_at = datetime.fromisoformat(event.payload.get("paid_at") or event.created_at.isoformat())
    await OrderService(session).mark_paid(uuid.UUID(order_id), paid_at)


async def mark_order_refunded(session: AsyncSession, event: Event) -> None:
    """payments' `payment.refunded`: once everything captured is refunded, so is the order.

    Partial refunds leave the order as it is. An order whose state no longer allows it (say
    cancelled meanwhile) is left alone; a second delivery finds it refunded and does nothing.
    """
    order_id = event.payload.get("order_id")
    if not order_id:
        return
    if int(event.payload.get("amount_refunded") or 0) < int(
        event.payload.get("amount_captured") or 0
    ):
        return
    service = OrderService(session)
    order = await service.orders.get(uuid.UUID(order_id))
    if order is None or order.status == OrderStatus.refunded.value:
        return
    if OrderStatus.refunded not in allowed_next(
        OrderStatus(order.status), paid=order.paid_at is not None
    ):
        return
    await service.transition(
        order, OrderStatus.refunded, "payment refunded", Actor(None, "system"), utcnow()
    )
