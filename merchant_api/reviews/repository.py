"""All SQL about reviews and their averages."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.orders.models import OrderLine
from merchant_api.reviews.models import Review

_TABLE = Review.__table__
Summary = dict[uuid.UUID, tuple[float | None, int]]


def _average(value: object) -> float | None:
    # PostgreSQL's avg() of integers is a Decimal, SQLite's a float.
    return None if value is None else round(float(value), 2)  # type: ignore[arg-type]


class ReviewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_once(self, values: dict[str, object]) -> bool:
        """Insert the review unless its order has one; False then. The unique order_id index
        decides between two racing attempts, without an error that would spoil the
        transaction."""
        dialect = self.session.bind.dialect.name  # type: ignore[union-attr]
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        result = await self.session.execute(
            insert(_TABLE).values(**values).on_conflict_do_nothing(index_elements=["order_id"])
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def get(self, review_id: uuid.UUID) -> Review | None:
        return await self.session.get(Review, review_id, populate_existing=True)

    async def set_reply(
        self, review_id: uuid.UUID, text: str, account_id: uuid.UUID, now: datetime
    ) -> None:
        """The first reply sets replied_at; later ones are edits of it."""
        await self.session.execute(
            sa.update(Review)
            .where(Review.id == review_id)
            .values(
                reply=text,
                reply_account_id=account_id,
                replied_at=sa.func.coalesce(Review.replied_at, now),
                reply_edited_at=sa.case((Review.replied_at.is_(None), None), else_=now),
            )
            .execution_options(synchronize_session=False)
        )

    async def page_for_shop(self, shop_id: uuid.UUID, limit: int, offset: int) -> list[Review]:
        rows = await self.session.scalars(
            sa.select(Review)
            .where(Review.shop_id == shop_id)
            .order_by(Review.created_at.desc(), Review.id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows)

    async def shop_summary(self, shop_ids: Sequence[uuid.UUID]) -> Summary:
        if not shop_ids:
            return {}
        rows = await self.session.execute(
            sa.select(Review.shop_id, sa.func.avg(Review.rating), sa.func.count(Review.id))
            .where(Review.shop_id.in_(shop_ids))
            .group_by(Review.shop_id)
        )
        return {shop_id: (_average(avg), int(count)) for shop_id, avg, count in rows.all()}

    async def listing_summary(
        self,
        *,
        listing_ids: Sequence[uuid.UUID] | None = None,
        shop_id: uuid.UUID | None = None,
    ) -> Summary:
        """Per listing, the ratings of reviews whose order contained it (each review counted
        once per listing, however many lines of the order it filled)."""
        pairs = sa.select(OrderLine.listing_id, Review.id.label("review_id"), Review.rating).join(
            OrderLine, OrderLine.order_id == Review.order_id
        )
        if listing_ids is not None:
            pairs = pairs.where(OrderLine.listing_id.in_(listing_ids))
        if shop_id is not None:
            pairs = pairs.where(Review.shop_id == shop_id)
        found = pairs.distinct().subquery()
        rows = await self.session.execute(
            sa.select(found.c.listing_id, sa.func.avg(found.c.rating), sa.func.count())
            .group_by(found.c.listing_id)
            .order_by(found.c.listing_id)
        )
        return {listing: (_average(avg), int(count)) for listing, avg, count in rows.all()}
