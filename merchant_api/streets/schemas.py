"""What the streets API answers with."""

from __future__ import annotations

import uuid

import msgspec

from merchant_api.i18n import pick
from merchant_api.shops.models import Shop
from merchant_api.streets.models import Street


class StreetSummary(msgspec.Struct):
    id: uuid.UUID
    slug: str
    name: str
    county: str
    township: str
    digital_level: int
    is_remote: bool
    is_outlying_island: bool
    is_indigenous_area: bool
    latitude: float
    longitude: float
    programme_year_joined: int
    shop_count: int


class StreetShop(msgspec.Struct):
    id: uuid.UUID
    slug: str
    name: str
    category: str
    status: str
    address: str


class StreetDetail(StreetSummary):
    description: str
    language: str
    shops: list[StreetShop]


def street_summary(street: Street, shop_count: int, language: str) -> StreetSummary:
    return StreetSummary(**_street_fields(street, language), shop_count=shop_count)


def street_detail(street: Street, shops: list[Shop], language: str) -> StreetDetail:
    return StreetDetail(
        **_street_fields(street, language),
        shop_count=len(shops),
        description=pick(street.description, language),
        language=language,
        shops=[
            StreetShop(
                id=shop.id,
                slug=shop.slug,
                name=pick(shop.name, language),
                category=shop.category,
                status=shop.status,
                address=shop.address,
            )
            for shop in shops
        ],
    )


def _street_fields(street: Street, language: str) -> dict[str, object]:
    return {
        "id": street.id,
        "slug": street.slug,
        "name": pick(street.name, language),
        "county": street.county,
        "township": street.township,
        "digital_level": street.digital_level,
        "is_remote": street.is_remote,
        "is_outlying_island": street.is_outlying_island,
        "is_indigenous_area": street.is_indigenous_area,
        "latitude": street.latitude,
        "longitude": street.longitude,
        "programme_year_joined": street.programme_year_joined,
    }
