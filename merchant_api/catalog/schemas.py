"""Catalogue requests and answers. Prices are integers in minor units (NT$120 = 12000).

Write bodies are decoded strictly (see merchant_api.strict_body), so "120" or 12.5 never
become a price, unknown fields are refused, and channels and tags must come from their lists.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from merchant_api.catalog.models import (
    ALL_CHANNELS,
    MAX_PRICE_MINOR,
    Channel,
    Listing,
    ListingCategory,
    ListingPhoto,
    Option,
    OptionGroup,
    Tag,
)
from merchant_api.i18n import pick

Price = Annotated[int, msgspec.Meta(ge=0, le=MAX_PRICE_MINOR)]
PriceDelta = Annotated[int, msgspec.Meta(ge=-MAX_PRICE_MINOR, le=MAX_PRICE_MINOR)]
Stock = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
Position = Annotated[int, msgspec.Meta(ge=0, le=10_000)]
Choices = Annotated[int, msgspec.Meta(ge=0, le=50)]
PHOTO_WIDTHS = (160, 480, 960)


class TimeWindow(msgspec.Struct, forbid_unknown_fields=True):
    weekday: Annotated[int, msgspec.Meta(ge=0, le=6)]  # Monday 0, as in Python
    start: str  # "HH:MM", Asia/Taipei
    end: str


class ListingCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: dict[str, str]
    price_minor: Price
    description: dict[str, str] = msgspec.field(default_factory=dict)
    currency: str = "TWD"
    is_available: bool = True
    category_id: uuid.UUID | None = None
    stock: Stock | None = None
    sold_out: bool = False
    channels: list[Channel] = msgspec.field(default_factory=lambda: list(Channel))
    time_windows: list[TimeWindow] = msgspec.field(default_factory=list)
    tags: list[Tag] = msgspec.field(default_factory=list)
    position: Position = 0


class ListingUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change; `stock: null` stops counting stock."""

    name: dict[str, str] | UnsetType = UNSET
    price_minor: Price | UnsetType = UNSET
    description: dict[str, str] | UnsetType = UNSET
    is_available: bool | UnsetType = UNSET
    category_id: uuid.UUID | UnsetType | None = UNSET
    stock: Stock | UnsetType | None = UNSET
    sold_out: bool | UnsetType = UNSET
    channels: list[Channel] | UnsetType = UNSET
    time_windows: list[TimeWindow] | UnsetType = UNSET
    tags: list[Tag] | UnsetType = UNSET
    position: Position | UnsetType = UNSET


class CategoryIn(msgspec.Struct, forbid_unknown_fields=True):
    name: dict[str, str]
    position: Position = 0


class CategoryUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: dict[str, str] | UnsetType = UNSET
    position: Position | UnsetType = UNSET


class OptionIn(msgspec.Struct, forbid_unknown_fields=True):
    name: dict[str, str]
    price_delta_minor: PriceDelta = 0
    is_available: bool = True
    position: Position = 0


class OptionUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: dict[str, str] | UnsetType = UNSET
    price_delta_minor: PriceDelta | UnsetType = UNSET
    is_available: bool | UnsetType = UNSET
    position: Position | UnsetType = UNSET


class OptionGroupIn(msgspec.Struct, forbid_unknown_fields=True):
    name: dict[str, str]
    required: bool = False
    min_choices: Choices = 0
    max_choices: Choices = 1
    position: Position = 0
    options: list[OptionIn] = msgspec.field(default_factory=list)


class OptionGroupUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: dict[str, str] | UnsetType = UNSET
    required: bool | UnsetType = UNSET
    min_choices: Choices | UnsetType = UNSET
    max_choices: Choices | UnsetType = UNSET
    position: Position | UnsetType = UNSET


class OptionOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    names: dict[str, str]
    price_delta_minor: int
    is_available: bool
    position: int


class OptionGroupOut(msgspec.Struct):
    id: uuid.UUID
    listing_id: uuid.UUID
    name: str
    names: dict[str, str]
    required: bool
    min_choices: int
    max_choices: int
    position: int
    options: list[OptionOut]


