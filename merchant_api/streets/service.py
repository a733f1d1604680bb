"""Reading the programme's streets. Services never commit; the request boundary does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound, ValidationFailed
from merchant_api.i18n import DEFAULT_LANGUAGE, text_problems
from merchant_api.shops.hours import load_schedules, shop_status_at
from merchant_api.shops.models import Shop
from merchant_api.shops.repository import ShopRepository
from merchant_api.shops.schedule import OpenStatus
from merchant_api.streets.models import Street
from merchant_api.streets.repository import StreetRepository
from merchant_api.streets.schemas import StreetUpdate


@dataclass(frozen=True)
class StreetWithShops:
    street: Street
    shops: list[Shop]


class StreetService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
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

    async def openings(self, shops: list[Shop], at: datetime) -> dict[uuid.UUID, OpenStatus]:
        """Whether each shop is open at `at`, in one round of queries."""
        schedules = await load_schedules(self.session, [shop.id for shop in shops], around=at)
        return {shop.id: shop_status_at(shop.status, schedules[shop.id], at) for shop in shops}

    async def update(self, street_id: uuid.UUID, changes: StreetUpdate) -> Street:
        """Change the street's names and descriptions; on any problem nothing changes."""
        street = await self.find(street_id)
        problems: list[dict[str, str]] = []
        if changes.name is not msgspec.UNSET:
            problems += text_problems("name", changes.name, required=False, max_length=80)
            merged = _merged(street.name, changes.name)
            if not merged.get(DEFAULT_LANGUAGE):
                problems.append(
                    {"key": f"name.{DEFAULT_LANGUAGE}", "message": "Required.", "source": "body"}
                )
        if changes.description is not msgspec.UNSET:
            problems += text_problems(
                "description", changes.description, required=False, max_length=2000
            )
        if problems:
            raise ValidationFailed("The street cannot be updated.", details={"problems": problems})
        if changes.name is not msgspec.UNSET:
            street.name = _merged(street.name, changes.name)
        if changes.description is not msgspec.UNSET:
            street.description = _merged(street.description, changes.description)
        await self.streets.flush()
        return street

    async def _with_shops(self, street: Street | None, asked: str) -> StreetWithShops:
        if street is None:
            raise NotFound(f"There is no street {asked}.")
        return StreetWithShops(street, await self.shops.list_for_street(street.id))


def _merged(texts: dict[str, str], changes: dict[str, str]) -> dict[str, str]:
    # A new dict, so the JSON column is seen as changed.
    merged = {**texts, **{lang: text.strip() for lang, text in changes.items()}}
    return {lang: text for lang, text in merged.items() if text}
