"""/api/recommendations: "you may also like" (public) and a consumer's next basket."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, require_roles
from infra.auth.roles import Role
from infra.http.openapi import SIGNED_IN
from recommender.recommendations.service import RecommendationService, Suggestion

Limit = Annotated[int, Parameter(ge=1, le=20)]


class SuggestionOut(msgspec.Struct):
    listing_id: uuid.UUID
    name: dict[str, str]
    price_minor: int
    reason: str


def _out(items: list[Suggestion]) -> list[SuggestionOut]:
    return [SuggestionOut(s.listing_id, s.name, s.price_minor, s.reason) for s in items]


class RecommendationController(Controller):
    path = "/api/recommendations/shops/{shop_id:uuid}"
    tags = ["recommendations"]  # noqa: RUF012

    @get(
        "/listings/{listing_id:uuid}/also-like",
        summary="You may also like: listings of this shop often bought with this one",
        exclude_from_auth=True,
    )
    async def also_like(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
        limit: FromQuery[Limit] = 5,
    ) -> list[SuggestionOut]:
        return _out(await RecommendationService(db_session).also_like(shop_id, listing_id, limit))

    @get(
        "/next-basket",
        summary="Your next basket at this shop: what you often buy, then what goes with it",
        guards=[require_roles(Role.consumer)],
        security=SIGNED_IN,
    )
    async def next_basket(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
        limit: FromQuery[Limit] = 10,
    ) -> list[SuggestionOut]:
        consumer = authenticated(request).account_id
        service = RecommendationService(db_session)
        return _out(await service.next_basket(shop_id, consumer, limit))
