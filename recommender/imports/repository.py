"""SQL for imported basket lines and open data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from recommender.imports.csv_format import BasketRow
from recommender.imports.models import ImportedBasketLine, OpenDataValue
from recommender.imports.open_data import OpenDataRow


class ImportedLineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_rows(self, batch: str, rows: Sequence[BasketRow]) -> None:
        if not rows:
            return
        await self.session.execute(
            sa.insert(ImportedBasketLine),
            [
                {
                    "batch": batch,
                    "customer_ref": r.customer_ref,
                    "order_ref": r.order_ref,
                    "ordered_at": r.ordered_at,
                    "item_ref": r.item_ref,
                    "quantity": r.quantity,
                    "price_minor": r.price_minor,
                    "shop_ref": r.shop_ref,
                }
                for r in rows
            ],
        )

    async def count(self, batch: str) -> int:
        query = sa.select(sa.func.count()).where(ImportedBasketLine.batch == batch)
        return int((await self.session.execute(query)).scalar_one())

    async def rows(self, batch: str | None = None) -> list[BasketRow]:
        query = sa.select(ImportedBasketLine).order_by(ImportedBasketLine.ordered_at)
        if batch:
            query = query.where(ImportedBasketLine.batch == batch)
        return [
            BasketRow(
                0,
                r.customer_ref,
                r.order_ref,
                r.ordered_at,
                r.item_ref,
                r.quantity,
                r.price_minor,
                r.shop_ref,
            )
            for r in (await self.session.scalars(query))
        ]


class OpenDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_rows(self, batch: str, rows: Sequence[OpenDataRow]) -> None:
        if not rows:
            return
        await self.session.execute(
            sa.insert(OpenDataValue),
            [
                {"batch": batch, "day": r.day, "county": r.county, "metric": r.metric,
                 "value": r.value}
                for r in rows
            ],
        )  # fmt: skip

    async def values(self, first: date, last: date) -> list[tuple[date, str, str, float]]:
        """(day, county, metric, value) from first to last, oldest import first."""
        v = OpenDataValue
        query = (
            sa.select(v.day, v.county, v.metric, v.value)
            .where(v.day >= first, v.day <= last)
            .order_by(v.imported_at, v.id)
        )
        return [tuple(row) for row in (await self.session.execute(query)).all()]  # type: ignore[misc]
