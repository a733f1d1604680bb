"""All SQL about shops, their members and consultant assignments."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from merchant_api.shops.models import ConsultantAssignment, Shop, ShopMember


class ShopRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, shop_id: uuid.UUID) -> Shop | None:
        return await self.session.get(Shop, shop_id)

    async def get_by_slug(self, slug: str) -> Shop | None:
        return await self.session.scalar(select(Shop).where(Shop.slug == slug))

    async def list_for_street(self, street_id: uuid.UUID) -> list[Shop]:
        rows = await self.session.scalars(
            select(Shop).where(Shop.street_id == street_id).order_by(Shop.category, Shop.slug)
        )
        return list(rows)

    async def member_role(self, account_id: uuid.UUID, shop_id: uuid.UUID) -> str | None:
        return await self.session.scalar(
            select(ShopMember.role).where(
                ShopMember.account_id == account_id, ShopMember.shop_id == shop_id
            )
        )

    async def members_with_accounts(self, shop_id: uuid.UUID) -> list[tuple[ShopMember, Account]]:
        rows = await self.session.execute(
            select(ShopMember, Account)
            .join(Account, Account.id == ShopMember.account_id)
            .where(ShopMember.shop_id == shop_id)
            .order_by(ShopMember.role, Account.email)
        )
        return [(member, account) for member, account in rows.all()]

    async def consultants_of(self, shop: Shop) -> list[Account]:
        """Consultants assigned to the shop itself or to its whole street."""
        rows = await self.session.scalars(
            select(Account)
            .join(ConsultantAssignment, ConsultantAssignment.account_id == Account.id)
            .where(
                or_(
                    ConsultantAssignment.shop_id == shop.id,
                    ConsultantAssignment.street_id == shop.street_id,
                )
            )
            .order_by(Account.email)
            .distinct()
        )
        return list(rows)

    async def consultant_covers_shop(self, account_id: uuid.UUID, shop_id: uuid.UUID) -> bool:
        street_of_shop = select(Shop.street_id).where(Shop.id == shop_id).scalar_subquery()
        found = await self.session.scalar(
            select(ConsultantAssignment.id)
            .where(
                ConsultantAssignment.account_id == account_id,
                or_(
                    ConsultantAssignment.shop_id == shop_id,
                    ConsultantAssignment.street_id == street_of_shop,
                ),
            )
            .limit(1)
        )
        return found is not None

    async def consultant_covers_street(self, account_id: uuid.UUID, street_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(ConsultantAssignment.id)
            .where(
                ConsultantAssignment.account_id == account_id,
                ConsultantAssignment.street_id == street_id,
            )
            .limit(1)
        )
        return found is not None

    def add(self, item: Shop | ShopMember | ConsultantAssignment) -> None:
        self.session.add(item)

    async def flush(self) -> None:
        await self.session.flush()
