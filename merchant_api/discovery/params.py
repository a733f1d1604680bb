"""Turning raw query parameters into a SearchQuery; every refusal names its parameter."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from infra.errors import ValidationFailed
from merchant_api.catalog.models import MAX_PRICE_MINOR, Tag
from merchant_api.discovery import cursor
from merchant_api.discovery.normalise import is_searchable, normalise
from merchant_api.discovery.query import LISTING_SORTS, SHOP_SORTS, SearchQuery
from merchant_api.i18n import resolve_language
from merchant_api.shops.models import ShopCategory

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_QUERY_LENGTH = 100
CATEGORIES = tuple(category.value for category in ShopCategory)
TAGS = tuple(tag.value for tag in Tag)


@dataclass(frozen=True)
class SearchParams:
    """The query string as received (the routes do not interpret it)."""

    q: str | None = None
    street: str | None = None
    county: str | None = None
    category: str | None = None
    open_now: bool | None = None
    accepts_points: bool | None = None
    sort: str | None = None
    lang: str | None = None
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    shop: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    price_min: int | None = None
    price_max: int | None = None

    def cache_key(self) -> str:
        return repr(self)


def parse(params: SearchParams, *, listings: bool, now: datetime) -> SearchQuery:
    problems: list[dict[str, str]] = []

    def problem(key: str, message: str) -> None:
        problems.append({"key": key, "message": message, "source": "query"})

    # An empty search box (q=) means "no text", as forms send it.
    text = normalise(params.q or "") or None
    if text is not None and len(text) > MAX_QUERY_LENGTH:
        problem("q", f"At most {MAX_QUERY_LENGTH} characters.")
    elif text is not None and not is_searchable(text):
        problem("q", "Type at least 2 letters (or 1 Chinese character).")
    sorts = LISTING_SORTS if listings else SHOP_SORTS
    sort = params.sort or ("relevance" if text else "name")
    if sort not in sorts:
        problem("sort", f"Use one of {', '.join(sorts)}.")
    elif sort == "relevance" and not text:
        problem("sort", "Sorting by relevance needs a search text q.")
    if not 1 <= params.limit <= MAX_LIMIT:
        problem("limit", f"Between 1 and {MAX_LIMIT}.")
    if params.category is not None and params.category not in CATEGORIES:
        problem("category", f"Use one of {', '.join(CATEGORIES)}.")
    for tag in params.tags:
        if tag not in TAGS:
            problem("tag", f"Unknown tag {tag!r}; use one of {', '.join(TAGS)}.")
    for key, price in (("price_min", params.price_min), ("price_max", params.price_max)):
        if price is not None and not 0 <= price <= MAX_PRICE_MINOR:
            problem(key, f"Between 0 and {MAX_PRICE_MINOR} (minor units: NT$1 = 100).")
    if (
        params.price_min is not None
        and params.price_max is not None
        and params.price_min > params.price_max
    ):
        problem("price_max", "Must not be below price_min.")
    if problems:
        raise ValidationFailed(
            "The search parameters are not valid.", details={"problems": problems}
        )

    street_id, street_slug = _id_or_slug(params.street)
    shop_id, shop_slug = _id_or_slug(params.shop)
    return SearchQuery(
        language=resolve_language(params.lang),
        sort=sort,
        limit=params.limit,
        text=text or None,
        street_id=street_id,
        street_slug=street_slug,
        county=params.county.strip() if params.county else None,
        category=params.category,
        open_at=now if params.open_now else None,
        accepts_points=params.accepts_points,
        after=cursor.decode(params.cursor, sort) if params.cursor else None,
        shop_id=shop_id,
        shop_slug=shop_slug,
        tags=tuple(sorted(set(params.tags))),
        price_min=params.price_min,
        price_max=params.price_max,
    )


def _id_or_slug(value: str | None) -> tuple[uuid.UUID | None, str | None]:
    """Streets and shops are named by id or by slug; a UUID-shaped value is an id."""
    if not value:
        return None, None
    try:
        return uuid.UUID(value), None
    except ValueError:
        return None, value.strip()
