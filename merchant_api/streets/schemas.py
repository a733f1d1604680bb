"""What the streets API answers with."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from merchant_api.i18n import pick
from merchant_api.shops.models import Shop
from merchant_api.shops.schedule import OpenStatus
from merchant_api.streets.hotspot_schemas import HotspotOut, hotspot_out
from merchant_api.streets.models import Street, StreetHotspot


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
    # Open now, or when it opens next (Asia/Taipei).
    is_open: bool
    next_opens_at: datetime | None


class StreetUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Texts per language; the languages given replace theirs, an empty text removes one."""

    name: dict[str, str] | msgspec.UnsetType = msgspec.UNSET
    description: dict[str, str] | msgspec.UnsetType = msgspec.UNSET


class StreetDetail(StreetSummary):
    description: str
    language: str
    shops: list[StreetShop]
    hotspots: list[HotspotOut]


def street_summary(street: Street, shop_count: int, language: str) -> StreetSummary:
    return StreetSummary(**_street_fields(street, language), shop_count=shop_count)


def street_detail(
    street: Street,
    shops: list[Shop],
    openings: dict[uuid.UUID, OpenStatus],
    hotspots: list[StreetHotspot],
    language: str,
) -> StreetDetail:
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
                is_open=openings[shop.id].is_open,
                next_opens_at=openings[shop.id].next_opens_at,
            )
            for shop in shops
        ],
        hotspots=[hotspot_out(hotspot, language) for hotspot in hotspots],
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
