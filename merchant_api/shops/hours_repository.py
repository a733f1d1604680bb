"""All SQL about opening periods, closures and special openings."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.shops.hours_models import OpeningPeriod, ShopClosure, SpecialOpening
from merchant_api.shops.schedule import Closure, Schedule, SpecialPeriod, WeeklyPeriod


class HoursRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def weekly(self, shop_id: uuid.UUID) -> list[OpeningPeriod]:
        rows = await self.session.scalars(
            select(OpeningPeriod)
            .where(OpeningPeriod.shop_id == shop_id)
            .order_by(OpeningPeriod.weekday, OpeningPeriod.opens_minute)
        )
        return list(rows)

    async def replace_weekly(self, shop_id: uuid.UUID, periods: list[OpeningPeriod]) -> None:
        await self.session.execute(delete(OpeningPeriod).where(OpeningPeriod.shop_id == shop_id))
        self.session.add_all(periods)
        await self.session.flush()

    async def closures(self, shop_id: uuid.UUID, *, since: date | None) -> list[ShopClosure]:
        query = select(ShopClosure).where(ShopClosure.shop_id == shop_id)
        if since is not None:
            query = query.where(ShopClosure.ends_on >= since)
        rows = await self.session.scalars(query.order_by(ShopClosure.starts_on, ShopClosure.id))
        return list(rows)

    async def closure(self, shop_id: uuid.UUID, closure_id: uuid.UUID) -> ShopClosure | None:
        return await self.session.scalar(
            select(ShopClosure).where(ShopClosure.id == closure_id, ShopClosure.shop_id == shop_id)
        )

    async def special(self, shop_id: uuid.UUID, *, since: date | None) -> list[SpecialOpening]:
        query = select(SpecialOpening).where(SpecialOpening.shop_id == shop_id)
        if since is not None:
            query = query.where(SpecialOpening.on_date >= since)
        rows = await self.session.scalars(
            query.order_by(SpecialOpening.on_date, SpecialOpening.opens_minute)
        )
        return list(rows)

    async def special_on(self, shop_id: uuid.UUID, on_date: date) -> list[SpecialOpening]:
        rows = await self.session.scalars(
            select(SpecialOpening).where(
                SpecialOpening.shop_id == shop_id, SpecialOpening.on_date == on_date
            )
        )
        return list(rows)

    async def replace_special_on(
        self, shop_id: uuid.UUID, on_date: date, periods: list[SpecialOpening]
    ) -> None:
        await self.session.execute(
            delete(SpecialOpening).where(
                SpecialOpening.shop_id == shop_id, SpecialOpening.on_date == on_date
            )
        )
        self.session.add_all(periods)
        await self.session.flush()

    async def delete(self, item: ShopClosure) -> None:
        await self.session.delete(item)
        await self.session.flush()

    def add(self, item: ShopClosure | SpecialOpening | OpeningPeriod) -> None:
        self.session.add(item)

    async def flush(self) -> None:
        await self.session.flush()

    async def schedules(
        self, shop_ids: list[uuid.UUID], *, since: date | None
    ) -> dict[uuid.UUID, Schedule]:
        weekly: dict[uuid.UUID, list[WeeklyPeriod]] = defaultdict(list)
        closures: dict[uuid.UUID, list[Closure]] = defaultdict(list)
        special: dict[uuid.UUID, list[SpecialPeriod]] = defaultdict(list)
        if shop_ids:
            for period in await self.session.scalars(
                select(OpeningPeriod).where(OpeningPeriod.shop_id.in_(shop_ids))
            ):
                weekly[period.shop_id].append(
                    WeeklyPeriod(period.opens_minute, period.closes_minute, period.weekday)
                )
            closure_query = select(ShopClosure).where(ShopClosure.shop_id.in_(shop_ids))
            special_query = select(SpecialOpening).where(SpecialOpening.shop_id.in_(shop_ids))
            if since is not None:
                closure_query = closure_query.where(ShopClosure.ends_on >= since)
                special_query = special_query.where(SpecialOpening.on_date >= since)
            for closure in await self.session.scalars(closure_query):
                closures[closure.shop_id].append(
                    Closure(closure.starts_on, closure.ends_on, closure.kind, dict(closure.reason))
                )
            for row in await self.session.scalars(special_query):
                special[row.shop_id].append(
                    SpecialPeriod(row.opens_minute, row.closes_minute, row.on_date)
                )
        return {
            shop_id: Schedule(
                tuple(weekly[shop_id]), tuple(closures[shop_id]), tuple(special[shop_id])
            )
            for shop_id in shop_ids
        }
