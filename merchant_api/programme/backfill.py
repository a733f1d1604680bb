"""Derive activity facts from the records themselves (orders, payments, refunds): for a
database that has records from before the outbox handlers existed, and for the demo seed.

The facts are the same the handlers record from events (same keys), and the inserts ignore
facts already present, so running it twice, or after the handlers, adds nothing twice.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.orders.models import Order
from merchant_api.programme.definitions import Service
from merchant_api.programme.facts_repository import FactsRepository
from merchant_api.programme.facts_service import taipei_day
from payments.intents.models import PaymentIntent, PaymentRefund
from payments.loyalty.models import HoldStatus, LoyaltyHold, LoyaltyWallet

FIRST_BY_CHANNEL = {
    "kiosk": Service.kiosk_order.value,
    "online_pickup": Service.online_preorder.value,
}


async def backfill_facts(session: AsyncSession) -> dict[str, int]:
    repo = FactsRepository(session)
    uses: list[dict[str, Any]] = []
    business: list[dict[str, Any]] = []
    adoptions: dict[tuple[Any, str], tuple[Any, str]] = {}
    channels: dict[Any, str] = {}

    def adopt(shop_id: Any, service: str, at: Any, ref: str) -> None:
        known = adoptions.get((shop_id, service))
        if known is None or at < known[0]:
            adoptions[(shop_id, service)] = (at, ref)

    orders = await session.execute(
        sa.select(
            Order.id,
            Order.shop_id,
            Order.channel,
            Order.status,
            Order.consumer_account_id,
            Order.placed_at,
            Order.paid_at,
            Order.total_minor,
            Order.updated_at,
        )
    )
    for order_id, shop_id, channel, status, consumer, placed_at, paid_at, total, updated in orders:
        channels[order_id] = channel
        ref = f"order:{order_id}"
        uses.append(_use("order", shop_id, placed_at, consumer, ref, channel, ""))
        if channel in FIRST_BY_CHANNEL:
            adopt(shop_id, FIRST_BY_CHANNEL[channel], placed_at, ref)
        if status == "completed" and paid_at is None and total > 0:
            business.append(_business(ref, "order", shop_id, updated, channel, "counter", total))
    payments = await session.execute(
        sa.select(
            PaymentIntent.id,
            PaymentIntent.shop_id,
            PaymentIntent.method,
            PaymentIntent.amount_captured,
            PaymentIntent.reference_type,
            PaymentIntent.reference_id,
            PaymentIntent.consumer_id,
            PaymentIntent.succeeded_at,
            PaymentIntent.points_redeemed,
        ).where(PaymentIntent.succeeded_at.is_not(None))
    )
    methods: dict[Any, tuple[str, str]] = {}
    for pid, shop_id, method, captured, ref_type, ref_id, consumer, at, points in payments:
        channel = (
            "voucher"
            if ref_type == "voucher"
            else channels.get(ref_id, "scan_to_pay")
            if ref_type == "order"
            else "scan_to_pay"
        )
        methods[pid] = (channel, method)
        ref = f"payment:{pid}"
        row = _business(ref, "payment", shop_id, at, channel, method, captured)
        business.append({**row, "points_redeemed": points or 0})
        uses.append(_use("payment", shop_id, at, consumer, ref, channel, method))
        adopt(shop_id, Service.mobile_payment.value, at, ref)
        if ref_type == "voucher":
            adopt(shop_id, Service.o2o_voucher.value, at, ref)
    refunds = await session.execute(
        sa.select(
            PaymentRefund.id,
            PaymentRefund.payment_id,
            PaymentRefund.amount,
            PaymentRefund.created_at,
            PaymentIntent.shop_id,
        )
        .join(PaymentIntent, PaymentIntent.id == PaymentRefund.payment_id)
        .where(PaymentRefund.state == "succeeded")
    )
    for refund_id, pid, amount, at, shop_id in refunds:
        channel, method = methods.get(pid, ("scan_to_pay", ""))
        ref = f"refund:{pid}:{refund_id}"
        business.append(_business(ref, "payment", shop_id, at, channel, method, -amount))
    # Orders paid wholly in points (`points.order_paid`): the captured hold names the order.
    # Holds for a part-payment name their payment instead, which is no order here.
    holds = await session.execute(
        sa.select(
            LoyaltyHold.id,
            LoyaltyHold.order_id,
            LoyaltyHold.shop_id,
            LoyaltyHold.points,
            LoyaltyHold.value_minor,
            LoyaltyHold.finished_at,
            LoyaltyWallet.account_id,
        )
        .join(LoyaltyWallet, LoyaltyWallet.id == LoyaltyHold.wallet_id)
        .where(LoyaltyHold.status == HoldStatus.captured.value, LoyaltyHold.order_id.is_not(None))
    )
    for hold_id, order_id, shop_id, points, value, at, consumer in holds:
        if order_id not in channels:
            continue
        ref, channel = f"points:{hold_id}", channels[order_id]
        row = _business(ref, "payment", shop_id, at, channel, "points", value)
        business.append({**row, "points_redeemed": points})
        uses.append(_use("payment", shop_id, at, consumer, ref, channel, "points"))
        adopt(shop_id, Service.mobile_payment.value, at, ref)
    adoption_rows = [
        {"shop_id": shop, "service": service, "first_at": at, "source_ref": ref}
        for (shop, service), (at, ref) in adoptions.items()
    ]
    await repo.add_many(uses, business, adoption_rows)
    return {"uses": len(uses), "business": len(business), "adoptions": len(adoption_rows)}


def _use(
    source: str, shop_id: Any, at: Any, person: Any, ref: str, channel: str, method: str
) -> dict[str, Any]:
    return {
        "source": source,
        "shop_id": shop_id,
        "day": taipei_day(at),
        "occurred_at": at,
        "person_id": person,
        "channel": channel,
        "method": method,
        "source_ref": ref,
    }


def _business(
    ref: str, source: str, shop_id: Any, at: Any, channel: str, method: str, amount: int
) -> dict[str, Any]:
    return {
        "source_ref": ref,
        "source": source,
        "shop_id": shop_id,
        "day": taipei_day(at),
        "occurred_at": at,
        "channel": channel,
        "method": method,
        "amount_minor": amount,
        "points_redeemed": 0,
    }
