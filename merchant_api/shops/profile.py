"""A shop with everything its public page shows: listings, payment methods, staff languages
and whether it is open at a moment."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from merchant_api.catalog.models import Listing
from merchant_api.shops.models import Shop
from merchant_api.shops.schedule import OpenStatus


@dataclass(frozen=True)
class ShopProfile:
    shop: Shop
    listings: list[Listing]
    payment_methods: list[str]
    staff_languages: list[str]
    at: datetime
    opening: OpenStatus
    # (average stars, number of reviews), for the shop and for each of its listings.
    rating: tuple[float | None, int] = (None, 0)
    listing_ratings: dict[uuid.UUID, tuple[float | None, int]] | None = None
