"""How the shop and street guards learn who may act for a shop or street.

Shops, memberships and consultant assignments belong to merchant_api, which infra must never
import. merchant_api implements `ShopAccessPolicy`; the composition root puts the object at
`app.state.shop_access`. Until it does, `DenyAllShopAccess` answers, so shop guards deny.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

MemberRole = Literal["owner", "staff"]


@runtime_checkable
class ShopAccessPolicy(Protocol):
    async def member_role(
        self, session: AsyncSession, account_id: UUID, shop_id: UUID
    ) -> str | None:
        """ "owner" or "staff" when the account belongs to the shop, else None (also for a
        shop that does not exist)."""
        ...

    async def consultant_assigned(
        self, session: AsyncSession, account_id: UUID, shop_id: UUID
    ) -> bool:
        """Whether the consultant account is assigned to this shop (directly or via its street)."""
        ...

    async def consultant_street_assigned(
        self, session: AsyncSession, account_id: UUID, street_id: UUID
    ) -> bool:
        """Whether the consultant account is assigned to this street."""
        ...


class DenyAllShopAccess:
    """The policy in force until merchant_api provides one: nobody belongs anywhere."""

    async def member_role(
        self, session: AsyncSession, account_id: UUID, shop_id: UUID
    ) -> str | None:
        return None

    async def consultant_assigned(
        self, session: AsyncSession, account_id: UUID, shop_id: UUID
    ) -> bool:
        return False

    async def consultant_street_assigned(
        self, session: AsyncSession, account_id: UUID, street_id: UUID
    ) -> bool:
        return False
