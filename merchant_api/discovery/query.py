"""A validated search, as the service hands it to the repository."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SHOP_SORTS = ("relevance", "name", "newest", "rating")
LISTING_SORTS = ("relevance", "name", "newest", "price", "price_desc", "rating")


@dataclass(frozen=True)
class SearchQuery:
    """Filters shared by shop and listing search; None means "not filtered"."""

    language: str
    sort: str
    limit: int
    # Normalised free text (merchant_api.discovery.normalise.normalise).
    text: str | None = None
    street_id: uuid.UUID | None = None
    street_slug: str | None = None
    county: str | None = None
    category: str | None = None
    open_at: datetime | None = None
    accepts_points: bool | None = None
    # Sort key values of the last row of the previous page, then its id.
    after: tuple[Any, ...] | None = None
    # Listing search only.
    shop_id: uuid.UUID | None = None
    shop_slug: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    price_min: int | None = None
    price_max: int | None = None
