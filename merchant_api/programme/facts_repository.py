"""SQL for recording activity facts; every insert is idempotent on its natural key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.orders.models import Order
from merchant_api.programme.models import (
    ProgrammeAdoption,
    ProgrammeBusiness,
    ProgrammeDirtyDay,
    ProgrammeUse,
)


@dataclass(frozen=True)
class OrderFacts:
    channel: str
    consumer_id: uuid.UUID | None
    placed_at: datetime
    paid_at: datetime | None
    total_minor: int


class FactsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self, table: Any) -> Any:
        dialect = self.session.bind.dialect.name  # type: ignore[union-attr]
        return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)

    async def add_use(self, values: dict[str, Any]) -> bool:
        """False when this person already used this service at this shop that day."""
        statement = self._insert(ProgrammeUse).values(id=uuid.uuid4(), **values)
        result = await self.session.execute(
            statement.on_conflict_do_nothing(
                index_elements=["source", "shop_id", "day", "person_id"]
            )
        )
        await self.mark_dirty(values["day"])
        return bool(result.rowcount)

    async def add_business(self, values: dict[str, Any]) -> bool:
        statement = self._insert(ProgrammeBusiness).values(id=uuid.uuid4(), **values)
        result = await self.session.execute(
            statement.on_conflict_do_nothing(index_elements=["source_ref"])
        )
        await self.mark_dirty(values["day"])
        return bool(result.rowcount)

    async def add_adoption(
        self, shop_id: uuid.UUID, service: str, at: datetime, source_ref: str
    ) -> bool:
        statement = self._insert(ProgrammeAdoption).values(
            id=uuid.uuid4(), shop_id=shop_id, service=service, first_at=at, source_ref=source_ref
        )
        result = await self.session.execute(
            statement.on_conflict_do_nothing(index_elements=["shop_id", "service"])
        )
        return bool(result.rowcount)

    async def add_many(
        self,
        uses: list[dict[str, Any]],
        business: list[dict[str, Any]],
        adoptions: list[dict[str, Any]],
    ) -> None:
        """Bulk form of the inserts above (the backfill), in chunks, duplicates ignored."""
        batches = (
            (ProgrammeUse, uses, ["source", "shop_id", "day", "person_id"]),
            (ProgrammeBusiness, business, ["source_ref"]),
            (ProgrammeAdoption, adoptions, ["shop_id", "service"]),
        )
        for table, rows, keys in batches:
            if rows:
                # executemany: one compiled statement, batched by the driver layer.
                # The Core table, not the entity: the ORM would run one statement per row.
                statement = self._insert(table.__table__).on_conflict_do_nothing(
                    index_elements=keys
                )
                await self.session.execute(statement, [{"id": uuid.uuid4(), **r} for r in rows])
        for day in sorted({row["day"] for row in (*uses, *business)}):
            await self.mark_dirty(day)

    async def mark_dirty(self, day: date) -> None:
        await self.session.execute(
            self._insert(ProgrammeDirtyDay).values(day=day).on_conflict_do_nothing()
        )

    async def order_facts(self, order_id: uuid.UUID) -> OrderFacts | None:
        row = (
            await self.session.execute(
                sa.select(
                    Order.channel,
                    Order.consumer_account_id,
                    Order.placed_at,
                    Order.paid_at,
                    Order.total_minor,
                ).where(Order.id == order_id)
            )
        ).first()
        return None if row is None else OrderFacts(*row)

    async def shop_exists(self, shop_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            sa.text("SELECT 1 FROM shops WHERE id = :id").bindparams(
                sa.bindparam("id", shop_id, type_=sa.Uuid())
            )
        )
        return found is not None
