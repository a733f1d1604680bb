"""/api/search: public search of shops and listings across every street."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.discovery.params import DEFAULT_LIMIT, SearchParams
from merchant_api.discovery.schemas import ListingPage, ShopPage
from merchant_api.discovery.service import DiscoveryService

_Q = Parameter(
    description="Free text in any language, matched as a substring of names and descriptions "
    "(case- and width-insensitive): 小米, millet, Daren."
)
_STREET = Parameter(description="A street's id or slug.")
_CURSOR = Parameter(description="The `next_cursor` of the previous page (same sort).")
_COUNTY = Parameter(description="A county as the streets name it: 臺東縣, 澎湖縣.")
_LANG = Parameter(description="Language of the texts; missing texts fall back to zh-Hant-TW.")
_OPEN = Parameter(description="true: only shops open now (Asia/Taipei).")
_POINTS = Parameter(description="true: shops that take the programme's points; false: do not.")


class SearchController(Controller):
    path = "/api/search"
    tags = ["search"]  # noqa: RUF012

    @get("/shops", summary="Search active shops", exclude_from_auth=True)
    async def search_shops(
        self,
        db_session: NamedDependency[AsyncSession],
        state: State,
        q: str | None = _Q,
        street: str | None = _STREET,
        county: str | None = _COUNTY,
        category: str | None = Parameter(description="The shop's category."),
        open_now: bool | None = _OPEN,
        accepts_points: bool | None = _POINTS,
        sort: str | None = Parameter(description="relevance (with q), name or newest."),
        lang: str | None = _LANG,
        limit: int = Parameter(default=DEFAULT_LIMIT, description="Hits per page, 1 to 100."),
        cursor: str | None = _CURSOR,
    ) -> ShopPage:
        params = SearchParams(
            q=q,
            street=street,
            county=county,
            category=category,
            open_now=open_now,
            accepts_points=accepts_points,
            sort=sort,
            lang=lang,
            limit=limit,
            cursor=cursor,
        )
        return await DiscoveryService(db_session, state.get("search_cache")).shops(params)

    @get("/listings", summary="Search listings of active shops", exclude_from_auth=True)
    async def search_listings(
        self,
        db_session: NamedDependency[AsyncSession],
        state: State,
        q: str | None = _Q,
        street: str | None = _STREET,
        county: str | None = _COUNTY,
        category: str | None = Parameter(description="The shop's category."),
        open_now: bool | None = _OPEN,
        accepts_points: bool | None = _POINTS,
        shop: str | None = Parameter(description="A shop's id or slug."),
        tag: list[str] | None = Parameter(description="Repeatable; a hit has every tag given."),
        price_min: int | None = Parameter(description="Minor units (NT$1 = 100), inclusive."),
        price_max: int | None = Parameter(description="Minor units (NT$1 = 100), inclusive."),
        sort: str | None = Parameter(
            description="relevance (with q), name, newest, price or price_desc."
        ),
        lang: str | None = _LANG,
        limit: int = Parameter(default=DEFAULT_LIMIT, description="Hits per page, 1 to 100."),
        cursor: str | None = _CURSOR,
    ) -> ListingPage:
        params = SearchParams(
            q=q,
            street=street,
            county=county,
            category=category,
            open_now=open_now,
            accepts_points=accepts_points,
            sort=sort,
            lang=lang,
            limit=limit,
            cursor=cursor,
            shop=shop,
            tags=tuple(tag or ()),
            price_min=price_min,
            price_max=price_max,
        )
        return await DiscoveryService(db_session, state.get("search_cache")).listings(params)
