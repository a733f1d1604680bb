"""/api/orders/{id}/review (the consumer), /api/shops/{id}/reviews (everyone) and the shop's
reply at /api/shops/{id}/reviews/{review_id}/reply."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, require_roles, require_scope, shop_guard
from infra.auth.roles import Role
from infra.db import utcnow
from infra.errors import NotFound
from infra.http.openapi import SIGNED_IN as SECURITY
from merchant_api.reviews.schemas import (
    ListingRating,
    ReplyIn,
    ReviewCreate,
    ReviewOut,
    ShopReviews,
    review_out,
)
from merchant_api.reviews.service import ReviewService, review_summary
from merchant_api.shops.repository import ShopRepository
from merchant_api.strict_body import decode_strictly

# The shop answers its reviewers; consultants advise but do not speak for the shop.
REPLIERS = frozenset({"owner", "staff", "admin"})
Limit = Annotated[int, Parameter(ge=1, le=100)]
Offset = Annotated[int, Parameter(ge=0, le=100_000)]


class ReviewController(Controller):
    path = "/api"
    tags = ["reviews"]  # noqa: RUF012

    @post(
        "/orders/{order_id:uuid}/review",
        summary="Rate (1-5) and review the shop of your completed order, once per order",
        guards=[require_roles(Role.consumer), require_scope("reviews:write")],
        security=SECURITY,
        status_code=201,
    )
    async def create_review(
        self,
        db_session: NamedDependency[AsyncSession],
        order_id: FromPath[uuid.UUID],
        data: JSONBody[ReviewCreate],
        request: Request[Any, Any, Any],
    ) -> ReviewOut:
        body = await decode_strictly(request, ReviewCreate)
        review = await ReviewService(db_session).create(
            order_id, authenticated(request).account_id, body.rating, body.text, utcnow()
        )
        return review_out(review)

    @put(
        "/shops/{shop_id:uuid}/reviews/{review_id:uuid}/reply",
        summary="Reply to a review of the shop, or edit the reply (one reply per review)",
        guards=[require_scope("reviews:write"), shop_guard(allow=REPLIERS)],
        security=SECURITY,
    )
    async def reply(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        review_id: FromPath[uuid.UUID],
        data: JSONBody[ReplyIn],
        request: Request[Any, Any, Any],
    ) -> ReviewOut:
        body = await decode_strictly(request, ReplyIn)
        review = await ReviewService(db_session).reply(
            shop_id, review_id, body.text, authenticated(request).account_id, utcnow()
        )
        return review_out(review)

    @get(
        "/shops/{shop_id:uuid}/reviews",
        summary="The shop's average rating, its reviews (newest first) and listing averages",
        exclude_from_auth=True,
    )
    async def shop_reviews(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        limit: FromQuery[Limit] = 20,
        offset: FromQuery[Offset] = 0,
    ) -> ShopReviews:
        if await ShopRepository(db_session).get(shop_id) is None:
            raise NotFound(f"There is no shop {shop_id}.")
        service = ReviewService(db_session)
        average, count = (await review_summary(db_session, [shop_id]))[shop_id]
        found = await service.page(shop_id, limit + 1, offset)
        listings = await service.listing_averages(shop_id)
        return ShopReviews(
            shop_id=shop_id,
            average=average,
            count=count,
            reviews=[review_out(review) for review in found[:limit]],
            limit=limit,
            offset=offset,
            has_more=len(found) > limit,
            listings=[ListingRating(lid, avg, n) for lid, (avg, n) in listings.items()],
        )
