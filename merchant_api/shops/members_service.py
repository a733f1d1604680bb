"""Removing people from a shop. Never commits."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound
from merchant_api.shops.invitation_errors import LastOwner
from merchant_api.shops.models import MemberRole
from merchant_api.shops.repository import ShopRepository


class MembersService:
    def __init__(self, session: AsyncSession) -> None:
        self.shops = ShopRepository(session)

    async def remove(self, shop_id: uuid.UUID, account_id: uuid.UUID) -> None:
        """Staff and co-owners can be removed; the last owner cannot (a shop nobody can run
        would need an admin to rescue it)."""
        # The shop row's lock makes two concurrent removals of the last two owners wait for
        # each other, so the second one sees a single owner left and is refused.
        if await self.shops.lock_shop(shop_id) is None:
            raise NotFound(f"There is no shop {shop_id}.")
        member = await self.shops.member(shop_id, account_id)
        if member is None:
            raise NotFound(f"{account_id} does not work at this shop.")
        if member.role == MemberRole.OWNER.value and await self.shops.owner_count(shop_id) <= 1:
            raise LastOwner(
                "The shop's last owner cannot be removed; invite another owner first.",
                details={"field": "account_id"},
            )
        await self.shops.delete_member(member)
