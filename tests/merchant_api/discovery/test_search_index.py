"""The search documents follow edits, the cache answers repeats, and "open now" in SQL agrees
with the opening-hours evaluator of merchant_api.shops."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from infra.settings import SearchSettings
from merchant_api.catalog.models import Listing
from merchant_api.discovery.params import SearchParams
from merchant_api.discovery.service import DiscoveryService
from merchant_api.shops.hours import is_open
from merchant_api.shops.hours_models import OpeningPeriod, ShopClosure, SpecialOpening
from merchant_api.shops.models import Shop
from merchant_api.shops.schedule import TAIPEI
from tests.merchant_api.discovery.conftest import shop
from tests.merchant_api.discovery.support import names


def test_renamed_listing_is_found_by_its_new_name_only(client, catalogue, db):
    async def rename(session):  # type: ignore[no-untyped-def]
        wine = await session.get(Listing, catalogue.listings["wine"])
        wine.name = {"zh-Hant-TW": "小米露", "en": "Millet Dew"}

    db(rename)
    assert names(client, "listings", q="小米露") == ["小米露"]
    assert names(client, "listings", q="小米酒") == []
    assert names(client, "listings", q="wine") == []


def test_soft_deleting_a_listing_hides_it(client, catalogue, db):
    from infra.db import utcnow

    async def delete(session):  # type: ignore[no-untyped-def]
        (await session.get(Listing, catalogue.listings["mochi"])).deleted_at = utcnow()

    db(delete)
    assert names(client, "listings", q="麻糬") == []


def test_suspending_a_shop_hides_it_and_its_listings(client, catalogue, db):
    async def suspend(session):  # type: ignore[no-untyped-def]
        (await session.get(Shop, catalogue.peanut_shop)).status = "suspended"

    db(suspend)
    assert names(client, "shops", q="花生") == []
    assert names(client, "listings", q="花生") == []


def test_renaming_a_street_reindexes_its_shops(client, catalogue, db):
    from merchant_api.streets.models import Street

    async def rename(session):  # type: ignore[no-untyped-def]
        street = await session.get(Street, catalogue.wangan)
        street.name = {"zh-Hant-TW": "七美一條街", "en": "Qimei Street"}

    db(rename)
    assert names(client, "shops", q="qimei") == ["望安花生糖"]
    assert names(client, "shops", q="Wang-an Street") == []


@pytest.fixture
def cached_settings(settings):  # type: ignore[no-untyped-def]
    return settings.model_copy(update={"search": SearchSettings(cache_seconds=60)})


def test_repeated_search_is_answered_from_the_cache_until_it_expires(
    cached_settings, catalogue, db
):
    from litestar.testing import TestClient

    from infra.bootstrap.asgi import create_app

    with TestClient(app=create_app(cached_settings)) as client:
        assert names(client, "listings", q="花生") == ["花生糖"]

        async def rename(session):  # type: ignore[no-untyped-def]
            (await session.get(Listing, catalogue.listings["candy"])).name = {
                "zh-Hant-TW": "花生酥"
            }

        db(rename)
        # Same query: the cached answer (Redis on PostgreSQL runs, in-process on SQLite).
        assert names(client, "listings", q="花生") == ["花生糖"]
        # Another query is not cached yet and sees the new name.
        assert names(client, "listings", q="花生", limit=5) == ["花生酥"]


def test_open_now_in_sql_agrees_with_the_schedule_evaluator(db):
    """Weekly, overnight, special-day and closure rules, checked every 50 minutes for 3 days."""
    from tests.merchant_api.discovery.conftest import street

    monday = date(2026, 3, 2)

    async def check(session):  # type: ignore[no-untyped-def]
        on = street("hours", "臺東縣", "達仁鄉", "Hours")
        session.add(on)
        await session.flush()
        shops = [
            shop(
                on,
                f"hours-{i}",
                {"zh-Hant-TW": f"營業{i}"},
                "retail",
                created_at=datetime.now(TAIPEI),
            )
            for i in range(5)
        ]
        session.add_all(shops)
        await session.flush()
        lunch, night, special, closed, no_hours = (s.id for s in shops)
        session.add_all(
            [
                OpeningPeriod(shop_id=lunch, weekday=0, opens_minute=660, closes_minute=840),
                OpeningPeriod(shop_id=lunch, weekday=1, opens_minute=660, closes_minute=1440),
                OpeningPeriod(shop_id=night, weekday=0, opens_minute=1080, closes_minute=120),
                OpeningPeriod(shop_id=night, weekday=1, opens_minute=1200, closes_minute=60),
                OpeningPeriod(shop_id=special, weekday=1, opens_minute=540, closes_minute=1020),
                SpecialOpening(
                    shop_id=special,
                    on_date=monday + timedelta(days=1),
                    opens_minute=1320,
                    closes_minute=180,
                ),
                OpeningPeriod(shop_id=closed, weekday=2, opens_minute=0, closes_minute=1440),
                ShopClosure(
                    shop_id=closed,
                    starts_on=monday + timedelta(days=1),
                    ends_on=monday + timedelta(days=1),
                    kind="holiday",
                ),
                ShopClosure(shop_id=no_hours, starts_on=monday, ends_on=monday, kind="temporary"),
            ]
        )
        await session.flush()
        service = DiscoveryService(session)
        start = datetime(2026, 3, 2, 0, 10, tzinfo=TAIPEI)
        opened: dict[object, int] = {}
        for step in range(0, 3 * 24 * 60, 50):
            at = start + timedelta(minutes=step)
            page = await service.shops(
                SearchParams(open_now=True, street="hours", limit=10), now=at
            )
            found = {item.id for item in page.items}
            expected = {s.id for s in shops if await is_open(session, s.id, at)}
            assert found == expected, f"at {at.isoformat()}"
            for shop_id in found:
                opened[shop_id] = opened.get(shop_id, 0) + 1
        # Every shop was seen both open and closed, so the comparison covered both answers.
        assert set(opened) == {s.id for s in shops}
        assert all(count < 3 * 24 * 60 // 50 + 1 for count in opened.values())

    db(check)
