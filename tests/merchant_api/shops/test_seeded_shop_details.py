"""The demo data's opening hours, closures, payment methods, languages and hotspots.

The streets and shops are inserted from the seed data directly (the whole demo seed also makes
thousands of orders, which would make this test slow); the details come from the real
seed_shop_details the demo seed calls.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, datetime

from sqlalchemy import select

from infra.bootstrap.seed_data import DEMO_SHOP_SLUG, STREETS
from infra.bootstrap.seed_shop_details import seed_shop_details
from merchant_api.shops.hours import load_schedules
from merchant_api.shops.models import Shop, ShopPaymentMethod, ShopStaffLanguage
from merchant_api.shops.schedule import TAIPEI, status_at
from merchant_api.streets.models import Street


def _ids(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://demo.onestreet.tw/test/{kind}:{key}")


async def _streets_and_shops(session) -> None:  # type: ignore[no-untyped-def]
    street_ids, shop_ids = {}, {}
    for seed in STREETS:
        street_ids[seed.slug] = _ids("street", seed.slug)
        session.add(
            Street(
                id=street_ids[seed.slug],
                slug=seed.slug,
                name={"zh-Hant-TW": seed.zh},
                county=seed.county,
                township=seed.township,
                digital_level=seed.digital_level,
                latitude=seed.latitude,
                longitude=seed.longitude,
                programme_year_joined=seed.programme_year_joined,
            )
        )
    await session.flush()
    for seed in STREETS:
        for shop in seed.shops:
            shop_ids[shop.slug] = _ids("shop", shop.slug)
            session.add(
                Shop(
                    id=shop_ids[shop.slug],
                    street_id=street_ids[seed.slug],
                    slug=shop.slug,
                    name={"zh-Hant-TW": shop.zh},
                    category=shop.category,
                    address=shop.address,
                    status="active",
                    joined_on=date(2018, 3, 1),
                )
            )
    await session.flush()
    await seed_shop_details(session, 2017, _ids, shop_ids, street_ids)


# 2026-03-06 is a Friday.
FRIDAY_3AM = datetime(2026, 3, 6, 3, 0, tzinfo=TAIPEI)


def test_demo_shops_have_typical_hours_payment_methods_and_languages(db, client):
    async def seed_and_read(session):  # type: ignore[no-untyped-def]
        await _streets_and_shops(session)
        shops = {shop.id: shop.slug for shop in await session.scalars(select(Shop))}
        schedules = await load_schedules(session, list(shops))
        methods = Counter(await session.scalars(select(ShopPaymentMethod.method)))
        languages = Counter(await session.scalars(select(ShopStaffLanguage.language)))
        return shops, schedules, methods, languages

    shops, schedules, methods, languages = db(seed_and_read)
    assert len(shops) == 28 and all(schedule.weekly for schedule in schedules.values())
    assert methods["cash"] == 28
    assert methods["twqr"] > 14 and methods["line_pay"] > 14 and methods["points"] > 14
    assert 0 < methods["card"] < 28
    assert methods["vietqr"] + methods["promptpay"] + methods["qris"] > 0
    assert languages["vi"] + languages["id"] + languages["th"] > 0
    # Only the guesthouses are open at three in the morning.
    open_at_3am = {shops[i] for i, s in schedules.items() if status_at(s, FRIDAY_3AM).is_open}
    assert open_at_3am == {slug for slug in shops.values() if "homestay" in slug}

    slugs = {slug: shop_id for shop_id, slug in shops.items()}
    assert client.get(f"/api/shops/{slugs[DEMO_SHOP_SLUG]}").json()["accepts_points"] is True
    hours = client.get(
        f"/api/shops/{slugs['daren-alangyi-kitchen']}/hours",
        params={"at": "2026-03-06T12:00:00+08:00"},
    ).json()
    assert hours["now"]["is_open"] is True
    assert {(p["opens"], p["closes"]) for p in hours["weekly"]} == {
        ("11:00", "14:00"),
        ("17:00", "21:00"),
    }
    assert [c["kind"] for c in hours["closures"]] == ["holiday"]

    for street in client.get("/api/streets").json():
        hotspots = client.get(f"/api/streets/{street['id']}/hotspots").json()
        assert 2 <= len(hotspots) <= 3
        assert len({h["ssid"] for h in hotspots}) == len(hotspots)
