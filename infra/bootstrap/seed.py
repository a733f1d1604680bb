"""Deterministic demo data: the same seed number always gives the same streets, shops,
listings, ids and demo logins, so screenshots, tests and bug reports agree.

Seeding only ever fills an empty database; it never touches data somebody entered.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

# Every model, and the mapper listeners that keep search documents current.
import infra.bootstrap.models  # noqa: F401
from infra.auth.models import Account
from infra.auth.service import AccountService
from infra.bootstrap.seed_advice import seed_advice
from infra.bootstrap.seed_catalog import add_photo, enrich_listing, option_groups
from infra.bootstrap.seed_data import (
    CONSULTANT_SHOP_SLUGS,
    CONSULTANT_STREET_SLUG,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_SHOP_SLUG,
    STREETS,
)
from infra.bootstrap.seed_data.types import ShopSeed, StreetSeed
from infra.bootstrap.seed_loyalty import seed_loyalty
from infra.bootstrap.seed_orders import DAYS as ORDER_DAYS
from infra.bootstrap.seed_orders import seed_orders
from infra.bootstrap.seed_payments import seed_payments
from infra.bootstrap.seed_programme import seed_programme
from infra.bootstrap.seed_shop_details import seed_shop_details
from infra.bootstrap.seed_telemetry import seed_telemetry
from infra.bootstrap.seed_vouchers_reviews import seed_vouchers_and_reviews
from infra.db import create_engine, create_session_factory
from infra.errors import Conflict
from infra.migrations import runner
from infra.settings import LoyaltySettings, Settings
from infra.storage import Storage, media_storage
from merchant_api.catalog.models import Listing, Option, OptionGroup
from merchant_api.catalog.repository import ListingRepository
from merchant_api.shops.models import (
    ConsultantAssignment,
    MemberRole,
    Shop,
    ShopMember,
    ShopStatus,
)
from merchant_api.shops.repository import ShopRepository
from merchant_api.streets.models import Street
from merchant_api.streets.repository import StreetRepository

ROC_YEAR_OFFSET = 1911
Progress = Callable[[str], None]


@dataclass(frozen=True)
class SeedSummary:
    streets: int
    shops: int
    listings: int
    accounts: int


class DatabaseNotEmpty(Conflict):
    """Seeding would mix demo data into real data."""


async def database_is_empty(session: AsyncSession) -> bool:
    if await StreetRepository(session).count():
        return False
    accounts = AccountService(session)
    return all([await accounts.get_by_email(login.email) is None for login in DEMO_LOGINS])


async def seed_demo(
    session: AsyncSession,
    seed_number: int,
    progress: Progress = lambda _: None,
    storage: Storage | None = None,
) -> SeedSummary:
    """Fill an empty database with the demo programme. Does not commit.

    With `storage`, every listing also gets a generated photo card stored there.
    """
    if not await database_is_empty(session):
        raise DatabaseNotEmpty(
            "The database already has streets or demo accounts; seeding only fills an empty "
            "database."
        )
    seeder = _Seeder(session, seed_number, progress, storage)
    return await seeder.run()


def seed_database(settings: Settings, progress: Progress = lambda _: None) -> SeedSummary:
    """Seed the configured database with settings.app.seed_number and commit."""

    async def go() -> SeedSummary:
        engine = create_engine(settings.database, for_worker=True)
        try:
            async with create_session_factory(engine)() as session:
                summary = await seed_demo(
                    session,
                    settings.app.seed_number,
                    progress,
                    media_storage(settings.app.data_dir),
                )
                await session.commit()
                return summary
        finally:
            await engine.dispose()

    return asyncio.run(go())


def schema_is_current(settings: Settings) -> bool:
    """Whether the database has been migrated to the newest revision."""

    async def go() -> str | None:
        engine = create_engine(settings.database, for_worker=True)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(runner.current_revision_of)
        finally:
            await engine.dispose()

    return asyncio.run(go()) == runner.head_revision(settings.database.url)


def is_database_empty(settings: Settings) -> bool:
    async def go() -> bool:
        engine = create_engine(settings.database, for_worker=True)
        try:
            async with create_session_factory(engine)() as session:
                return await database_is_empty(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


class _Seeder:
    def __init__(
        self,
        session: AsyncSession,
        seed_number: int,
        progress: Progress,
        storage: Storage | None = None,
    ) -> None:
        self.storage = storage
        self.session = session
        self.progress = progress
        # Ids are derived from the seed, so the same seed gives the same ids everywhere.
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"https://demo.onestreet.tw/{seed_number}")
        self.rng = random.Random(seed_number)
        self.seed_number = seed_number
        self.streets = StreetRepository(session)
        self.shops = ShopRepository(session)
        self.listings = ListingRepository(session)
        self.shop_ids: dict[str, uuid.UUID] = {}
        self.street_ids: dict[str, uuid.UUID] = {}
        self.listing_count = 0

    def id(self, kind: str, key: str) -> uuid.UUID:
        return uuid.uuid5(self.namespace, f"{kind}:{key}")

    async def run(self) -> SeedSummary:
        accounts = await self._accounts()
        for number, street in enumerate(STREETS, start=1):
            shops = await self._street(street)
            self.progress(
                f"[{number}/{len(STREETS)}] {street.county}{street.township} {street.zh}: "
                f"{shops} shops"
            )
        await self._people(accounts)
        await seed_shop_details(
            self.session, self.seed_number, self.id, self.shop_ids, self.street_ids
        )
        self.progress("Added opening hours, payment methods, languages and hotspots")
        orders = await seed_orders(self.session, self.seed_number, self.shop_ids)
        self.progress(f"Added {orders} orders over the last {ORDER_DAYS} days")
        payments, refunds = await seed_payments(self.session, self.seed_number, self.shop_ids)
        self.progress(f"Added {payments} payments for paid orders ({refunds} refunded)")
        self.progress(await seed_loyalty(self.session, self.seed_number, LoyaltySettings()))
        offers, vouchers, reviews = await seed_vouchers_and_reviews(
            self.session, self.seed_number, self.id, self.shop_ids
        )
        self.progress(f"Added {offers} voucher offers, {vouchers} vouchers and {reviews} reviews")
        self.progress(
            await seed_advice(
                self.session,
                self.shop_ids,
                self.street_ids[CONSULTANT_STREET_SLUG],
                accounts["consultant@demo.onestreet.tw"].id,
            )
        )
        self.progress(
            await seed_telemetry(self.session, self.seed_number, self.id, self.street_ids)
        )
        self.progress(
            await seed_programme(
                self.session,
                self.seed_number,
                self.id,
                self.shop_ids,
                self.street_ids,
                accounts["consultant@demo.onestreet.tw"].id,
                accounts["consumer@demo.onestreet.tw"].id,
            )
        )
        return SeedSummary(
            streets=len(STREETS),
            shops=len(self.shop_ids),
            listings=self.listing_count,
            accounts=len(accounts),
        )

    async def _accounts(self) -> dict[str, Account]:
        self.progress(f"Creating {len(DEMO_LOGINS)} demo logins (passwords are hashed slowly)")
        service = AccountService(self.session)
        return {
            login.email: await service.create(
                email=login.email,
                password=DEMO_PASSWORD,
                role=login.role,
                display_name=login.display_name,
            )
            for login in DEMO_LOGINS
        }

    async def _street(self, seed: StreetSeed) -> int:
        year = seed.programme_year_joined + ROC_YEAR_OFFSET
        street = Street(
            id=self.id("street", seed.slug),
            slug=seed.slug,
            name={"zh-Hant-TW": seed.zh, "en": seed.en},
            description={"zh-Hant-TW": seed.about_zh, "en": seed.about_en},
            county=seed.county,
            township=seed.township,
            digital_level=seed.digital_level,
            is_remote=seed.is_remote,
            is_outlying_island=seed.is_outlying_island,
            is_indigenous_area=seed.is_indigenous_area,
            latitude=seed.latitude,
            longitude=seed.longitude,
            programme_year_joined=seed.programme_year_joined,
            created_at=datetime(year, 1, 2, 1, 0, tzinfo=UTC),
        )
        self.street_ids[seed.slug] = street.id
        # The models have no relationships, so the unit of work does not order inserts by
        # foreign key: parents are flushed before their children are added.
        self.streets.add(street)
        await self.shops.flush()
        listings: list[Listing] = []
        groups: list[OptionGroup] = []
        options: list[Option] = []
        for shop_seed in seed.shops:
            made = self._shop(street, seed, shop_seed, date(year, 1, 2))
            for index, listing in enumerate(made):
                enrich_listing(listing, index, shop_seed, seed)
                more_groups, more_options = option_groups(listing, index, shop_seed, self.id)
                groups += more_groups
                options += more_options
            listings += made
        await self.shops.flush()
        for listing in listings:
            self.listings.add(listing)
        await self.listings.flush()
        await self._catalog_depth(listings, groups, options)
        self.listing_count += len(listings)
        return len(seed.shops)

    async def _catalog_depth(
        self, listings: list[Listing], groups: list[OptionGroup], options: list[Option]
    ) -> None:
        for group in groups:
            self.listings.add(group)
        await self.listings.flush()
        for option in options:
            self.listings.add(option)
        if self.storage is not None:
            for listing in listings:
                self.listings.add(
                    await add_photo(listing, self.storage, self.id, listing.created_at)
                )
        await self.listings.flush()

    def _shop(
        self, street: Street, seed: StreetSeed, shop_seed: ShopSeed, opened: date
    ) -> list[Listing]:
        rng = self.rng
        joined_on = opened + timedelta(days=rng.randint(0, 300))
        created = datetime.combine(joined_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1)
        shop = Shop(
            id=self.id("shop", shop_seed.slug),
            street_id=street.id,
            slug=shop_seed.slug,
            name={"zh-Hant-TW": shop_seed.zh, "en": shop_seed.en},
            description={"zh-Hant-TW": shop_seed.about_zh, "en": shop_seed.about_en},
            category=shop_seed.category,
            address=shop_seed.address,
            latitude=round(seed.latitude + rng.uniform(-0.004, 0.004), 6),
            longitude=round(seed.longitude + rng.uniform(-0.004, 0.004), 6),
            phone=_phone(seed.phone_prefix, rng),
            status=ShopStatus.ACTIVE.value,
            joined_on=joined_on,
            created_at=created,
            updated_at=created,
        )
        self.shop_ids[shop_seed.slug] = shop.id
        self.shops.add(shop)
        return [
            Listing(
                id=self.id("listing", f"{shop_seed.slug}:{index}"),
                shop_id=shop.id,
                name={"zh-Hant-TW": item.zh, "en": item.en},
                description={},
                price_minor=item.price_twd * 100,
                currency="TWD",
                # Now and then something is sold out, as in any real shop.
                is_available=rng.random() > 0.1,
                created_at=created + timedelta(minutes=index),
            )
            for index, item in enumerate(shop_seed.listings)
        ]

    async def _people(self, accounts: dict[str, Account]) -> None:
        demo_shop = self.shop_ids[DEMO_SHOP_SLUG]
        # Fixed, like every other seeded timestamp, so two seeds compare equal.
        since = datetime(2018, 1, 2, 1, 0, tzinfo=UTC)
        for email, role in (
            ("owner@demo.onestreet.tw", MemberRole.OWNER),
            ("staff@demo.onestreet.tw", MemberRole.STAFF),
        ):
            self.shops.add(
                ShopMember(
                    id=self.id("member", email),
                    shop_id=demo_shop,
                    account_id=accounts[email].id,
                    role=role.value,
                    created_at=since,
                )
            )
        consultant = accounts["consultant@demo.onestreet.tw"].id
        self.shops.add(
            ConsultantAssignment(
                id=self.id("assignment", CONSULTANT_STREET_SLUG),
                account_id=consultant,
                street_id=self.street_ids[CONSULTANT_STREET_SLUG],
                created_at=since,
            )
        )
        for slug in CONSULTANT_SHOP_SLUGS:
            self.shops.add(
                ConsultantAssignment(
                    id=self.id("assignment", slug),
                    account_id=consultant,
                    shop_id=self.shop_ids[slug],
                    created_at=since,
                )
            )
        await self.shops.flush()
        self.progress("Assigned the demo owner, staff and consultant")


def _phone(prefix: str, rng: random.Random) -> str:
    """A local landline in the township's area code: nine digits including the area code."""
    missing = 9 - sum(ch.isdigit() for ch in prefix)
    return f"{prefix}{rng.randrange(10**missing):0{missing}d}"
