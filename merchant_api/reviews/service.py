"""Reviewing completed orders, replying to reviews, and the averages shops and listings show.
Services never commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import ValidationFailed
from merchant_api.discovery.rating_repository import RatingRepository
from merchant_api.orders.models import OrderStatus
from merchant_api.orders.repository import OrderRepository
from merchant_api.reviews.errors import (
    AlreadyReviewed,
    NotYourOrder,
    OrderNotCompleted,
    ReviewedOrderNotFound,
    ReviewNotFound,
)
from merchant_api.reviews.models import MAX_REPLY_TEXT, MAX_REVIEW_TEXT, Review
from merchant_api.reviews.repository import ReviewRepository, Summary


async def review_summary(session: AsyncSession, shop_ids: Sequence[uuid.UUID]) -> Summary:
    """{shop_id: (average rating rounded to 2 places or None, number of reviews)} for every
    shop asked about; for shop pages and search."""
    found = await ReviewRepository(session).shop_summary(list(shop_ids))
    return {shop_id: found.get(shop_id, (None, 0)) for shop_id in shop_ids}


async def listing_review_summary(
    session: AsyncSession, listing_ids: Sequence[uuid.UUID]
) -> Summary:
    """{listing_id: (average, count)} over the reviews of orders that contained the listing."""
    found = await ReviewRepository(session).listing_summary(listing_ids=list(listing_ids))
    return {listing_id: found.get(listing_id, (None, 0)) for listing_id in listing_ids}


def _clean(text: str | None, field: str, max_length: int, *, required: bool) -> str | None:
    cleaned = (text or "").strip() or None
    problem = None
    if cleaned is None and required:
        problem = "Write a reply, or leave the review unanswered."
    elif cleaned is not None and len(cleaned) > max_length:
        problem = f"At most {max_length} characters."
    if problem:
        raise ValidationFailed(
            "The text is not valid.",
            details={"problems": [{"key": field, "message": problem, "source": "body"}]},
        )
    return cleaned


class ReviewService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.reviews = ReviewRepository(session)

    async def create(
        self,
        order_id: uuid.UUID,
        consumer_id: uuid.UUID,
        rating: int,
        text: str | None,
        now: datetime,
    ) -> Review:
        order = await OrderRepository(self.session).get(order_id)
        if order is None:
            raise ReviewedOrderNotFound(f"There is no order {order_id}.")
        if consumer_id not in (order.consumer_account_id, order.placed_by_account_id):
            raise NotYourOrder("You can review only your own orders.")
        if order.status != OrderStatus.completed.value:
            raise OrderNotCompleted(
                "An order can be reviewed once it is completed.", details={"status": order.status}
            )
        if not 1 <= rating <= 5:
            raise ValidationFailed(
                "The rating is not valid.",
                details={"problems": [{"key": "rating", "message": "1 to 5.", "source": "body"}]},
            )
        review_id = uuid.uuid4()
        inserted = await self.reviews.insert_once(
            {
                "id": review_id,
                "order_id": order.id,
                "shop_id": order.shop_id,
                "consumer_account_id": consumer_id,
                "rating": rating,
                "text": _clean(text, "text", MAX_REVIEW_TEXT, required=False),
                "created_at": now,
            }
        )
        if not inserted:
            raise AlreadyReviewed("This order has already been reviewed.")
        # The averages shops, listings and search show move with the review, in its transaction.
        lines = await OrderRepository(self.session).lines_of([order.id])
        await RatingRepository(self.session).refresh(
            shop_ids=[order.shop_id], listing_ids=sorted({line.listing_id for line in lines})
        )
        review = await self.reviews.get(review_id)
        assert review is not None
        return review

    async def reply(
        self,
        shop_id: uuid.UUID,
        review_id: uuid.UUID,
        text: str,
        staff_id: uuid.UUID,
        now: datetime,
    ) -> Review:
        review = await self.reviews.get(review_id)
        if review is None or review.shop_id != shop_id:
            raise ReviewNotFound(f"There is no review {review_id} of this shop.")
        cleaned = _clean(text, "text", MAX_REPLY_TEXT, required=True)
        assert cleaned is not None
        await self.reviews.set_reply(review_id, cleaned, staff_id, now)
        refreshed = await self.reviews.get(review_id)
        assert refreshed is not None
        return refreshed

    async def page(self, shop_id: uuid.UUID, limit: int, offset: int) -> list[Review]:
        return await self.reviews.page_for_shop(shop_id, limit, offset)

    async def listing_averages(self, shop_id: uuid.UUID) -> Summary:
        return await self.reviews.listing_summary(shop_id=shop_id)
