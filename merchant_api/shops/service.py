"""Reading and updating shops. Services never commit; the request boundary does."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from infra.errors import NotFound, ValidationFailed
from merchant_api.catalog.models import Listing
from merchant_api.catalog.repository import ListingRepository
from merchant_api.i18n import text_problems
from merchant_api.shops.models import Shop, ShopMember
from merchant_api.shops.repository import ShopRepository
from merchant_api.shops.schemas import ShopUpdate

# Landlines with area codes, mobiles, extensions: "(089) 781-234", "0912-345-678 #12".
PHONE = re.compile(r"^\+?[0-9()\- #]{6,24}$")


@dataclass(frozen=True)
class ShopWithListings:
    shop: Shop
    listings: list[Listing]


@dataclass(frozen=True)
class ShopPeople:
    members: list[tuple[ShopMember, Account]]
    consultants: list[Account]


class ShopService:
    def __init__(self, session: AsyncSession) -> None:
        self.shops = ShopRepository(session)
        self.listings = ListingRepository(session)

    async def get(self, shop_id: uuid.UUID) -> Shop:
        return _found(await self.shops.get(shop_id), str(shop_id))

    async def get_with_listings(self, shop_id: uuid.UUID) -> ShopWithListings:
        shop = await self.get(shop_id)
        return ShopWithListings(shop, await self.listings.list_for_shop(shop.id))

    async def get_by_slug_with_listings(self, slug: str) -> ShopWithListings:
        shop = _found(await self.shops.get_by_slug(slug), slug)
        return ShopWithListings(shop, await self.listings.list_for_shop(shop.id))

    async def people(self, shop_id: uuid.UUID) -> ShopPeople:
        shop = await self.get(shop_id)
        return ShopPeople(
            members=await self.shops.members_with_accounts(shop.id),
            consultants=await self.shops.consultants_of(shop),
        )

    async def update(self, shop_id: uuid.UUID, changes: ShopUpdate) -> Shop:
        shop = await self.get(shop_id)
        problems: list[dict[str, str]] = []
        phone = changes.phone
        if isinstance(phone, str):
            phone = phone.strip() or None
            if phone is not None and not PHONE.match(phone):
                problems.append(
                    {"key": "phone", "message": "Not a phone number.", "source": "body"}
                )
        if changes.description is not msgspec.UNSET:
            problems += text_problems(
                "description", changes.description, required=False, max_length=2000
            )
        if problems:
            raise ValidationFailed("The shop cannot be updated.", details={"problems": problems})

        if phone is not msgspec.UNSET:
            shop.phone = phone
        if changes.description is not msgspec.UNSET:
            merged = {**shop.description, **changes.description}
            # A new dict, so the JSON column is seen as changed.
            shop.description = {lang: text for lang, text in merged.items() if text.strip()}
        await self.shops.flush()
        return shop


def _found(shop: Shop | None, asked: str) -> Shop:
    if shop is None:
        raise NotFound(f"There is no shop {asked}.")
    return shop
