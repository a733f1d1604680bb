"""All SQL about shops, their members and consultant assignments."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from merchant_api.shops.models import ConsultantAssignment, Shop, ShopMember, ShopStatusChange


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

    def add(self, item: Shop | ShopMember | ConsultantAssignment | ShopStatusChange) -> None:
        self.session.add(item)

    async def flush(self) -> None:
        await self.session.flush()

    async def change_status(
        self, shop_id: uuid.UUID, expected: str, new: str, at: datetime
    ) -> bool:
        """Move the shop from `expected` to `new` in one conditional UPDATE; False when the
        shop was no longer in `expected` (someone else changed it first)."""
        result = await self.session.execute(
            update(Shop)
            .where(Shop.id == shop_id, Shop.status == expected)
            .values(status=new, updated_at=at)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def status_changes(
        self, shop_id: uuid.UUID
    ) -> list[tuple[ShopStatusChange, Account | None]]:
        rows = await self.session.execute(
            select(ShopStatusChange, Account)
            .outerjoin(Account, Account.id == ShopStatusChange.changed_by)
            .where(ShopStatusChange.shop_id == shop_id)
            .order_by(ShopStatusChange.changed_at.desc(), ShopStatusChange.id)
        )
        return [(change, account) for change, account in rows.all()]

    async def lock_shop(self, shop_id: uuid.UUID) -> Shop | None:
        """The shop row, locked until commit (PostgreSQL); SQLite's BEGIN IMMEDIATE already
        serialises writers. Member changes take this lock so two removals cannot both pass
        the last-owner check."""
        return await self.session.scalar(select(Shop).where(Shop.id == shop_id).with_for_update())

    async def member(self, shop_id: uuid.UUID, account_id: uuid.UUID) -> ShopMember | None:
        return await self.session.scalar(
            select(ShopMember).where(
                ShopMember.shop_id == shop_id, ShopMember.account_id == account_id
            )
        )

    async def owner_count(self, shop_id: uuid.UUID) -> int:
        return int(
            await self.session.scalar(
                select(func.count())
                .select_from(ShopMember)
                .where(ShopMember.shop_id == shop_id, ShopMember.role == "owner")
            )
            or 0
        )

    async def delete_member(self, member: ShopMember) -> None:
        await self.session.delete(member)
        await self.session.flush()
