"""Searching shops and listings. Read-only; answers may come from the short-lived cache."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from merchant_api.discovery import cursor
from merchant_api.discovery.cache import SearchCache
from merchant_api.discovery.params import SearchParams, parse
from merchant_api.discovery.rating_repository import NO_RATING, RatingRepository
from merchant_api.discovery.repository import SearchRepository
from merchant_api.discovery.schemas import ListingPage, ShopPage, listing_hit, shop_hit

Page = TypeVar("Page", ShopPage, ListingPage)


class DiscoveryService:
    def __init__(self, session: AsyncSession, cache: SearchCache | None = None) -> None:
        self.search = SearchRepository(session)
        self.ratings = RatingRepository(session)
        self.cache = cache

    async def shops(self, params: SearchParams, *, now: datetime | None = None) -> ShopPage:
        query = parse(params, listings=False, now=now or utcnow())
        key = "shops:" + params.cache_key()
        if (cached := await self._cached(key, ShopPage)) is not None:
            return cached
        rows = await self.search.shops(query)
        ratings = await self.ratings.of_shops([row[0].id for row in rows[: query.limit]])
        page = ShopPage(
            items=[
                shop_hit(shop, street, query.language, ratings.get(shop.id, NO_RATING))
                for shop, street, *_ in rows[: query.limit]
            ],
            next_cursor=_next_cursor(rows, query.limit, query.sort),
            language=query.language,
        )
        await self._store(key, page)
        return page

    async def listings(self, params: SearchParams, *, now: datetime | None = None) -> ListingPage:
        query = parse(params, listings=True, now=now or utcnow())
        key = "listings:" + params.cache_key()
        if (cached := await self._cached(key, ListingPage)) is not None:
            return cached
        rows = await self.search.listings(query)
        ratings = await self.ratings.of_listings([row[0].id for row in rows[: query.limit]])
        page = ListingPage(
            items=[
                listing_hit(listing, shop, query.language, ratings.get(listing.id, NO_RATING))
                for listing, shop, *_ in rows[: query.limit]
            ],
            next_cursor=_next_cursor(rows, query.limit, query.sort),
            language=query.language,
        )
        await self._store(key, page)
        return page

    async def _cached(self, key: str, kind: type[Page]) -> Page | None:
        if self.cache is None:
            return None
        raw = await self.cache.get(key)
        return msgspec.json.decode(raw, type=kind) if raw is not None else None

    async def _store(self, key: str, page: object) -> None:
        if self.cache is not None:
            await self.cache.put(key, msgspec.json.encode(page))


def _next_cursor(rows: list[tuple[object, ...]], limit: int, sort: str) -> str | None:
    """Rows hold the two entities, then the sort key values (the id last)."""
    if len(rows) <= limit:
        return None
    return cursor.encode(sort, tuple(rows[limit - 1][2:]))
