"""The shops an account works at, for the owner console's shop switcher."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.shops.models import Shop, ShopMember


@dataclass(frozen=True)
class MemberShop:
    shop: Shop
    role: str  # "owner" or "staff"


async def shops_of_member(session: AsyncSession, account_id: uuid.UUID) -> list[MemberShop]:
    rows = await session.execute(
        select(Shop, ShopMember.role)
        .join(ShopMember, ShopMember.shop_id == Shop.id)
        .where(ShopMember.account_id == account_id)
        .order_by(Shop.slug)
    )
    return [MemberShop(shop, role) for shop, role in rows.all()]
