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
from merchant_api.streets.models import Street
from merchant_api.telemetry.models import TelemetryHourly
from payments.loyalty.models import LoyaltyCampaign

# Orders that did not end in a sale say nothing about demand we met.
NOT_SOLD = (OrderStatus.cancelled.value, OrderStatus.refunded.value)

# Tables other packages own, read when present (payments/loyalty, device telemetry).
OPTIONAL_SOURCES = {
    "payments": ("payment_intents",),
    "points": ("loyalty_ledger_entries", "points_entries", "loyalty_entries"),
    "telemetry": (
        "telemetry_hourly",
        "telemetry_hourly_rollups",
        "device_telemetry_rollups",
        "telemetry_events",
    ),
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
    county: str = ""
    digital_level: int = 0


@dataclass(frozen=True, slots=True)
class DeviceHour:
    """One device's interactions in one UTC hour (the telemetry rollup, read only)."""

    shop_id: uuid.UUID
    hour: datetime
    device_type: str
    touches: int
    scans: int
    ar_try_ons: int
    hotspot_sessions: int
    menu_views: int
    carts_started: int
    carts_abandoned: int
    kiosk_orders: int


@dataclass(frozen=True)
class Campaign:
    id: uuid.UUID
    name: str
    street_id: uuid.UUID | None  # None: every street
    multiplier_pct: int
    starts_at: datetime
    ends_at: datetime


class FeatureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def shops(self, shop_ids: list[uuid.UUID] | None = None) -> list[ShopInfo]:
        query = (
            sa.select(
                Shop.id, Shop.street_id, Shop.name, Shop.category, Street.county,
                Street.digital_level,
            )
            .join(Street, Street.id == Shop.street_id)
            .order_by(Shop.slug)
        )  # fmt: skip
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

    async def device_hours(
        self, since: datetime, until: datetime, shop_ids: list[uuid.UUID] | None = None
    ) -> list[DeviceHour]:
        t = TelemetryHourly
        query = (
            sa.select(
                t.shop_id, t.hour, t.device_type, t.touches, t.scans, t.ar_try_ons,
                t.hotspot_sessions, t.menu_views, t.carts_started, t.carts_abandoned,
                t.kiosk_orders,
            )
            .where(t.shop_id.is_not(None), t.hour >= since, t.hour < until)
            .order_by(t.hour)
        )  # fmt: skip
        if shop_ids is not None:
            query = query.where(t.shop_id.in_(shop_ids))
        return [DeviceHour(*row) for row in (await self.session.execute(query)).all()]

    async def order_totals(
        self, since: datetime, until: datetime, shop_ids: list[uuid.UUID]
    ) -> list[tuple[uuid.UUID, datetime, int]]:
        """(shop, placed at, total) of sold orders: daily sales for uplift, without lines."""
        if not shop_ids:
            return []
        query = sa.select(Order.shop_id, Order.placed_at, Order.total_minor).where(
            Order.placed_at >= since,
            Order.placed_at < until,
            Order.status.not_in(NOT_SOLD),
            Order.shop_id.in_(shop_ids),
        )
        return [tuple(row) for row in (await self.session.execute(query)).all()]  # type: ignore[misc]

    async def campaigns(self, since: datetime, until: datetime) -> list[Campaign]:
        """Loyalty campaigns overlapping [since, until) (read only; payments owns them)."""
        c = LoyaltyCampaign
        query = (
            sa.select(c.id, c.name, c.street_id, c.multiplier_pct, c.starts_at, c.ends_at)
            .where(c.starts_at < until, c.ends_at > since)
            .order_by(c.starts_at)
        )
        return [Campaign(*row) for row in (await self.session.execute(query)).all()]

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
