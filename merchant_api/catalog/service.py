"""Writing and reading a shop's catalogue: listings and categories. Services never commit.

Every write validates the whole body first and raises one ValidationFailed naming each bad
field, before anything is added to the session, so a refused request leaves nothing behind.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.errors import NotFound, ValidationFailed
from merchant_api.catalog.availability import is_open_at, window_problems
from merchant_api.catalog.models import (
    Channel,
    Listing,
    ListingCategory,
    ListingPhoto,
    Option,
    OptionGroup,
)
from merchant_api.catalog.repository import ListingRepository
from merchant_api.catalog.schemas import (
    CategoryIn,
    CategoryUpdate,
    ListingCreate,
    ListingUpdate,
    TimeWindow,
)
from merchant_api.discovery.rating_repository import NO_RATING, Rating, RatingRepository
from merchant_api.i18n import text_problems
from merchant_api.shops.repository import ShopRepository

# One currency for now; the column exists so a later cross-border shop does not need a migration.
CURRENCIES = ("TWD",)
# Four a day, every day: breakfast, lunch, tea, dinner.
MAX_TIME_WINDOWS = 28


def _problem(key: str, message: str) -> dict[str, str]:
    return {"key": key, "message": message, "source": "body"}


def _refuse(what: str, problems: list[dict[str, str]]) -> None:
    if problems:
        raise ValidationFailed(f"The {what} cannot be saved.", details={"problems": problems})


def _texts(texts: dict[str, str]) -> dict[str, str]:
    return {language: text.strip() for language, text in texts.items() if text.strip()}


def _offer_problems(
    channels: list[Channel] | None, windows: list[TimeWindow] | None
) -> list[dict[str, str]]:
    """A listing is offered somewhere (switching it off is `is_available`), at sane hours."""
    problems: list[dict[str, str]] = []
    if channels is not None and not channels:
        problems.append(_problem("channels", "At least one channel; use is_available to hide."))
    if windows is not None:
        if len(windows) > MAX_TIME_WINDOWS:
            problems.append(_problem("time_windows", f"At most {MAX_TIME_WINDOWS} windows."))
        problems += window_problems("time_windows", _windows(windows))
    return problems


def _windows(windows: list[TimeWindow]) -> list[dict[str, object]]:
    return [msgspec.structs.asdict(window) for window in windows]


@dataclass(frozen=True)
class ListingDetails:
    """A listing with what its answers show: option groups with options, and photos."""

    listing: Listing
    groups: list[tuple[OptionGroup, list[Option]]]
    photos: list[ListingPhoto]
    rating: Rating = NO_RATING


class CatalogService:
    def __init__(self, session: AsyncSession) -> None:
        self.listings = ListingRepository(session)
        self.shops = ShopRepository(session)
        self.ratings = RatingRepository(session)

    # --- reads

    async def listings_of(self, shop_id: uuid.UUID) -> list[Listing]:
        return await self.listings.list_for_shop(shop_id)

    async def listing_of_shop(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, *, include_deleted: bool = False
    ) -> Listing:
        listing = await self.listings.get(listing_id)
        if listing is None or listing.shop_id != shop_id:
            raise NotFound(f"There is no listing {listing_id} in this shop.")
        if listing.deleted_at is not None and not include_deleted:
            raise NotFound(f"The listing {listing_id} has been removed.")
        return listing

    async def details(self, listings: list[Listing]) -> list[ListingDetails]:
        ids = [listing.id for listing in listings]
        groups = await self.listings.groups_of(ids)
        options = await self.listings.options_of([group.id for group in groups])
        photos = await self.listings.photos_of(ids)
        ratings = await self.ratings.of_listings(ids)
        options_by_group: dict[uuid.UUID, list[Option]] = defaultdict(list)
        for option in options:
            options_by_group[option.group_id].append(option)
        groups_by_listing: dict[uuid.UUID, list[tuple[OptionGroup, list[Option]]]] = defaultdict(
            list
        )
        for group in groups:
            groups_by_listing[group.listing_id].append((group, options_by_group[group.id]))
        photos_by_listing: dict[uuid.UUID, list[ListingPhoto]] = defaultdict(list)
        for photo in photos:
            photos_by_listing[photo.listing_id].append(photo)
        return [
            ListingDetails(
                listing,
                groups_by_listing[listing.id],
                photos_by_listing[listing.id],
                ratings.get(listing.id, NO_RATING),
            )
            for listing in listings
        ]

    async def menu(
        self, shop_id: uuid.UUID, channel: Channel, at: datetime
    ) -> tuple[list[ListingCategory], list[ListingDetails]]:
        """What a consumer can order on `channel` at `at`: offered, not removed, in its time
        window. Sold-out listings stay on the menu (marked), so people see what exists."""
        if await self.shops.get(shop_id) is None:
            raise NotFound(f"There is no shop {shop_id}.")
        offered = [
            listing
            for listing in await self.listings.list_for_shop(shop_id)
            if listing.is_available
            and channel.value in (listing.channels or [])
            and is_open_at(listing.time_windows or [], at)
        ]
        return await self.listings.categories_of(shop_id), await self.details(offered)

    # --- listing writes

    async def create_listing(self, shop_id: uuid.UUID, data: ListingCreate) -> Listing:
        if await self.shops.get(shop_id) is None:
            raise NotFound(f"There is no shop {shop_id}.")
        problems = [
            *text_problems("name", data.name, required=True, max_length=120),
            *text_problems("description", data.description, required=False, max_length=2000),
            *_offer_problems(data.channels, data.time_windows),
            *await self._category_problems(shop_id, data.category_id),
        ]
        if data.currency not in CURRENCIES:
            problems.append(_problem("currency", "Only TWD is accepted."))
        _refuse("listing", problems)
        listing = Listing(
            shop_id=shop_id,
            name=_texts(data.name),
            description=_texts(data.description),
            price_minor=data.price_minor,
            currency=data.currency,
            is_available=data.is_available,
            category_id=data.category_id,
            stock=data.stock,
            sold_out=data.sold_out,
            channels=sorted({channel.value for channel in data.channels}),
            time_windows=_windows(data.time_windows),
            tags=sorted({tag.value for tag in data.tags}),
            position=data.position,
        )
        self.listings.add(listing)
        await self.listings.flush()
        return listing

    async def update_listing(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, data: ListingUpdate
    ) -> Listing:
        listing = await self.listing_of_shop(shop_id, listing_id)
        unset = msgspec.UNSET
        problems: list[dict[str, str]] = []
        if data.name is not unset:
            problems += text_problems("name", data.name, required=True, max_length=120)
        if data.description is not unset:
            problems += text_problems(
                "description", data.description, required=False, max_length=2000
            )
        problems += _offer_problems(
            None if data.channels is unset else data.channels,
            None if data.time_windows is unset else data.time_windows,
        )
        if data.category_id is not unset:
            problems += await self._category_problems(shop_id, data.category_id)
        if data.price_minor is not unset:
            lowest = await self.listings.lowest_option_delta(listing.id)
            if data.price_minor + lowest < 0:
                problems.append(
                    _problem(
                        "price_minor", f"An option takes {-lowest} off; the price must cover it."
                    )
                )
        _refuse("listing", problems)
        if data.name is not unset:
            listing.name = _texts(data.name)
        if data.description is not unset:
            listing.description = _texts(data.description)
        if data.time_windows is not unset:
            listing.time_windows = _windows(data.time_windows)
        if data.channels is not unset:
            listing.channels = sorted({channel.value for channel in data.channels})
        if data.tags is not unset:
            listing.tags = sorted({tag.value for tag in data.tags})
        for field in (
            "price_minor",
            "is_available",
            "category_id",
            "stock",
            "sold_out",
            "position",
        ):
            value = getattr(data, field)
            if value is not unset:
                setattr(listing, field, value)
        listing.updated_at = utcnow()
        await self.listings.flush()
        return listing

    async def remove_listing(self, shop_id: uuid.UUID, listing_id: uuid.UUID) -> Listing:
        """Hide the listing from menus; orders that name it still read it by id."""
        listing = await self.listing_of_shop(shop_id, listing_id, include_deleted=True)
        if listing.deleted_at is None:
            listing.deleted_at = utcnow()
            await self.listings.flush()
        return listing

    async def _category_problems(
        self, shop_id: uuid.UUID, category_id: uuid.UUID | None
    ) -> list[dict[str, str]]:
        if category_id is None:
            return []
        category = await self.listings.category(category_id)
        if category is None or category.shop_id != shop_id:
            return [_problem("category_id", "No such category in this shop.")]
        return []

    # --- categories

    async def categories_of(self, shop_id: uuid.UUID) -> list[ListingCategory]:
        if await self.shops.get(shop_id) is None:
            raise NotFound(f"There is no shop {shop_id}.")
        return await self.listings.categories_of(shop_id)

    async def create_category(self, shop_id: uuid.UUID, data: CategoryIn) -> ListingCategory:
        if await self.shops.get(shop_id) is None:
            raise NotFound(f"There is no shop {shop_id}.")
        _refuse("category", text_problems("name", data.name, required=True, max_length=60))
        category = ListingCategory(shop_id=shop_id, name=_texts(data.name), position=data.position)
        self.listings.add(category)
        await self.listings.flush()
        return category

    async def category_of_shop(self, shop_id: uuid.UUID, category_id: uuid.UUID) -> ListingCategory:
        category = await self.listings.category(category_id)
        if category is None or category.shop_id != shop_id:
            raise NotFound(f"There is no category {category_id} in this shop.")
        return category

    async def update_category(
        self, shop_id: uuid.UUID, category_id: uuid.UUID, data: CategoryUpdate
    ) -> ListingCategory:
        category = await self.category_of_shop(shop_id, category_id)
        if data.name is not msgspec.UNSET:
            _refuse("category", text_problems("name", data.name, required=True, max_length=60))
            category.name = _texts(data.name)
        if data.position is not msgspec.UNSET:
            category.position = data.position
        await self.listings.flush()
        return category

    async def delete_category(self, shop_id: uuid.UUID, category_id: uuid.UUID) -> None:
        """Its listings stay on the menu, uncategorised (the foreign key sets NULL)."""
        category = await self.category_of_shop(shop_id, category_id)
        for listing in await self.listings.list_for_shop(shop_id):
            if listing.category_id == category_id:
                listing.category_id = None
        await self.listings.delete(category)
        await self.listings.flush()
