"""Listing requests and answers. Prices are integers in minor units (NT$120 = 12000)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from merchant_api.catalog.models import Listing
from merchant_api.i18n import pick


class ListingCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: dict[str, str]
    # msgspec refuses floats and strings here, so "12.5" or "120" never become a price.
    price_minor: Annotated[int, msgspec.Meta(ge=0, le=100_000_000_00)]
    description: dict[str, str] = msgspec.field(default_factory=dict)
    currency: str = "TWD"
    is_available: bool = True


class ListingOut(msgspec.Struct):
    id: uuid.UUID
    shop_id: uuid.UUID
    name: str
    description: str
    price_minor: int
    currency: str
    is_available: bool
    created_at: datetime


def listing_out(listing: Listing, language: str) -> ListingOut:
    return ListingOut(
        id=listing.id,
        shop_id=listing.shop_id,
        name=pick(listing.name, language),
        description=pick(listing.description, language),
        price_minor=listing.price_minor,
        currency=listing.currency,
        is_available=listing.is_available,
        created_at=listing.created_at,
    )
