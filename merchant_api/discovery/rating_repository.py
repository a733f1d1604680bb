"""Review averages and counts, kept on the search documents so search can sort by them.

A review changes its shop's average and the averages of the listings its order contained;
the reviews service calls `refresh` for exactly those in the review's transaction. Averages
are stored as hundredths (4.67 -> 467, an integer, so sorting and keyset cursors are exact)
with the count; no review means 0 and 0, shown as "no rating yet" (average null).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.discovery.models import ListingSearch, ShopSearch
from merchant_api.orders.models import OrderLine
from merchant_api.reviews.models import Review

# (average or None, count)
Rating = tuple[float | None, int]
NO_RATING: Rating = (None, 0)


def rating_of(centi: int | None, count: int | None) -> Rating:
    return (round(centi / 100, 2), int(count)) if count and centi is not None else NO_RATING


def _centi(average: sa.ColumnElement[object]) -> sa.ColumnElement[int]:
    # avg() is a Decimal on PostgreSQL and a float on SQLite; hundredths, rounded, either way.
    return sa.cast(sa.func.round(average * 100), sa.Integer)


class RatingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def refresh(
        self,
        shop_ids: Sequence[uuid.UUID] | None = None,
        listing_ids: Sequence[uuid.UUID] | None = None,
    ) -> None:
        """Recompute the documents' ratings from the reviews: of these shops and listings, or
        of every document when both are None (seeding, repairs)."""
        everything = shop_ids is None and listing_ids is None
        of_shop = Review.shop_id == ShopSearch.shop_id
        shops = sa.update(ShopSearch).values(
            rating_centi=sa.func.coalesce(
                sa.select(_centi(sa.func.avg(Review.rating))).where(of_shop).scalar_subquery(), 0
            ),
            rating_count=sa.select(sa.func.count(Review.id)).where(of_shop).scalar_subquery(),
        )
        if not everything:
            shops = shops.where(ShopSearch.shop_id.in_(list(shop_ids or [])))
        # A review counts once per listing, however many lines of its order held it.
        of_listing = sa.exists().where(
            OrderLine.order_id == Review.order_id,
            OrderLine.listing_id == ListingSearch.listing_id,
        )
        listings = sa.update(ListingSearch).values(
            rating_centi=sa.func.coalesce(
                sa.select(_centi(sa.func.avg(Review.rating))).where(of_listing).scalar_subquery(),
                0,
            ),
            rating_count=sa.select(sa.func.count(Review.id)).where(of_listing).scalar_subquery(),
        )
        if not everything:
            listings = listings.where(ListingSearch.listing_id.in_(list(listing_ids or [])))
        if everything or shop_ids:
            await self.session.execute(shops.execution_options(synchronize_session=False))
        if everything or listing_ids:
            await self.session.execute(listings.execution_options(synchronize_session=False))

    async def of_shops(self, shop_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Rating]:
        if not shop_ids:
            return {}
        rows = await self.session.execute(
            sa.select(ShopSearch.shop_id, ShopSearch.rating_centi, ShopSearch.rating_count).where(
                ShopSearch.shop_id.in_(list(shop_ids))
            )
        )
        return {shop_id: rating_of(centi, count) for shop_id, centi, count in rows.all()}

    async def of_listings(self, listing_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Rating]:
        if not listing_ids:
            return {}
        rows = await self.session.execute(
            sa.select(
                ListingSearch.listing_id, ListingSearch.rating_centi, ListingSearch.rating_count
            ).where(ListingSearch.listing_id.in_(list(listing_ids)))
        )
        return {listing_id: rating_of(centi, count) for listing_id, centi, count in rows.all()}
