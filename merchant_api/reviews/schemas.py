"""Review requests and answers. Reviews are public: they name no consumer and no order."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from merchant_api.reviews.models import MAX_REPLY_TEXT, MAX_REVIEW_TEXT, Review


class ReviewCreate(msgspec.Struct, forbid_unknown_fields=True):
    rating: Annotated[int, msgspec.Meta(ge=1, le=5)]
    text: Annotated[str, msgspec.Meta(max_length=MAX_REVIEW_TEXT)] | None = None


class ReplyIn(msgspec.Struct, forbid_unknown_fields=True):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REPLY_TEXT)]


class ReviewOut(msgspec.Struct):
    id: uuid.UUID
    shop_id: uuid.UUID
    rating: int
    text: str | None
    created_at: datetime
    reply: str | None
    replied_at: datetime | None
    reply_edited_at: datetime | None


class ListingRating(msgspec.Struct):
    listing_id: uuid.UUID
    average: float | None
    count: int


class ShopReviews(msgspec.Struct):
    shop_id: uuid.UUID
    # Over all the shop's reviews, not only this page; None while there are none.
    average: float | None
    count: int
    reviews: list[ReviewOut]
    limit: int
    offset: int
    has_more: bool
    # Per listing: reviews of orders that contained it.
    listings: list[ListingRating]


def review_out(review: Review) -> ReviewOut:
    return ReviewOut(
        id=review.id,
        shop_id=review.shop_id,
        rating=review.rating,
        text=review.text,
        created_at=review.created_at,
        reply=review.reply,
        replied_at=review.replied_at,
        reply_edited_at=review.reply_edited_at,
    )
