"""A small searchable programme: two streets, four shops (one suspended), their listings.

Street 達仁 (臺東縣): 土坂部落小米工坊 (takes points, open around the clock), 達仁咖啡
(opens one hour on another weekday, so closed now), 小米停業店 (suspended).
Street 望安 (澎湖縣): 望安花生糖 (no published hours, closed today).
The search cache is off unless a test turns it on.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from infra.db import utcnow
from infra.settings import SearchSettings, Settings
from merchant_api.catalog.models import Listing
from merchant_api.shops.hours_models import OpeningPeriod, ShopClosure
from merchant_api.shops.models import Shop, ShopPaymentMethod
from merchant_api.shops.schedule import TAIPEI
from merchant_api.streets.models import Street

BASE_TIME = datetime(2026, 1, 1, tzinfo=TAIPEI)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"search": SearchSettings(cache_seconds=0)})


@dataclass
class Catalogue:
    daren: uuid.UUID
    wangan: uuid.UUID
    millet_shop: uuid.UUID
    coffee_shop: uuid.UUID
    peanut_shop: uuid.UUID
    suspended_shop: uuid.UUID
    listings: dict[str, uuid.UUID]


def street(slug: str, county: str, township: str, en: str) -> Street:
    return Street(
        slug=slug,
        name={"zh-Hant-TW": f"{township}一條街", "en": f"{en} Street"},
        description={},
        county=county,
        township=township,
        digital_level=5,
        latitude=23.0,
        longitude=121.0,
        programme_year_joined=107,
    )


def shop(on: Street, slug: str, name: dict[str, str], category: str, **extra: object) -> Shop:
    return Shop(
        street_id=on.id,
        slug=slug,
        name=name,
        description=extra.pop("description", {}),
        category=category,
        address="測試地址 1 號",
        status=extra.pop("status", "active"),
        joined_on=date(2018, 3, 1),
        created_at=extra.pop("created_at"),
    )


def listing(at: Shop, zh: str, en: str, price: int, minutes: int, **extra: object) -> Listing:
    return Listing(
        shop_id=at.id,
        name={"zh-Hant-TW": zh, "en": en},
        description=extra.pop("description", {}),
        price_minor=price,
        tags=extra.pop("tags", []),
        created_at=BASE_TIME + timedelta(minutes=minutes),
        **extra,
    )


@pytest.fixture
def catalogue(db) -> Catalogue:  # type: ignore[no-untyped-def]
    async def build(session) -> Catalogue:  # type: ignore[no-untyped-def]
        daren = street("daren", "臺東縣", "達仁鄉", "Daren")
        wangan = street("wangan", "澎湖縣", "望安鄉", "Wang-an")
        session.add_all([daren, wangan])
        await session.flush()
        millet = shop(
            daren,
            "tuban-millet",
            {"zh-Hant-TW": "土坂部落小米工坊", "en": "Tuban Millet Workshop"},
            "agriculture_produce",
            description={"zh-Hant-TW": "排灣族小米酒與麻糬"},
            created_at=BASE_TIME,
        )
        coffee = shop(
            daren,
            "daren-coffee",
            {"zh-Hant-TW": "達仁咖啡", "en": "Daren Coffee"},
            "food_and_drink",
            description={"en": "Coffee and millet cakes by the river"},
            created_at=BASE_TIME + timedelta(days=2),
        )
        suspended = shop(
            daren,
            "closed-millet",
            {"zh-Hant-TW": "小米停業店", "en": "Millet Suspended"},
            "agriculture_produce",
            status="suspended",
            created_at=BASE_TIME + timedelta(days=3),
        )
        peanut = shop(
            wangan,
            "wangan-peanut",
            {"zh-Hant-TW": "望安花生糖", "en": "Wang-an Peanut Candy"},
            "retail",
            created_at=BASE_TIME + timedelta(days=1),
        )
        session.add_all([millet, coffee, suspended, peanut])
        await session.flush()
        today = utcnow().astimezone(TAIPEI).date()
        other_day = (today.weekday() + 3) % 7
        session.add_all(
            [
                ShopPaymentMethod(shop_id=millet.id, method="points"),
                ShopPaymentMethod(shop_id=millet.id, method="cash"),
                ShopPaymentMethod(shop_id=peanut.id, method="cash"),
                *[
                    OpeningPeriod(
                        shop_id=millet.id, weekday=day, opens_minute=0, closes_minute=1440
                    )
                    for day in range(7)
                ],
                OpeningPeriod(
                    shop_id=coffee.id, weekday=other_day, opens_minute=600, closes_minute=660
                ),
                ShopClosure(
                    shop_id=peanut.id,
                    starts_on=today - timedelta(days=1),
                    ends_on=today + timedelta(days=1),
                    kind="temporary",
                ),
            ]
        )
        items = {
            "wine": listing(
                millet, "小米酒", "Millet Wine", 35000, 1, tags=["indigenous", "local_produce"]
            ),
            "mochi": listing(millet, "小米麻糬", "Millet Mochi", 8000, 2, tags=["vegetarian"]),
            "porridge": listing(millet, "小米粥", "Millet Porridge", 6000, 3, deleted_at=utcnow()),
            "hidden": listing(millet, "小米糕", "Millet Cake", 7000, 4, is_available=False),
            "latte": listing(
                coffee,
                "拿鐵",
                "Latte",
                12000,
                5,
                description={"zh-Hant-TW": "加小米奶泡"},
                tags=["vegetarian"],
            ),
            "candy": listing(
                peanut, "花生糖", "Peanut Candy", 15000, 6, tags=["vegan", "vegetarian"]
            ),
            "cookie": listing(suspended, "小米餅", "Millet Cookie", 5000, 7),
        }
        session.add_all(items.values())
        await session.flush()
        return Catalogue(
            daren=daren.id,
            wangan=wangan.id,
            millet_shop=millet.id,
            coffee_shop=coffee.id,
            peanut_shop=peanut.id,
            suspended_shop=suspended.id,
            listings={key: item.id for key, item in items.items()},
        )

    return db(build)
