"""SQL for recommendations: offered listings, a consumer's recent items at a shop."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.catalog.models import Listing
from merchant_api.orders.models import Order, OrderLine
from recommender.features.repository import NOT_SOLD

RECENT_ORDERS = 50


class RecommendationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def offered(
        self, shop_id: uuid.UUID, listing_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, tuple[dict[str, str], int]]:
        """Of these listings, the ones the shop still offers: name and price."""
        if not listing_ids:
            return {}
        query = sa.select(Listing.id, Listing.name, Listing.price_minor).where(
            Listing.id.in_(listing_ids),
            Listing.shop_id == shop_id,
            Listing.deleted_at.is_(None),
            Listing.is_available.is_(True),
        )
        return {row[0]: (row[1], row[2]) for row in (await self.session.execute(query)).all()}

    async def consumer_baskets(
        self, shop_id: uuid.UUID, consumer_id: uuid.UUID
    ) -> list[list[uuid.UUID]]:
        """The consumer's last orders at the shop, oldest first, as lists of listing ids."""
        recent = (
            sa.select(Order.id, Order.placed_at)
            .where(
                Order.shop_id == shop_id,
                Order.consumer_account_id == consumer_id,
                Order.status.not_in(NOT_SOLD),
            )
            .order_by(Order.placed_at.desc())
            .limit(RECENT_ORDERS)
            .subquery()
        )
        query = (
            sa.select(recent.c.id, OrderLine.listing_id)
            .join(OrderLine, OrderLine.order_id == recent.c.id)
            .order_by(recent.c.placed_at, OrderLine.position)
        )
        baskets: dict[uuid.UUID, list[uuid.UUID]] = {}
        for order_id, listing_id in (await self.session.execute(query)).all():
            baskets.setdefault(order_id, []).append(listing_id)
        return list(baskets.values())
