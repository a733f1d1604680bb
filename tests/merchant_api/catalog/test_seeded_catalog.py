"""The demo catalogue has options, counted stock, tags and photos that price and serve.

Only the streets, shops and listings part of the seeder runs here (the full seed, with its
orders, is covered by tests/test_seed_and_demo.py), which keeps this test fast.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from infra.bootstrap.seed import _Seeder
from infra.bootstrap.seed_data import STREETS
from infra.storage import media_storage
from merchant_api.catalog.models import Channel, Listing, ListingPhoto, Option, OptionGroup
from merchant_api.catalog.pricing import LineRequest, price_lines
from merchant_api.shops.models import Shop


def test_seeded_food_shops_have_options_stock_tags_and_photos(db, settings, client):
    storage = media_storage(settings.app.data_dir)

    async def seed_streets(session):  # type: ignore[no-untyped-def]
        seeder = _Seeder(session, 2017, lambda _: None, storage)
        for street in STREETS:
            await seeder._street(street)

    db(seed_streets)

    async def facts(session):  # type: ignore[no-untyped-def]
        listings = list(await session.scalars(select(Listing)))
        groups = list(await session.scalars(select(OptionGroup)))
        options = list(await session.scalars(select(Option)))
        photos = list(await session.scalars(select(ListingPhoto)))
        food = set(await session.scalars(select(Shop.id).where(Shop.category == "food_and_drink")))
        return listings, groups, options, photos, food

    listings, groups, options, photos, food_shops = db(facts)
    by_id = {listing.id: listing for listing in listings}
    assert {"Size", "Spice level", "Add-ons"} <= {group.name["en"] for group in groups}
    assert {by_id[group.listing_id].shop_id for group in groups} == food_shops
    assert sum(listing.stock is not None for listing in listings) >= 10
    assert {"local_produce", "indigenous", "vegetarian"} <= {t for x in listings for t in x.tags}
    assert len(photos) == len(listings)

    # A seeded dish with a required size prices with the first choice of each required group.
    group = next(g for g in groups if g.name["en"] == "Size" and by_id[g.listing_id].is_available)
    dish = by_id[group.listing_id]
    choose = [
        next(o.id for o in options if o.group_id == g.id)
        for g in groups
        if g.listing_id == dish.id and g.required
    ]
    monday_noon_taipei = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)

    async def price(session):  # type: ignore[no-untyped-def]
        lines = [LineRequest(dish.id, 1, tuple(choose))]
        return await price_lines(session, dish.shop_id, lines, Channel.counter, monday_noon_taipei)

    (line,) = db(price)
    assert line.unit_price_minor == dish.price_minor - 1000  # "small" is NT$10 off

    # The generated card is served like an uploaded photo.
    served = client.get(f"/media/listing-photos/{photos[0].id}/160.webp")
    assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
    menu = client.get(f"/api/shops/{dish.shop_id}/menu?channel=counter&lang=en")
    assert menu.status_code == 200 and menu.json()["sections"]
