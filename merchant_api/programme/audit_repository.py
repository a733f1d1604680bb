"""The raw facts behind uses and business: what an auditor (a platform admin) pages through.
They name people (person_id), so the ministry never reads them, only their aggregates."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.programme.kpi_repository import Filters, street_conditions
from merchant_api.programme.models import ProgrammeBusiness, ProgrammeUse
from merchant_api.shops.models import Shop
from merchant_api.streets.models import Street

USE_COLUMNS = [
    "source_ref",
    "day",
    "source",
    "shop_slug",
    "street_slug",
    "channel",
    "method",
    "person_id",
]
BUSINESS_COLUMNS = [
    "source_ref",
    "day",
    "source",
    "shop_slug",
    "street_slug",
    "channel",
    "method",
    "amount_minor",
    "points_redeemed",
]


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def facts(
        self, business: bool, start: date, end: date, filters: Filters, limit: int, offset: int
    ) -> list[dict[str, Any]]:
        fact: Any = ProgrammeBusiness if business else ProgrammeUse
        extra = [fact.amount_minor, fact.points_redeemed] if business else [fact.person_id]
        statement = (
            sa.select(
                fact.source_ref,
                fact.day,
                fact.source,
                Shop.slug.label("shop_slug"),
                Street.slug.label("street_slug"),
                fact.channel,
                fact.method,
                *extra,
            )
            .join(Shop, Shop.id == fact.shop_id)
            .join(Street, Street.id == Shop.street_id)
            .where(fact.day >= start, fact.day < end, *street_conditions(filters))
            .order_by(fact.day, fact.source_ref)
            .limit(limit)
            .offset(offset)
        )
        for column, value in (
            (Shop.category, filters.category),
            (fact.channel, filters.channel),
            (fact.method, filters.method),
            (fact.source, filters.source),
        ):
            if value:
                statement = statement.where(column == value)
        return [dict(row._mapping) for row in await self.session.execute(statement)]
