"""All SQL about orders, their lines, status changes and per-shop counters."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.orders.models import Order, OrderLine, OrderStatusChange, ShopOrderCounter

_COUNTERS = ShopOrderCounter.__table__


@dataclass(frozen=True)
class OrderFilter:
    status: str | None = None
    channel: str | None = None
    date_from: date | None = None  # Asia/Taipei business dates, inclusive
    date_to: date | None = None


@cache
def number_upsert(dialect: str) -> sa.Executable:
    """Today's next order number and the shop's next feed sequence, in one upsert (built once
    per dialect, with bound parameters `shop_id` and `today`).

    The row lock it takes is held until commit, so the shop's next writer waits: numbers are
    never shared and sequences commit in order. PostgreSQL placement runs the same upsert
    inside one statement with the order's inserts (placement_sql).
    """
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_COUNTERS)
    statement = insert.values(
        shop_id=sa.bindparam("shop_id", type_=_COUNTERS.c.shop_id.type),
        business_date=sa.bindparam("today", type_=_COUNTERS.c.business_date.type),
        last_number=1,
        last_seq=1,
    )
    return statement.on_conflict_do_update(
        index_elements=["shop_id"],
        set_={
            "last_number": sa.case(
                (
                    _COUNTERS.c.business_date == statement.excluded.business_date,
                    _COUNTERS.c.last_number + 1,
                ),
                else_=1,
            ),
            "business_date": statement.excluded.business_date,
            "last_seq": _COUNTERS.c.last_seq + 1,
        },
    ).returning(_COUNTERS.c.last_number, _COUNTERS.c.last_seq)


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self):  # type: ignore[no-untyped-def]
        dialect = self.session.bind.dialect.name  # type: ignore[union-attr]
        return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_COUNTERS)

    async def next_seq(self, shop_id: uuid.UUID, today: date) -> int:
        """The shop's next feed sequence (a status change), under the same row lock."""
        statement = self._insert().values(
            shop_id=shop_id, business_date=today, last_number=0, last_seq=1
        )
        statement = statement.on_conflict_do_update(
            index_elements=["shop_id"], set_={"last_seq": _COUNTERS.c.last_seq + 1}
        ).returning(_COUNTERS.c.last_seq)
        return int((await self.session.execute(statement)).scalar_one())

    def add_all(self, items: Sequence[Order | OrderLine | OrderStatusChange]) -> None:
        self.session.add_all(items)

    async def flush(self) -> None:
        await self.session.flush()

    async def get(self, order_id: uuid.UUID) -> Order | None:
        return await self.session.get(Order, order_id, populate_existing=True)

    async def lines_of(self, order_ids: Sequence[uuid.UUID]) -> list[OrderLine]:
        if not order_ids:
            return []
        rows = await self.session.scalars(
            sa.select(OrderLine)
            .where(OrderLine.order_id.in_(order_ids))
            .order_by(OrderLine.order_id, OrderLine.position)
        )
        return list(rows)

    async def history_of(self, order_id: uuid.UUID) -> list[OrderStatusChange]:
        rows = await self.session.scalars(
            sa.select(OrderStatusChange)
            .where(OrderStatusChange.order_id == order_id)
            .order_by(OrderStatusChange.seq)
        )
        return list(rows)

    async def change_status(
        self, order_id: uuid.UUID, expected: str, to: str, now: datetime
    ) -> bool:
        """Move the order only if nobody moved it since we read it (conditional UPDATE)."""
        result = await self.session.execute(
            sa.update(Order)
            .where(Order.id == order_id, Order.status == expected)
            .values(status=to, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def set_paid(self, order_id: uuid.UUID, paid_at: datetime) -> bool:
        """Record payment once; False when already recorded (or no such order)."""
        result = await self.session.execute(
            sa.update(Order)
            .where(Order.id == order_id, Order.paid_at.is_(None))
            .values(paid_at=paid_at, updated_at=paid_at)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def list_for_shop(
        self, shop_id: uuid.UUID, where: OrderFilter, limit: int, offset: int
    ) -> list[Order]:
        query = sa.select(Order).where(Order.shop_id == shop_id)
        if where.status:
            query = query.where(Order.status == where.status)
        if where.channel:
            query = query.where(Order.channel == where.channel)
        if where.date_from:
            query = query.where(Order.business_date >= where.date_from)
        if where.date_to:
            query = query.where(Order.business_date <= where.date_to)
        rows = await self.session.scalars(
            query.order_by(Order.placed_at.desc(), Order.id).limit(limit).offset(offset)
        )
        return list(rows)

    async def list_for_consumer(
        self, account_id: uuid.UUID, limit: int, offset: int
    ) -> list[Order]:
        rows = await self.session.scalars(
            sa.select(Order)
            .where(Order.consumer_account_id == account_id)
            .order_by(Order.placed_at.desc(), Order.id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows)

    async def feed(
        self, shop_id: uuid.UUID, after_seq: int, limit: int
    ) -> list[tuple[OrderStatusChange, Order]]:
        """The shop's status changes after `after_seq`, oldest first, with their orders."""
        rows = await self.session.execute(
            sa.select(OrderStatusChange, Order)
            .join(Order, Order.id == OrderStatusChange.order_id)
            .where(OrderStatusChange.shop_id == shop_id, OrderStatusChange.seq > after_seq)
            .order_by(OrderStatusChange.seq)
            .limit(limit)
        )
        return [(change, order) for change, order in rows]

    async def last_seq(self, shop_id: uuid.UUID) -> int:
        found = await self.session.scalar(
            sa.select(ShopOrderCounter.last_seq).where(ShopOrderCounter.shop_id == shop_id)
        )
        return int(found or 0)
