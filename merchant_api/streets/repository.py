"""All SQL about streets."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.shops.models import Shop
from merchant_api.streets.models import Street


class StreetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_with_shop_counts(self) -> list[tuple[Street, int]]:
        counts = (
            select(Shop.street_id, func.count(Shop.id).label("shops"))
            .group_by(Shop.street_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(Street, func.coalesce(counts.c.shops, 0))
            .outerjoin(counts, counts.c.street_id == Street.id)
            .order_by(Street.programme_year_joined, Street.slug)
        )
        return [(street, int(count)) for street, count in rows.all()]

    async def get(self, street_id: uuid.UUID) -> Street | None:
        return await self.session.get(Street, street_id)

    async def get_by_slug(self, slug: str) -> Street | None:
        return await self.session.scalar(select(Street).where(Street.slug == slug))

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(Street)) or 0)

    def add(self, street: Street) -> None:
        self.session.add(street)

    async def flush(self) -> None:
        await self.session.flush()
