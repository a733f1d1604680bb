"""Catalogue fixtures: a noodle shop's listing with a required size and optional add-ons.

Built straight through the ORM (fast); the API tests create their own through HTTP.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from merchant_api.catalog.models import Listing, Option, OptionGroup


@dataclass
class Noodles:
    listing: uuid.UUID
    size_group: uuid.UUID
    small: uuid.UUID
    large: uuid.UUID
    addon_group: uuid.UUID
    egg: uuid.UUID
    tofu: uuid.UUID
    pork: uuid.UUID
    sold_out_addon: uuid.UUID
    plain: uuid.UUID  # a listing with no options and counted stock (3)
    other_shop_listing: uuid.UUID


@pytest.fixture
def noodles(db, world) -> Noodles:  # type: ignore[no-untyped-def]
    async def build(session):  # type: ignore[no-untyped-def]
        listing = Listing(
            shop_id=world.shop_a,
            name={"zh-Hant-TW": "牛肉麵", "en": "Beef noodles"},
            price_minor=12000,
        )
        plain = Listing(
            shop_id=world.shop_a, name={"zh-Hant-TW": "滷蛋"}, price_minor=1500, stock=3
        )
        other = Listing(shop_id=world.shop_b, name={"zh-Hant-TW": "烏龍茶"}, price_minor=5000)
        session.add_all([listing, plain, other])
        await session.flush()
        size = OptionGroup(
            listing_id=listing.id,
            name={"zh-Hant-TW": "份量", "en": "Size"},
            required=True,
            min_choices=1,
            max_choices=1,
            position=0,
        )
        addons = OptionGroup(
            listing_id=listing.id,
            name={"zh-Hant-TW": "加料", "en": "Add-ons"},
            required=False,
            min_choices=0,
            max_choices=2,
            position=1,
        )
        session.add_all([size, addons])
        await session.flush()

        def option(group: OptionGroup, zh: str, delta: int, position: int, **kw: Any) -> Option:
            return Option(
                group_id=group.id,
                name={"zh-Hant-TW": zh},
                price_delta_minor=delta,
                position=position,
                **kw,
            )

        small = option(size, "小碗", -2000, 0)
        large = option(size, "大碗", 3000, 1)
        egg = option(addons, "加蛋", 1000, 0)
        tofu = option(addons, "加豆腐", 1500, 1)
        pork = option(addons, "加肉", 4000, 2)
        gone = option(addons, "加酸菜", 500, 3, is_available=False)
        session.add_all([small, large, egg, tofu, pork, gone])
        await session.flush()
        return Noodles(
            listing.id,
            size.id,
            small.id,
            large.id,
            addons.id,
            egg.id,
            tofu.id,
            pork.id,
            gone.id,
            plain.id,
            other.id,
        )

    return db(build)


def count_rows(db, model) -> int:  # type: ignore[no-untyped-def]
    async def count(session):  # type: ignore[no-untyped-def]
        return await session.scalar(select(func.count()).select_from(model))

    return db(count)


def problem_keys(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [problem["key"] for problem in response.json()["error"]["details"]["problems"]]
