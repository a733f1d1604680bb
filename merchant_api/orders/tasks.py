"""Outbox handlers for orders, for the composition root to register (infra.bootstrap.worker).

`mark_order_paid` is meant for the payments event that confirms a payment for an order
(payload with "order_id" and an ISO "paid_at"); it is idempotent, as handlers must be.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from infra.outbox import Event
from merchant_api.orders.service import OrderService


async def mark_order_paid(session: AsyncSession, event: Event) -> None:
    order_id = event.payload.get("order_id")
    if not order_id:
        return  # a payment without an order (scan-to-pay an amount)
    paid_at = datetime.fromisoformat(event.payload.get("paid_at") or event.created_at.isoformat())
    await OrderService(session).mark_paid(uuid.UUID(order_id), paid_at)
