"""Turn outbox events into activity facts: uses, business generated, first adoptions.

Each fact names its source record, so an auditor can follow any KPI figure back to the
payment, order or telemetry session behind it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.programme.definitions import Service, UseSource
from merchant_api.programme.facts_repository import FactsRepository

TAIPEI = ZoneInfo("Asia/Taipei")


def taipei_day(at: datetime) -> date:
    return at.astimezone(TAIPEI).date()


def parse_time(value: object, fallback: datetime) -> datetime:
    if not value:
        return fallback
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=TAIPEI)


def parse_id(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


class FactsService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = FactsRepository(session)

    async def record_use(
        self,
        source: UseSource,
        shop_id: uuid.UUID,
        at: datetime,
        person_id: uuid.UUID | None,
        source_ref: str,
        *,
        channel: str = "",
        method: str = "",
    ) -> bool:
        return await self.repo.add_use(
            {
                "source": source.value,
                "shop_id": shop_id,
                "day": taipei_day(at),
                "occurred_at": at,
                "person_id": person_id,
                "channel": channel,
                "method": method,
                "source_ref": source_ref,
            }
        )

    async def order_placed(self, order_id: uuid.UUID, shop_id: uuid.UUID) -> None:
        order = await self.repo.order_facts(order_id)
        if order is None:
            return
        ref = f"order:{order_id}"
        await self.record_use(
            UseSource.order,
            shop_id,
            order.placed_at,
            order.consumer_id,
            ref,
            channel=order.channel,
        )
        first = {"kiosk": Service.kiosk_order, "online_pickup": Service.online_preorder}
        if order.channel in first:
            await self.repo.add_adoption(shop_id, first[order.channel], order.placed_at, ref)

    async def order_completed(self, order_id: uuid.UUID, shop_id: uuid.UUID, at: datetime) -> None:
        """An order paid at the counter outside the platform still counts as business once it
        is completed; one paid through payments is counted from its payment instead."""
        order = await self.repo.order_facts(order_id)
        if order is None or order.paid_at is not None or order.total_minor <= 0:
            return
        await self.repo.add_business(
            {
                "source_ref": f"order:{order_id}",
                "source": "order",
                "shop_id": shop_id,
                "day": taipei_day(at),
                "occurred_at": at,
                "channel": order.channel,
                "method": "counter",
                "amount_minor": order.total_minor,
            }
        )

    async def payment_succeeded(self, payload: dict[str, object], fallback: datetime) -> None:
        shop_id = parse_id(payload.get("shop_id"))
        payment_id = payload.get("payment_id")
        if shop_id is None or not payment_id or not await self.repo.shop_exists(shop_id):
            return
        at = parse_time(payload.get("paid_at") or payload.get("occurred_at"), fallback)
        ref = f"payment:{payment_id}"
        amount = int(payload.get("amount_captured") or payload.get("amount") or 0)  # type: ignore[call-overload]
        points = int(payload.get("points_redeemed") or 0)  # type: ignore[call-overload]
        method = str(payload.get("method") or "")
        await self._paid(payload, ref, shop_id, at, method, amount, points)
        if payload.get("reference_type") == "voucher":
            await self.repo.add_adoption(shop_id, Service.o2o_voucher, at, ref)

    async def points_order_paid(self, payload: dict[str, object], fallback: datetime) -> None:
        """An order paid wholly in points (`points.order_paid`): business worth the points'
        value, method "points", counted as a payment is, and traced to the loyalty hold."""
        shop_id = parse_id(payload.get("shop_id"))
        hold_id = parse_id(payload.get("hold_id"))
        if shop_id is None or hold_id is None or not await self.repo.shop_exists(shop_id):
            return
        at = parse_time(payload.get("paid_at"), fallback)
        value = int(payload.get("value_minor") or 0)  # type: ignore[call-overload]
        points = int(payload.get("points") or 0)  # type: ignore[call-overload]
        await self._paid(payload, f"points:{hold_id}", shop_id, at, "points", value, points)

    async def _paid(
        self,
        payload: dict[str, object],
        ref: str,
        shop_id: uuid.UUID,
        at: datetime,
        method: str,
        amount: int,
        points: int,
    ) -> None:
        """What any payment through the platform counts: business, a use, an adoption."""
        channel = await self._payment_channel(payload)
        await self.repo.add_business(
            {
                "source_ref": ref,
                "source": "payment",
                "shop_id": shop_id,
                "day": taipei_day(at),
                "occurred_at": at,
                "channel": channel,
                "method": method,
                "amount_minor": amount,
                "points_redeemed": points,
            }
        )
        person = parse_id(payload.get("consumer_id"))
        await self.record_use(
            UseSource.payment, shop_id, at, person, ref, channel=channel, method=method
        )
        await self.repo.add_adoption(shop_id, Service.mobile_payment, at, ref)

    async def payment_refunded(
        self, payload: dict[str, object], event_id: uuid.UUID, fallback: datetime
    ) -> None:
        shop_id = parse_id(payload.get("shop_id"))
        amount = int(payload.get("refund_amount") or 0)  # type: ignore[call-overload]
        if shop_id is None or amount <= 0 or not await self.repo.shop_exists(shop_id):
            return
        at = parse_time(payload.get("occurred_at"), fallback)
        refund = payload.get("refund_id") or event_id
        await self.repo.add_business(
            {
                "source_ref": f"refund:{payload.get('payment_id')}:{refund}",
                "source": "payment",
                "shop_id": shop_id,
                "day": taipei_day(at),
                "occurred_at": at,
                "channel": await self._payment_channel(payload),
                "method": str(payload.get("method") or ""),
                "amount_minor": -amount,
            }
        )

    async def _payment_channel(self, payload: dict[str, object]) -> str:
        if payload.get("reference_type") == "voucher":
            return "voucher"
        order_id = parse_id(payload.get("order_id"))
        if order_id is not None:
            order = await self.repo.order_facts(order_id)
            if order is not None:
                return order.channel
        return "scan_to_pay"
