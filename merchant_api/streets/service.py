"""Reading the programme's streets. Services never commit; the request boundary does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound
from merchant_api.shops.models import Shop
from merchant_api.shops.repository import ShopRepository
from merchant_api.streets.models import Street
from merchant_api.streets.repository import StreetRepository


@dataclass(frozen=True)
class StreetWithShops:
    street: Street
    shops: list[Shop]


class StreetService:
    def __init__(self, session: AsyncSession) -> None:
        self.streets = StreetRepository(session)
        self.shops = ShopRepository(session)

    async def list_streets(self) -> list[tuple[Street, int]]:
        """Every street with its number of shops, in the order they joined the programme."""
        return await self.streets.list_with_shop_counts()

    async def find(self, street_id: uuid.UUID) -> Street:
        """The street alone, without its shops."""
        street = await self.streets.get(street_id)
        if street is None:
            raise NotFound(f"There is no street {street_id}.")
        return street

    async def get(self, street_id: uuid.UUID) -> StreetWithShops:
        return await self._with_shops(await self.streets.get(street_id), str(street_id))

    async def get_by_slug(self, slug: str) -> StreetWithShops:
        return await self._with_shops(await self.streets.get_by_slug(slug), slug)

    async def _with_shops(self, street: Street | None, asked: str) -> StreetWithShops:
        if street is None:
            raise NotFound(f"There is no street {asked}.")
        return StreetWithShops(street, await self.shops.list_for_street(street.id))
