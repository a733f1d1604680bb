"""Demo shop details: opening hours typical of each category, a couple of closures, accepted
payment methods, staff languages, contacts, and two or three WiFi hotspots per street.

Deterministic: a random generator of its own (seeded from the seed number), so adding these
details does not shift the rest of the demo data.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from infra.bootstrap.seed_data import DEMO_SHOP_SLUG, STREETS
from infra.bootstrap.seed_data.types import ShopSeed, StreetSeed
from merchant_api.shops.hours_models import OpeningPeriod, ShopClosure
from merchant_api.shops.models import ShopPaymentMethod, ShopStaffLanguage
from merchant_api.streets.models import StreetHotspot

Ids = Callable[[str, str], uuid.UUID]
ROC_YEAR_OFFSET = 1911
EVERY_DAY = range(7)
H = 60  # minutes per hour

# (weekdays, opens, closes) in minutes; weekday 0 is Monday.
RESTAURANT = [(range(1, 7), 11 * H, 14 * H), (range(1, 7), 17 * H, 21 * H)]  # closed Mondays
CAFE = [(EVERY_DAY, 9 * H, 18 * H)]
CRAFT = [((0, 1, 3, 4, 5, 6), 10 * H, 17 * H)]  # closed Wednesdays
FARM = [(EVERY_DAY, 8 * H, 17 * H)]
GUESTHOUSE = [(EVERY_DAY, 0, 24 * H)]
GUIDES = [(EVERY_DAY, 7 * H, 18 * H)]
STORE = [(EVERY_DAY, 7 * H, 22 * H)]
LATE_KITCHEN = [(range(1, 5), 11 * H, 14 * H), ((4, 5), 17 * H, 1 * H)]  # Fri/Sat past midnight

HOTSPOTS = (
    ("鄉公所前", "Township office", "鄉公所廣場", "Township office square"),
    ("遊客中心", "Visitor centre", "遊客中心大廳", "Visitor centre lobby"),
    ("市場口", "Market entrance", "傳統市場入口", "Traditional market entrance"),
)
# Who lives where: the indigenous language spoken on each street, if any.
LOCAL_LANGUAGES = {"taitung-daren": "pwn", "chiayi-alishan": "tsu"}


def hours_for(shop: ShopSeed) -> list[tuple[object, int, int]]:
    if "homestay" in shop.slug:
        return GUESTHOUSE
    if "harbour-kitchen" in shop.slug:
        return LATE_KITCHEN
    if shop.category == "food_and_drink":
        return CAFE if "coffee" in shop.slug or "cafe" in shop.slug else RESTAURANT
    return {
        "handicrafts": CRAFT,
        "agriculture_produce": FARM,
        "tourism": GUIDES,
        "retail": STORE,
    }[shop.category]


def payment_methods(rng: random.Random, shop: ShopSeed) -> list[str]:
    methods = ["cash"]
    if rng.random() < 0.85:
        methods += ["twqr", "line_pay"]
    if rng.random() < 0.4 or shop.category == "tourism":
        methods += ["card", "apple_google_pay"]
    if rng.random() < 0.3:
        methods.append("jkopay")
    if rng.random() < 0.15:
        methods += rng.sample(["vietqr", "promptpay", "qris"], k=rng.randint(1, 3))
    if rng.random() < 0.8 or shop.slug == DEMO_SHOP_SLUG:
        methods.append("points")
    return methods


def staff_languages(rng: random.Random, street: StreetSeed) -> list[str]:
    languages = ["zh-Hant-TW"]
    if rng.random() < 0.7:
        languages.append("nan")
    if rng.random() < 0.1:
        languages.append("hak")
    if rng.random() < 0.3:
        languages.append("en")
    local = LOCAL_LANGUAGES.get(street.slug)
    if local and rng.random() < 0.6:
        languages.append(local)
    # New immigrants often work in the shops of their families by marriage.
    if rng.random() < 0.2:
        languages.append(rng.choice(["vi", "id", "th"]))
    return languages


def closures(ids: Ids, shop_ids: dict[str, uuid.UUID]) -> list[ShopClosure]:
    made = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    return [
        ShopClosure(
            id=ids("closure", "daren-alangyi-kitchen:new-year"),
            shop_id=shop_ids["daren-alangyi-kitchen"],
            starts_on=date(2027, 2, 5),
            ends_on=date(2027, 2, 9),
            kind="holiday",
            reason={"zh-Hant-TW": "農曆春節休息", "en": "Closed for Lunar New Year"},
            created_at=made,
        ),
        ShopClosure(
            id=ids("closure", "wangan-turtle-tours:season"),
            shop_id=shop_ids["wangan-turtle-tours"],
            starts_on=date(2026, 11, 1),
            ends_on=date(2027, 3, 31),
            kind="temporary",
            reason={
                "zh-Hant-TW": "東北季風季節，船班停駛",
                "en": "No boats in the north-east monsoon season",
            },
            created_at=made,
        ),
    ]


async def seed_shop_details(
    session: AsyncSession,
    seed_number: int,
    ids: Ids,
    shop_ids: dict[str, uuid.UUID],
    street_ids: dict[str, uuid.UUID],
) -> None:
    rng = random.Random(f"{seed_number}:shop-details")
    rows: list[object] = []
    for street in STREETS:
        for shop in street.shops:
            shop_id = shop_ids[shop.slug]
            for days, opens, closes in hours_for(shop):
                rows += [
                    OpeningPeriod(
                        id=ids("opening", f"{shop.slug}:{day}:{opens}"),
                        shop_id=shop_id,
                        weekday=day,
                        opens_minute=opens,
                        closes_minute=closes,
                    )
                    for day in days  # type: ignore[attr-defined]
                ]
            rows += [
                ShopPaymentMethod(shop_id=shop_id, method=m) for m in payment_methods(rng, shop)
            ]
            rows += [
                ShopStaffLanguage(shop_id=shop_id, language=language)
                for language in staff_languages(rng, street)
            ]
        rows += _hotspots(rng, ids, street, street_ids[street.slug])
    rows += closures(ids, shop_ids)
    session.add_all(rows)
    await session.flush()


def _hotspots(
    rng: random.Random, ids: Ids, street: StreetSeed, street_id: uuid.UUID
) -> list[StreetHotspot]:
    year = street.programme_year_joined + ROC_YEAR_OFFSET
    count = 2 + rng.randint(0, 1)
    place = street.slug.split("-", 1)[1].title()
    return [
        StreetHotspot(
            id=ids("hotspot", f"{street.slug}:{index}"),
            street_id=street_id,
            name={"zh-Hant-TW": zh, "en": en},
            ssid=f"OneStreet-{place}-{index + 1}",
            location={"zh-Hant-TW": where_zh, "en": where_en},
            latitude=round(street.latitude + rng.uniform(-0.002, 0.002), 6),
            longitude=round(street.longitude + rng.uniform(-0.002, 0.002), 6),
            installed_on=date(year, 4 + index, 1),
            # Now and then a hotspot is down, which the devices issue will alert on.
            status="faulty" if rng.random() < 0.15 else "active",
            created_at=datetime(year, 4 + index, 1, 2, 0, tzinfo=UTC),
            updated_at=datetime(year, 4 + index, 1, 2, 0, tzinfo=UTC),
        )
        for index, (zh, en, where_zh, where_en) in enumerate(HOTSPOTS[:count])
    ]
