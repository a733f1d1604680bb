"""All SQL about shops' connected accounts. Never commits."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from payments.providers.stripe.models import StripeShopAccount


class ShopAccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def account_of(self, shop_id: uuid.UUID) -> str | None:
        return await self.session.scalar(
            sa.select(StripeShopAccount.account_id).where(StripeShopAccount.shop_id == shop_id)
        )

    async def store_once(self, shop_id: uuid.UUID, account_id: str) -> None:
        """Keep the shop's account; a concurrent store of the same shop stores nothing."""
        dialect = self.session.bind.dialect.name  # type: ignore[union-attr]
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await self.session.execute(
            insert(StripeShopAccount.__table__)
            .values(shop_id=shop_id, account_id=account_id, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["shop_id"])
        )
