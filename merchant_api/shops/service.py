"""Reading and updating shops. Services never commit; the request boundary does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from infra.errors import NotFound, ValidationFailed
from merchant_api.catalog.repository import ListingRepository
from merchant_api.discovery.rating_repository import NO_RATING, RatingRepository
from merchant_api.i18n import text_problems
from merchant_api.shops import details_validation as check
from merchant_api.shops.details_repository import ShopDetailsRepository
from merchant_api.shops.hours import load_schedule, shop_status_at
from merchant_api.shops.models import Shop, ShopMember
from merchant_api.shops.profile import ShopProfile
from merchant_api.shops.repository import ShopRepository
from merchant_api.shops.schedule import OpenStatus, WeeklyPeriod
from merchant_api.shops.schemas import ShopUpdate

# E-mail addresses and LINE ids are case-insensitive; they are kept in lower case.
LOWER_CASED = frozenset({"contact_email", "line_id"})


@dataclass(frozen=True)
class ShopPageFacts:
    """What a shop's public page shows beside its menu, read in four queries."""

    opening: OpenStatus
    weekly: tuple[WeeklyPeriod, ...]
    payment_methods: list[str]


@dataclass(frozen=True)
class ShopPeople:
    members: list[tuple[ShopMember, Account]]
    consultants: list[Account]


class ShopService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.shops = ShopRepository(session)
        self.details = ShopDetailsRepository(session)
        self.listings = ListingRepository(session)

    async def get(self, shop_id: uuid.UUID) -> Shop:
        return _found(await self.shops.get(shop_id), str(shop_id))

    async def get_by_slug(self, slug: str) -> Shop:
        return _found(await self.shops.get_by_slug(slug), slug)

    async def page_facts(self, shop: Shop, at: datetime) -> ShopPageFacts:
        """Opening status, weekly hours and payment methods of an already loaded shop; the
        public shop page is the busiest page, so it skips what `profile` adds."""
        schedule = await load_schedule(self.session, shop.id, around=at)
        return ShopPageFacts(
            opening=shop_status_at(shop.status, schedule, at),
            weekly=schedule.weekly,
            payment_methods=await self.details.payment_methods(shop.id),
        )

    async def profile(self, shop_id: uuid.UUID, at: datetime) -> ShopProfile:
        """The shop as its public page shows it, with whether it is open at `at`."""
        shop = await self.get(shop_id)
        schedule = await load_schedule(self.session, shop.id, around=at)
        listings = await self.listings.list_for_shop(shop.id)
        ratings = RatingRepository(self.session)
        shop_rating = (await ratings.of_shops([shop.id])).get(shop.id, NO_RATING)
        return ShopProfile(
            shop=shop,
            listings=listings,
            rating=shop_rating,
            listing_ratings=await ratings.of_listings([listing.id for listing in listings]),
            payment_methods=await self.details.payment_methods(shop.id),
            staff_languages=await self.details.staff_languages(shop.id),
            at=at,
            opening=shop_status_at(shop.status, schedule, at),
        )

    async def people(self, shop_id: uuid.UUID) -> ShopPeople:
        shop = await self.get(shop_id)
        return ShopPeople(
            members=await self.shops.members_with_accounts(shop.id),
            consultants=await self.shops.consultants_of(shop),
        )

    async def update(self, shop_id: uuid.UUID, changes: ShopUpdate) -> Shop:
        """Apply the fields given; on any problem nothing changes."""
        shop = await self.get(shop_id)
        problems: list[dict[str, str]] = []
        contact: dict[str, str | None] = {}
        for field, pattern, max_length in (
            ("phone", check.PHONE, 32),
            ("contact_email", check.EMAIL, 254),
            ("line_id", check.LINE_ID, 64),
            ("website", check.WEBSITE, 300),
        ):
            value = getattr(changes, field)
            if value is not msgspec.UNSET:
                cleaned = check.cleaned_optional(field, value, pattern, max_length, problems)
                if cleaned and field in LOWER_CASED:
                    cleaned = cleaned.lower()
                contact[field] = cleaned
        if changes.description is not msgspec.UNSET:
            problems += text_problems(
                "description", changes.description, required=False, max_length=2000
            )
        methods = languages = None
        if changes.payment_methods is not msgspec.UNSET:
            methods = check.payment_methods(changes.payment_methods, problems)
        if changes.staff_languages is not msgspec.UNSET:
            languages = check.staff_languages(changes.staff_languages, problems)
        if problems:
            raise ValidationFailed("The shop cannot be updated.", details={"problems": problems})

        if methods is not None or languages is not None:
            # The lists are replaced by delete-then-insert; one editor at a time.
            await self.shops.lock_shop(shop.id)
        for field, value in contact.items():
            setattr(shop, field, value)
        if changes.description is not msgspec.UNSET:
            merged = {**shop.description, **changes.description}
            # A new dict, so the JSON column is seen as changed.
            shop.description = {lang: text for lang, text in merged.items() if text.strip()}
        if methods is not None:
            await self.details.replace_payment_methods(shop.id, methods)
        if languages is not None:
            await self.details.replace_staff_languages(shop.id, languages)
        await self.shops.flush()
        return shop


def _found(shop: Shop | None, asked: str) -> Shop:
    if shop is None:
        raise NotFound(f"There is no shop {asked}.")
    return shop
