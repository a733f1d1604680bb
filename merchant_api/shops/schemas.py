"""Shop requests and answers."""

from __future__ import annotations

import uuid
from datetime import date

import msgspec

from merchant_api.catalog.models import Listing
from merchant_api.catalog.schemas import ListingOut, listing_out
from merchant_api.i18n import pick
from merchant_api.shops.models import Shop


class ShopUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Only what a shop may change itself; omitted fields stay as they are.

    `description` replaces the texts of the languages given; an empty text removes one.
    `phone: null` clears the phone number.
    """

    phone: str | msgspec.UnsetType | None = msgspec.UNSET
    description: dict[str, str] | msgspec.UnsetType = msgspec.UNSET


class ShopDetail(msgspec.Struct):
    id: uuid.UUID
    street_id: uuid.UUID
    slug: str
    name: str
    description: str
    category: str
    address: str
    latitude: float | None
    longitude: float | None
    phone: str | None
    status: str
    joined_on: date
    language: str
    listings: list[ListingOut]


class MemberOut(msgspec.Struct):
    account_id: uuid.UUID
    display_name: str
    email: str
    role: str


class ShopMembers(msgspec.Struct):
    shop_id: uuid.UUID
    members: list[MemberOut]
    consultants: list[MemberOut]


def shop_detail(shop: Shop, listings: list[Listing], language: str) -> ShopDetail:
    return ShopDetail(
        id=shop.id,
        street_id=shop.street_id,
        slug=shop.slug,
        name=pick(shop.name, language),
        description=pick(shop.description, language),
        category=shop.category,
        address=shop.address,
        latitude=shop.latitude,
        longitude=shop.longitude,
        phone=shop.phone,
        status=shop.status,
        joined_on=shop.joined_on,
        language=language,
        listings=[listing_out(listing, language) for listing in listings],
    )
