"""Paying a whole order with loyalty points: no provider, so no payment.succeeded marks it paid.

In one transaction: the order is marked paid by the same conditional UPDATE the payment event
uses (`paid_at IS NULL`), the points are held and captured at the order's shop, and
`points.order_paid` goes to the outbox for the KPI facts. The UPDATE is the exactly-once guard:
a second attempt (another tab, another key, a concurrent request waiting on the row lock)
finds the order paid and is refused, and the refusal rolls back everything it wrote.
Services never commit.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from infra.outbox import publish
from merchant_api.orders.payment_references import UNPAYABLE_ORDERS
from merchant_api.orders.service import OrderService
from payments.intents.errors import (
    AlreadyPaid,
    AmountMismatch,
    ReferenceNotFound,
    ReferenceNotPayable,
    field_problem,
)
from payments.intents.repository import PaymentRepository
from payments.loyalty.models import LoyaltyHold
from payments.loyalty.redemption import RedemptionService

POINTS_ORDER_PAID = "points.order_paid"


async def pay_order_with_points(
    session: AsyncSession,
    loyalty: RedemptionService,
    *,
    order_id: uuid.UUID,
    shop_id: uuid.UUID,
    wallet_id: uuid.UUID,
    consumer_id: uuid.UUID,
    points: int,
    now: datetime,
) -> LoyaltyHold:
    """Spend `points` worth exactly the order's total; the captured hold (its receipt).

    The caller has checked that the consumer may read the order (its key or its owner)."""
    orders = OrderService(session)
    order = await orders.orders.get(order_id)
    if order is None or order.shop_id != shop_id:
        raise ReferenceNotFound(
            "There is no such order at this shop.", details=field_problem("order_id", "unknown")
        )
    if order.consumer_account_id not in (None, consumer_id):
        # Someone else's order: their points or their money pay for it, not ours.
        raise ReferenceNotPayable(
            "This order is another customer's to pay.", details=field_problem("order_id", "owner")
        )
    if order.status in UNPAYABLE_ORDERS:
        raise ReferenceNotPayable(
            f"This order is {order.status} and cannot be paid.",
            details=field_problem("order_id", "not payable"),
        )
    value = points * loyalty.settings.point_value_minor
    if value != order.total_minor:
        raise AmountMismatch(
            f"Points must be worth the order's total, {order.total_minor}.",
            details=field_problem("points", f"worth == {order.total_minor}"),
        )
    if await PaymentRepository(session).open_payment_for_reference(order_id) is not None:
        raise AlreadyPaid(
            "This order already has a payment that succeeded or is being processed.",
            details=field_problem("order_id", "already paid"),
        )
    if not await orders.mark_paid(order_id, now):
        raise AlreadyPaid("This order is already paid.", details=field_problem("order_id", "paid"))
    hold = await loyalty.redeem_now(wallet_id, shop_id, points, now, order_id=order_id)
    payload = {
        "order_id": str(order_id),
        "shop_id": str(shop_id),
        "hold_id": str(hold.id),
        "consumer_id": str(consumer_id),
        "points": points,
        "value_minor": value,
        "currency": order.currency,
        "paid_at": now.isoformat(),
    }
    publish(session, POINTS_ORDER_PAID, payload, key=f"order:{order_id}")
    return hold
