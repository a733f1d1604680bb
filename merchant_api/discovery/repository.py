"""All SQL of search: visible shops and listings matching the filters, one keyset page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, cast, exists, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Text

from merchant_api.catalog.models import Listing
from merchant_api.discovery.filters import keyset_after, open_at, text_match
from merchant_api.discovery.models import ListingSearch, ShopSearch
from merchant_api.discovery.query import SearchQuery
from merchant_api.discovery.text_search import TextSearch
from merchant_api.i18n import DEFAULT_LANGUAGE
from merchant_api.shops.models import Shop, ShopPaymentMethod, ShopStatus
from merchant_api.shops.vocabulary import PaymentMethod
from merchant_api.streets.models import Street


class SearchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.text = TextSearch(session)

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    async def shops(self, query: SearchQuery) -> list[tuple[Any, ...]]:
        """(Shop, Street, sort key values...) for one page plus one row (to tell if more)."""
        await self._plan_per_query()
        stmt = select(Shop, Street).join(Street, Street.id == Shop.street_id)
        stmt = stmt.where(*self._shop_filters(query))
        if query.text and query.sort == "relevance":
            # Shops are few (10,000 at programme scale): reading them with LIKE alone in id
            # order beats both the walk and the index for common words (measured).
            return await self.text.relevance_page(
                stmt, ShopSearch, "shop_id", Shop.id, query, narrowed=True
            )
        if query.text or query.sort == "rating":
            stmt = stmt.join(ShopSearch, ShopSearch.shop_id == Shop.id)
        if query.text:
            plan = await self.text.plan(ShopSearch, "grams", query.text)
            grams = plan.index_grams(narrowed=_narrowed(query))
            stmt = stmt.where(text_match(ShopSearch, query.text, grams))
        keys = _sort_keys(
            query,
            name=Shop.name,
            created_at=Shop.created_at,
            row_id=Shop.id,
            rating=ShopSearch.rating_centi,
        )
        return await self._page(stmt, keys, query)

    async def listings(self, query: SearchQuery) -> list[tuple[Any, ...]]:
        """(Listing, Shop, sort key values...) for one page plus one row."""
        await self._plan_per_query()
        stmt = (
            select(Listing, Shop)
            .join(Shop, Shop.id == Listing.shop_id)
            .where(
                Listing.deleted_at.is_(None),
                # The owner's "not offered" switch hides a listing as deletion does.
                Listing.is_available.is_(True),
                *self._shop_filters(query),
            )
        )
        if query.street_slug or query.county:  # a street id is on the shop itself
            stmt = stmt.join(Street, Street.id == Shop.street_id)
        if query.shop_id:
            stmt = stmt.where(Listing.shop_id == query.shop_id)
        if query.shop_slug:
            stmt = stmt.where(Shop.slug == query.shop_slug)
        if query.price_min is not None:
            stmt = stmt.where(Listing.price_minor >= query.price_min)
        if query.price_max is not None:
            stmt = stmt.where(Listing.price_minor <= query.price_max)
        for tag in query.tags:
            stmt = stmt.where(self._has_tag(tag))
        if query.text and query.sort == "relevance":
            return await self.text.relevance_page(
                stmt, ListingSearch, "listing_id", Listing.id, query, narrowed=_narrowed(query)
            )
        if query.text or query.sort == "rating":
            stmt = stmt.join(ListingSearch, ListingSearch.listing_id == Listing.id)
        if query.text:
            plan = await self.text.plan(ListingSearch, "grams", query.text)
            grams = plan.index_grams(narrowed=_narrowed(query))
            stmt = stmt.where(text_match(ListingSearch, query.text, grams))
        keys = _sort_keys(
            query,
            name=Listing.name,
            created_at=Listing.created_at,
            row_id=Listing.id,
            price=Listing.price_minor,
            rating=ListingSearch.rating_centi,
        )
        return await self._page(stmt, keys, query)

    async def _plan_per_query(self) -> None:
        """asyncpg prepares statements, and after five runs PostgreSQL may switch to one
        generic plan for all parameter values; for search the right plan depends on them (a
        county of 50,000 listings or a shop of 50), so plan every search for its values.
        SET LOCAL ends with the request's transaction."""
        if self.dialect == "postgresql":
            await self.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))

    def _shop_filters(self, query: SearchQuery) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [Shop.status == ShopStatus.ACTIVE.value]
        if query.street_id:
            conditions.append(Shop.street_id == query.street_id)
        if query.street_slug:
            conditions.append(Street.slug == query.street_slug)
        if query.county:
            conditions.append(Street.county == query.county)
        if query.category:
            conditions.append(Shop.category == query.category)
        if query.accepts_points is not None:
            takes_points = exists().where(
                ShopPaymentMethod.shop_id == Shop.id,
                ShopPaymentMethod.method == PaymentMethod.POINTS.value,
            )
            conditions.append(takes_points if query.accepts_points else ~takes_points)
        if query.open_at is not None:
            conditions.append(open_at(query.open_at))
        return conditions

    def _has_tag(self, tag: str) -> ColumnElement[bool]:
        # Tags are a JSON list of vocabulary words (catalog.models.Tag: letters and
        # underscores), so the quoted word in the JSON text is the tag, on both databases;
        # cheaper than parsing JSON per row when a county's 50,000 listings are filtered.
        return cast(Listing.tags, Text).like(f'%"{tag}"%')

    async def _page(
        self, stmt: Select[Any], keys: list[tuple[Any, bool]], query: SearchQuery
    ) -> list[tuple[Any, ...]]:
        if query.after is not None:
            stmt = stmt.where(keyset_after(keys, query.after))
        stmt = stmt.add_columns(*(expression for expression, _ in keys))
        stmt = stmt.order_by(*(e.desc() if descending else e.asc() for e, descending in keys))
        rows = await self.session.execute(stmt.limit(query.limit + 1))
        return [tuple(row) for row in rows.all()]


def _narrowed(query: SearchQuery) -> bool:
    """A shop or street filter leaves few rows; the planner then starts from it."""
    return any((query.shop_id, query.shop_slug, query.street_id, query.street_slug))


def _sort_keys(
    query: SearchQuery,
    *,
    name: Any,
    created_at: Any,
    row_id: Any,
    rating: Any,
    price: Any = None,
) -> list[tuple[Any, bool]]:
    """(expression, descending) pairs; the id last, so every order is total and a keyset
    cursor never skips or repeats a row."""
    if _narrowed(query) and price is not None:
        # A street's or shop's few listings are sorted faster than the planner's favourite
        # plan, walking the whole catalogue's price or date index until 21 of them turn up
        # (7,000 rows for one street); an expression hides the index from it.
        price = price + 0
        created_at = func.coalesce(created_at, created_at)
        rating = rating + 0
    if query.sort == "newest":
        return [(created_at, True), (row_id, True)]
    if query.sort == "rating":
        # Best average first (unrated last: 0); ties by id, both descending: a backward walk
        # of the document's (rating, id) index.
        return [(rating, True), (row_id, True)]
    if query.sort == "price":
        return [(price, False), (row_id, False)]
    if query.sort == "price_desc":
        return [(price, True), (row_id, False)]
    localized = func.coalesce(name[query.language].as_string(), name[DEFAULT_LANGUAGE].as_string())
    return [(localized, False), (row_id, False)]
