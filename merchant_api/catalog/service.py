"""Adding to and reading a shop's catalogue. Services never commit."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound, ValidationFailed
from merchant_api.catalog.models import Listing
from merchant_api.catalog.repository import ListingRepository
from merchant_api.catalog.schemas import ListingCreate
from merchant_api.i18n import text_problems
from merchant_api.shops.repository import ShopRepository

# One currency for now; the column exists so a later cross-border shop does not need a migration.
CURRENCIES = ("TWD",)


class CatalogService:
    def __init__(self, session: AsyncSession) -> None:
        self.listings = ListingRepository(session)
        self.shops = ShopRepository(session)

    async def listings_of(self, shop_id: uuid.UUID) -> list[Listing]:
        return await self.listings.list_for_shop(shop_id)

    async def create_listing(self, shop_id: uuid.UUID, data: ListingCreate) -> Listing:
        if await self.shops.get(shop_id) is None:
            raise NotFound(f"There is no shop {shop_id}.")
        problems = [
            *text_problems("name", data.name, required=True, max_length=120),
            *text_problems("description", data.description, required=False, max_length=2000),
        ]
        if data.currency not in CURRENCIES:
            problems.append(
                {"key": "currency", "message": "Only TWD is accepted.", "source": "body"}
            )
        if problems:
            raise ValidationFailed("The listing cannot be saved.", details={"problems": problems})
        listing = Listing(
            shop_id=shop_id,
            name={lang: text.strip() for lang, text in data.name.items() if text.strip()},
            description={lang: text for lang, text in data.description.items() if text.strip()},
            price_minor=data.price_minor,
            currency=data.currency,
            is_available=data.is_available,
        )
        self.listings.add(listing)
        await self.listings.flush()
        return listing
