"""Search answers: one page of hits and the cursor of the next page."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from merchant_api.catalog.models import Listing
from merchant_api.discovery.rating_repository import NO_RATING, Rating
from merchant_api.i18n import pick
from merchant_api.shops.models import Shop
from merchant_api.streets.models import Street


class StreetRef(msgspec.Struct):
    id: uuid.UUID
    slug: str
    name: str
    county: str


class ShopHit(msgspec.Struct):
    id: uuid.UUID
    slug: str
    name: str
    description: str
    category: str
    street: StreetRef
    created_at: datetime
    # The average of the shop's reviews (1-5, two decimals; null before the first) and count.
    rating: float | None = None
    rating_count: int = 0


class ShopRef(msgspec.Struct):
    id: uuid.UUID
    slug: str
    name: str


class ListingHit(msgspec.Struct):
    id: uuid.UUID
    name: str
    description: str
    price_minor: int
    currency: str
    tags: list[str]
    shop: ShopRef
    created_at: datetime
    # Reviews of orders that contained this listing: average (null before the first), count.
    rating: float | None = None
    rating_count: int = 0


class ShopPage(msgspec.Struct):
    """`next_cursor` is null on the last page; pass it back as `cursor` for the next one."""

    items: list[ShopHit]
    next_cursor: str | None
    language: str


class ListingPage(msgspec.Struct):
    items: list[ListingHit]
    next_cursor: str | None
    language: str


def shop_hit(shop: Shop, street: Street, language: str, rating: Rating = NO_RATING) -> ShopHit:
    return ShopHit(
        id=shop.id,
        slug=shop.slug,
        name=pick(shop.name, language),
        description=pick(shop.description, language),
        category=shop.category,
        street=StreetRef(
            id=street.id, slug=street.slug, name=pick(street.name, language), county=street.county
        ),
        created_at=shop.created_at,
        rating=rating[0],
        rating_count=rating[1],
    )


def listing_hit(
    listing: Listing, shop: Shop, language: str, rating: Rating = NO_RATING
) -> ListingHit:
    return ListingHit(
        id=listing.id,
        name=pick(listing.name, language),
        description=pick(listing.description, language),
        price_minor=listing.price_minor,
        currency=listing.currency,
        tags=list(listing.tags or []),
        shop=ShopRef(id=shop.id, slug=shop.slug, name=pick(shop.name, language)),
        created_at=listing.created_at,
        rating=rating[0],
        rating_count=rating[1],
    )
