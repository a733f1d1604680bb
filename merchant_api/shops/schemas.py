"""Shop requests and answers."""

from __future__ import annotations

import uuid
from datetime import date

import msgspec

from merchant_api.catalog.schemas import ListingOut, listing_out
from merchant_api.i18n import pick
from merchant_api.shops.hours_schemas import OpeningNow, opening_now
from merchant_api.shops.profile import ShopProfile
from merchant_api.shops.vocabulary import PaymentMethod


class ShopUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Only what a shop may change itself; omitted fields stay as they are.

    `description` replaces the texts of the languages given; an empty text removes one.
    `phone: null` clears the phone number.
    """

    phone: str | msgspec.UnsetType | None = msgspec.UNSET
    description: dict[str, str] | msgspec.UnsetType = msgspec.UNSET
    contact_email: str | msgspec.UnsetType | None = msgspec.UNSET
    line_id: str | msgspec.UnsetType | None = msgspec.UNSET
    website: str | msgspec.UnsetType | None = msgspec.UNSET
    # Replace the whole list: values from merchant_api.shops.vocabulary.
    payment_methods: list[str] | msgspec.UnsetType = msgspec.UNSET
    staff_languages: list[str] | msgspec.UnsetType = msgspec.UNSET


class ShopContact(msgspec.Struct):
    phone: str | None
    email: str | None
    line_id: str | None
    website: str | None


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
    contact: ShopContact
    payment_methods: list[str]
    accepts_points: bool
    staff_languages: list[str]
    # Open now, or when it opens next (Asia/Taipei), and any closure announced for today.
    opening: OpeningNow
    # Average stars (1-5, two decimals) over its reviews; None until the first review.
    rating: float | None = None
    rating_count: int = 0


class MemberOut(msgspec.Struct):
    account_id: uuid.UUID
    display_name: str
    email: str
    role: str


class ShopMembers(msgspec.Struct):
    shop_id: uuid.UUID
    members: list[MemberOut]
    consultants: list[MemberOut]


def shop_detail(profile: ShopProfile, language: str) -> ShopDetail:
    shop = profile.shop
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
        listings=[
            listing_out(
                listing, language, rating=(profile.listing_ratings or {}).get(listing.id, (None, 0))
            )
            for listing in profile.listings
        ],
        rating=profile.rating[0],
        rating_count=profile.rating[1],
        contact=ShopContact(
            phone=shop.phone, email=shop.contact_email, line_id=shop.line_id, website=shop.website
        ),
        payment_methods=profile.payment_methods,
        accepts_points=PaymentMethod.POINTS.value in profile.payment_methods,
        staff_languages=profile.staff_languages,
        opening=opening_now(profile.opening, language),
    )