class PhotoOut(msgspec.Struct):
    id: uuid.UUID
    width: int
    height: int
    # width -> URL of a WebP at that width, e.g. {"480": "/media/listing-photos/<id>/480.webp"}
    urls: dict[str, str]


class ListingOut(msgspec.Struct):
    id: uuid.UUID
    shop_id: uuid.UUID
    name: str
    description: str
    price_minor: int
    currency: str
    is_available: bool
    created_at: datetime
    names: dict[str, str] = msgspec.field(default_factory=dict)
    descriptions: dict[str, str] = msgspec.field(default_factory=dict)
    category_id: uuid.UUID | None = None
    stock: int | None = None
    sold_out: bool = False  # the owner's switch
    # What a menu shows: false when switched to sold out or when counted stock ran out.
    in_stock: bool = True
    channels: list[str] = msgspec.field(default_factory=list)
    time_windows: list[TimeWindow] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)
    position: int = 0
    deleted_at: datetime | None = None
    option_groups: list[OptionGroupOut] = msgspec.field(default_factory=list)
    photos: list[PhotoOut] = msgspec.field(default_factory=list)
    # Reviews of orders that contained this listing: average 1-5 (null before the first
    # review) and how many.
    rating: float | None = None
    rating_count: int = 0


class CategoryOut(msgspec.Struct):
    id: uuid.UUID
    shop_id: uuid.UUID
    name: str
    names: dict[str, str]
    position: int


class MenuSection(msgspec.Struct):
    category_id: uuid.UUID | None
    name: str
    listings: list[ListingOut]


class MenuOut(msgspec.Struct):
    shop_id: uuid.UUID
    channel: str
    language: str
    sections: list[MenuSection]


def photo_out(photo: ListingPhoto) -> PhotoOut:
    return PhotoOut(
        id=photo.id,
        width=photo.width,
        height=photo.height,
        urls={str(w): f"/media/listing-photos/{photo.id}/{w}.webp" for w in PHOTO_WIDTHS},
    )


def group_out(group: OptionGroup, options: list[Option], language: str) -> OptionGroupOut:
    return OptionGroupOut(
        id=group.id,
        listing_id=group.listing_id,
        name=pick(group.name, language),
        names=dict(group.name),
        required=group.required,
        min_choices=group.min_choices,
        max_choices=group.max_choices,
        position=group.position,
        options=[
            OptionOut(
                id=option.id,
                name=pick(option.name, language),
                names=dict(option.name),
                price_delta_minor=option.price_delta_minor,
                is_available=option.is_available,
                position=option.position,
            )
            for option in options
        ],
    )


def listing_out(
    listing: Listing,
    language: str,
    groups: list[OptionGroupOut] | None = None,
    photos: list[ListingPhoto] | None = None,
    rating: tuple[float | None, int] = (None, 0),
) -> ListingOut:
    return ListingOut(
        id=listing.id,
        shop_id=listing.shop_id,
        name=pick(listing.name, language),
        description=pick(listing.description, language),
        price_minor=listing.price_minor,
        currency=listing.currency,
        is_available=listing.is_available,
        created_at=listing.created_at,
        names=dict(listing.name),
        descriptions=dict(listing.description or {}),
        category_id=listing.category_id,
        stock=listing.stock,
        sold_out=listing.sold_out,
        in_stock=not listing.sold_out and (listing.stock is None or listing.stock > 0),
        channels=list(listing.channels if listing.channels is not None else ALL_CHANNELS),
        time_windows=[msgspec.convert(w, TimeWindow) for w in listing.time_windows or []],
        tags=list(listing.tags or []),
        position=listing.position or 0,
        deleted_at=listing.deleted_at,
        option_groups=groups or [],
        photos=[photo_out(photo) for photo in photos or []],
        rating=rating[0],
        rating_count=rating[1],
    )


def category_out(category: ListingCategory, language: str) -> CategoryOut:
    return CategoryOut(
        id=category.id,
        shop_id=category.shop_id,
        name=pick(category.name, language),
        names=dict(category.name),
        position=category.position,
    )
