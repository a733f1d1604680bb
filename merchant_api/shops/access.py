"""merchant_api's answer to infra.auth's ShopAccessPolicy: who may act for a shop or street.

infra cannot import merchant_api, so the composition root hands an instance of this class to
the guards through `app.state.shop_access`.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.shops.repository import ShopRepository


class MembershipShopAccess:
    """Memberships from `shop_members`; consultants from `consultant_assignments`, where a
    street assignment covers every shop on that street."""

    async def member_role(
        self, session: AsyncSession, account_id: UUID, shop_id: UUID
    ) -> str | None:
        return await ShopRepository(session).member_role(account_id, shop_id)

    async def consultant_assigned(
        self, session: AsyncSession, account_id: UUID, shop_id: UUID
    ) -> bool:
        return await ShopRepository(session).consultant_covers_shop(account_id, shop_id)

    async def consultant_street_assigned(
        self, session: AsyncSession, account_id: UUID, street_id: UUID
    ) -> bool:
        return await ShopRepository(session).consultant_covers_street(account_id, street_id)
