"""SQL for one shop's scorecard and analytics (consultant workspace).

Devices and advice belong to packages built alongside this one; they are read by table name
inside a savepoint, so a database without those tables yet answers "no data", not an error.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.catalog.models import Listing
from merchant_api.orders.models import Order, OrderLine
from merchant_api.programme.models import (
    ProgrammeAdoption,
    ProgrammeBusiness,
    ProgrammeDailyRollup,
    ProgrammeVisit,
)
from merchant_api.shops.models import ShopPaymentMethod


class ShopFiguresRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _maybe(self, sql: str, shop_id: uuid.UUID) -> list[dict[str, Any]] | None:
        statement = sa.text(sql).bindparams(sa.bindparam("shop_id", shop_id, type_=sa.Uuid()))
        try:
            async with self.session.begin_nested():
                rows = await self.session.execute(statement)
                return [dict(row._mapping) for row in rows]
        except sa.exc.DBAPIError:
            return None

    async def listings(self, shop_id: uuid.UUID) -> list[Listing]:
        found = await self.session.scalars(
            sa.select(Listing).where(Listing.shop_id == shop_id, Listing.deleted_at.is_(None))
        )
        return list(found)

    async def payment_methods(self, shop_id: uuid.UUID) -> list[str]:
        found = await self.session.scalars(
            sa.select(ShopPaymentMethod.method).where(ShopPaymentMethod.shop_id == shop_id)
        )
        return sorted(found)

    async def adoptions(self, shop_id: uuid.UUID) -> dict[str, datetime]:
        rows = await self.session.execute(
            sa.select(ProgrammeAdoption.service, ProgrammeAdoption.first_at).where(
                ProgrammeAdoption.shop_id == shop_id
            )
        )
        return dict(rows.tuples().all())

    async def daily(self, shop_id: uuid.UUID, since: date) -> list[dict[str, Any]]:
        r = ProgrammeDailyRollup
        rows = await self.session.execute(
            sa.select(r.day, r.source, r.channel, r.method, r.uses, r.business_minor)
            .where(r.shop_id == shop_id, r.day >= since)
            .order_by(r.day)
        )
        return [dict(row._mapping) for row in rows]

    async def points_redeemed(self, shop_id: uuid.UUID, since: date) -> int:
        total = await self.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(ProgrammeBusiness.points_redeemed), 0)).where(
                ProgrammeBusiness.shop_id == shop_id, ProgrammeBusiness.day >= since
            )
        )
        return int(total or 0)

    async def order_times(self, shop_id: uuid.UUID, since: datetime) -> list[datetime]:
        found = await self.session.scalars(
            sa.select(Order.placed_at).where(
                Order.shop_id == shop_id,
                Order.placed_at >= since,
                Order.status.not_in(("cancelled",)),
            )
        )
        return list(found)

    async def top_listings(self, shop_id: uuid.UUID, since: datetime) -> list[dict[str, Any]]:
        quantity = sa.func.sum(OrderLine.quantity).label("quantity")
        sold = (
            sa.select(
                OrderLine.listing_id,
                quantity,
                sa.func.sum(OrderLine.line_total_minor).label("sales_minor"),
            )
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.shop_id == shop_id, Order.placed_at >= since, Order.status != "cancelled")
            .group_by(OrderLine.listing_id)
            .order_by(quantity.desc())
            .limit(10)
            .subquery()
        )
        rows = await self.session.execute(
            sa.select(sold.c.listing_id, Listing.name, sold.c.quantity, sold.c.sales_minor)
            .join(Listing, Listing.id == sold.c.listing_id)
            .order_by(sold.c.quantity.desc())
        )
        return [dict(row._mapping) for row in rows]

    async def visits(self, shop_id: uuid.UUID) -> list[ProgrammeVisit]:
        found = await self.session.scalars(
            sa.select(ProgrammeVisit)
            .where(ProgrammeVisit.shop_id == shop_id)
            .order_by(ProgrammeVisit.visited_on)
        )
        return list(found)

    async def devices(self, shop_id: uuid.UUID) -> list[dict[str, Any]] | None:
        return await self._maybe(
            "SELECT d.type, d.status, d.last_seen_at,"
            " (SELECT COUNT(*) FROM device_alerts a"
            "   WHERE a.device_id = d.id AND a.cleared_at IS NULL) AS open_alerts"
            " FROM device_devices d WHERE d.shop_id = :shop_id",
            shop_id=shop_id,
        )

    async def advice_statuses(self, shop_id: uuid.UUID) -> list[dict[str, Any]] | None:
        return await self._maybe(
            "SELECT status, COUNT(*) AS n FROM advice_items WHERE shop_id = :shop_id"
            " GROUP BY status",
            shop_id=shop_id,
        )
