"""merchant_api's answer to payments' MerchantDirectory: a shop as payment pages show it.

payments cannot import merchant_api, so the composition root hands an instance of this class
to payments through `app.state.merchant_directory`.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.catalog.models import Listing
from merchant_api.orders.models import OrderLine
from merchant_api.shops.models import Shop, ShopStatus
from merchant_api.streets.models import Street
from payments.merchants import MerchantInfo


class ShopMerchantDirectory:
    # The shops table is in the loyalty ledger's database: its functions read a shop there
    # (payments.loyalty.ledger_functions) instead of asking `describe` first.
    shops_in_database = True

    async def describe(self, session: AsyncSession, shop_id: UUID) -> MerchantInfo | None:
        row = (
            await session.execute(
                select(Shop.name, Shop.status, Street.township, Shop.street_id, Shop.category)
                .join(Street, Street.id == Shop.street_id)
                .where(Shop.id == shop_id)
            )
        ).one_or_none()
        if row is None:
            return None
        names, status, township, street_id, category = row
        return MerchantInfo(
            shop_id=shop_id,
            names=dict(names),
            city=township,
            active=status != ShopStatus.SUSPENDED.value,
            street_id=street_id,
            category=category,
        )

    # payments.loyalty.bonuses.OrderLineSource: listing bonuses on an order's lines.

    async def order_lines(self, session: AsyncSession, order_id: UUID) -> list[tuple[UUID, int]]:
        rows = await session.execute(
            select(OrderLine.listing_id, OrderLine.line_total_minor)
            .where(OrderLine.order_id == order_id)
            .order_by(OrderLine.position)
        )
        return [(listing, int(total)) for listing, total in rows]

    async def listing_shop(self, session: AsyncSession, listing_id: UUID) -> UUID | None:
        return await session.scalar(select(Listing.shop_id).where(Listing.id == listing_id))
