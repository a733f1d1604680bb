"""SQL for the features: sold order lines, shops, and optional tables of other packages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.catalog.models import Listing
from merchant_api.orders.models import Order, OrderLine, OrderStatus
from merchant_api.shops.models import Shop

# Orders that did not end in a sale say nothing about demand we met.
NOT_SOLD = (OrderStatus.cancelled.value, OrderStatus.refunded.value)

# Tables other packages own, read when present (payments/loyalty, device telemetry).
OPTIONAL_SOURCES = {
    "payments": ("payment_intents",),
    "points": ("loyalty_ledger_entries", "points_entries", "loyalty_entries"),
    "telemetry": ("telemetry_hourly_rollups", "device_telemetry_rollups", "telemetry_events"),
}


@dataclass(frozen=True, slots=True)  # slots: millions of these in the benchmark
class SoldLine:
    order_id: uuid.UUID
    shop_id: uuid.UUID
    placed_at: datetime
    consumer_id: uuid.UUID | None
    listing_id: uuid.UUID
    quantity: int
    line_total_minor: int


@dataclass(frozen=True)
class ShopInfo:
    id: uuid.UUID
    street_id: uuid.UUID
    name: dict[str, str]
    category: str


class FeatureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def shops(self, shop_ids: list[uuid.UUID] | None = None) -> list[ShopInfo]:
        query = sa.select(Shop.id, Shop.street_id, Shop.name, Shop.category).order_by(Shop.slug)
        if shop_ids is not None:
            query = query.where(Shop.id.in_(shop_ids))
        return [ShopInfo(*row) for row in (await self.session.execute(query)).all()]

    async def sold_lines(
        self, since: datetime, until: datetime, shop_ids: list[uuid.UUID] | None = None
    ) -> list[SoldLine]:
        query = (
            sa.select(
                Order.id,
                Order.shop_id,
                Order.placed_at,
                Order.consumer_account_id,
                OrderLine.listing_id,
                OrderLine.quantity,
                OrderLine.line_total_minor,
            )
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(Order.placed_at >= since, Order.placed_at < until)
            .where(Order.status.not_in(NOT_SOLD))
            .order_by(Order.placed_at, Order.id, OrderLine.position)
        )
        if shop_ids is not None:
            query = query.where(Order.shop_id.in_(shop_ids))
        result = await self.session.execute(query)
        return [SoldLine(*row) for row in result.all()]

    async def listing_names(self, listing_ids: set[uuid.UUID]) -> dict[uuid.UUID, dict[str, str]]:
        if not listing_ids:
            return {}
        query = sa.select(Listing.id, Listing.name).where(Listing.id.in_(listing_ids))
        return {row[0]: row[1] for row in (await self.session.execute(query)).all()}

    async def data_sources(self) -> dict[str, str | None]:
        """Which optional source is present: its table name, or None (not available)."""
        names = set(
            await self.session.run_sync(lambda s: sa.inspect(s.connection()).get_table_names())
        )
        return {
            source: next((t for t in candidates if t in names), None)
            for source, candidates in OPTIONAL_SOURCES.items()
        }
