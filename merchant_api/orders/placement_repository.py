"""The SQL of placing an order: one read for everything the order depends on, few writes.

Placement is the hottest write path of the platform, so it speaks Core, not the ORM: the
shop's status, its schedule near the order's time, the ordered listings (with stock), their
option groups and options come back in ONE `UNION ALL` query of typed rows, and the order,
its lines, its first status change and its outbox event are prebuilt INSERTs.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from infra.outbox.models import OutboxEvent
from merchant_api.catalog.models import Listing
from merchant_api.orders.models import Order, OrderLine, OrderStatusChange
from merchant_api.orders.placement_sql import write_order_statement
from merchant_api.orders.repository import number_upsert
from merchant_api.shops.hours_models import ShopClosure
from merchant_api.shops.schedule import Closure, Schedule, SpecialPeriod, WeeklyPeriod

_L = Listing.__table__.c
_UUID = _L.id.type
_JSON = _L.name.type
_DATE = ShopClosure.__table__.c.starts_on.type
_STAMP = _L.deleted_at.type

# One statement, written once: every branch fills the same generic row (kind, id, ref, name,
# n1..n3, f1, f2, s1, j1, j2, d1, d2, t1), the first branch fixing the column types. Plain SQL
# that PostgreSQL and SQLite both run (SQLite accepts any type name in CAST), so no statement
# is built or traversed per request: building this union with the expression language cost
# more CPU than the database spent answering it.
_N = {
    "uuid": "CAST(NULL AS UUID)",
    "json": "CAST(NULL AS JSON)",
    "int": "CAST(NULL AS INTEGER)",
    "bool": "CAST(NULL AS BOOLEAN)",
    "text": "CAST(NULL AS VARCHAR)",
    "date": "CAST(NULL AS DATE)",
    "stamp": "CAST(NULL AS TIMESTAMP WITH TIME ZONE)",
}
_SNAPSHOT_SQL = f"""
SELECT 'shop' AS kind, id, {_N["uuid"]} AS ref, {_N["json"]} AS name, {_N["int"]} AS n1,
    {_N["int"]} AS n2, {_N["int"]} AS n3, {_N["bool"]} AS f1, {_N["bool"]} AS f2, status AS s1,
    {_N["json"]} AS j1, {_N["json"]} AS j2, {_N["date"]} AS d1, {_N["date"]} AS d2,
    {_N["stamp"]} AS t1
FROM shops WHERE id = :shop_id
UNION ALL
SELECT 'period', {_N["uuid"]}, {_N["uuid"]}, {_N["json"]}, weekday, opens_minute,
    closes_minute, {_N["bool"]}, {_N["bool"]}, {_N["text"]}, {_N["json"]}, {_N["json"]},
    {_N["date"]}, {_N["date"]}, {_N["stamp"]}
FROM shop_opening_periods WHERE shop_id = :shop_id
UNION ALL
SELECT 'closure', {_N["uuid"]}, {_N["uuid"]}, reason, {_N["int"]}, {_N["int"]}, {_N["int"]},
    {_N["bool"]}, {_N["bool"]}, kind, {_N["json"]}, {_N["json"]}, starts_on, ends_on,
    {_N["stamp"]}
FROM shop_closures WHERE shop_id = :shop_id AND ends_on >= :since
UNION ALL
SELECT 'special', {_N["uuid"]}, {_N["uuid"]}, {_N["json"]}, {_N["int"]}, opens_minute,
    closes_minute, {_N["bool"]}, {_N["bool"]}, {_N["text"]}, {_N["json"]}, {_N["json"]},
    on_date, {_N["date"]}, {_N["stamp"]}
FROM shop_special_openings WHERE shop_id = :shop_id AND on_date >= :since
UNION ALL
SELECT 'listing', id, shop_id, name, price_minor, stock, {_N["int"]}, is_available, sold_out,
    {_N["text"]}, channels, time_windows, {_N["date"]}, {_N["date"]}, deleted_at
FROM listings WHERE id IN :ids
UNION ALL
SELECT 'group', id, listing_id, name, min_choices, max_choices, position, required,
    {_N["bool"]}, {_N["text"]}, {_N["json"]}, {_N["json"]}, {_N["date"]}, {_N["date"]},
    created_at
FROM listing_option_groups WHERE listing_id IN :ids
UNION ALL
SELECT 'option', o.id, o.group_id, o.name, o.price_delta_minor, {_N["int"]}, o.position,
    o.is_available, {_N["bool"]}, {_N["text"]}, {_N["json"]}, {_N["json"]}, {_N["date"]},
    {_N["date"]}, o.created_at
FROM listing_options o JOIN listing_option_groups g ON g.id = o.group_id
WHERE g.listing_id IN :ids
"""  # noqa: S608 (constant text only; every value is a bound parameter)
_SNAPSHOT = (
    sa.text(_SNAPSHOT_SQL)
    .bindparams(
        sa.bindparam("shop_id", type_=_UUID),
        sa.bindparam("since", type_=_DATE),
        sa.bindparam("ids", type_=_UUID, expanding=True),
    )
    .columns(
        kind=sa.String(),
        id=_UUID,
        ref=_UUID,
        name=_JSON,
        n1=sa.Integer(),
        n2=sa.Integer(),
        n3=sa.Integer(),
        f1=sa.Boolean(),
        f2=sa.Boolean(),
        s1=sa.String(),
        j1=_JSON,
        j2=_JSON,
        d1=_DATE,
        d2=_DATE,
        t1=_STAMP,
    )
)
# Executed with plain parameter dicts, so the compiled form is cached and nothing is coerced.
_INSERT_ORDER = sa.insert(Order.__table__)
_INSERT_LINES = sa.insert(OrderLine.__table__)
_INSERT_CHANGE = sa.insert(OrderStatusChange.__table__)
_INSERT_EVENT = sa.insert(OutboxEvent.__table__)


@dataclass(frozen=True, slots=True)
class MenuListing:
    id: uuid.UUID
    shop_id: uuid.UUID
    name: dict[str, str]
    price_minor: int
    stock: int | None
    is_available: bool
    sold_out: bool
    channels: list[str]
    time_windows: list[dict[str, Any]]
    deleted_at: datetime | None


@dataclass(frozen=True, slots=True)
class MenuGroup:
    id: uuid.UUID
    listing_id: uuid.UUID
    name: dict[str, str]
    min_choices: int
    max_choices: int
    position: int
    required: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MenuOption:
    id: uuid.UUID
    group_id: uuid.UUID
    name: dict[str, str]
    price_delta_minor: int
    position: int
    is_available: bool
    created_at: datetime


@dataclass
class PlacementSnapshot:
    shop_status: str | None  # None: no such shop
    schedule: Schedule
    listings: dict[uuid.UUID, MenuListing]
    groups: list[MenuGroup]
    options: list[MenuOption]


class PlacementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def snapshot(
        self, shop_id: uuid.UUID, listing_ids: Sequence[uuid.UUID], since: date
    ) -> PlacementSnapshot:
        """The shop, its schedule from `since` on, and the listings with their options."""
        connection = await self.session.connection()
        result = await connection.execute(
            _SNAPSHOT, {"shop_id": shop_id, "since": since, "ids": list(listing_ids)}
        )
        return _snapshot(result.all())

    async def insert_order(
        self,
        order: dict[str, Any],
        lines: list[dict[str, Any]],
        change: dict[str, Any],
        event: dict[str, Any],
    ) -> None:
        """Number the order (the shop's counter row, locked until commit), then write it, its
        lines, its first status change and its outbox event (`infra.outbox.event_row`, whose
        payload gets the order's `number`); fills in `order["number"]` and `change["seq"]`.

        PostgreSQL does all five in ONE statement (data-modifying CTEs); SQLite, which is
        embedded and has no round trips to save, runs them one after the other.
        """
        connection = await self.session.connection()
        if connection.dialect.name == "postgresql":
            params = {f"o_{key}": value for key, value in order.items() if key != "number"}
            params.update({f"c_{key}": value for key, value in change.items() if key != "seq"})
            for index, line in enumerate(lines):
                params.update({f"l{index}_{key}": value for key, value in line.items()})
            params.update({f"e_{key}": value for key, value in event.items()})
            result = await connection.execute(write_order_statement(len(lines)), params)
            order["number"], change["seq"] = result.one()
            return
        counter = await connection.execute(
            number_upsert("sqlite"), {"shop_id": order["shop_id"], "today": order["business_date"]}
        )
        order["number"], change["seq"] = counter.one()
        await connection.execute(_INSERT_ORDER, order)
        await connection.execute(_INSERT_LINES, lines)
        await connection.execute(_INSERT_CHANGE, change)
        await connection.execute(
            _INSERT_EVENT, {**event, "payload": {**event["payload"], "number": order["number"]}}
        )


def _snapshot(rows: Sequence[sa.Row[Any]]) -> PlacementSnapshot:
    status: str | None = None
    weekly: list[WeeklyPeriod] = []
    closures: list[Closure] = []
    special: list[SpecialPeriod] = []
    listings: dict[uuid.UUID, MenuListing] = {}
    groups: list[MenuGroup] = []
    options: list[MenuOption] = []
    for row in rows:
        kind = row.kind
        if kind == "listing":
            listings[row.id] = MenuListing(
                row.id,
                row.ref,
                row.name,
                row.n1,
                row.n2,
                bool(row.f1),
                bool(row.f2),
                row.j1 or [],
                row.j2 or [],
                row.t1,
            )
        elif kind == "group":
            groups.append(
                MenuGroup(row.id, row.ref, row.name, row.n1, row.n2, row.n3, bool(row.f1), row.t1)
            )
        elif kind == "option":
            options.append(
                MenuOption(row.id, row.ref, row.name, row.n1, row.n3, bool(row.f1), row.t1)
            )
        elif kind == "shop":
            status = row.s1
        elif kind == "period":
            weekly.append(WeeklyPeriod(row.n2, row.n3, row.n1))
        elif kind == "closure":
            closures.append(Closure(row.d1, row.d2, row.s1, dict(row.name or {})))
        elif kind == "special":
            special.append(SpecialPeriod(row.n2, row.n3, row.d1))
    # The display order ListingRepository uses, so problems are named in the same order.
    groups.sort(key=lambda group: (group.position, group.created_at, str(group.id)))
    options.sort(key=lambda option: (option.position, option.created_at, str(option.id)))
    return PlacementSnapshot(
        status,
        Schedule(tuple(weekly), tuple(closures), tuple(special)),
        listings,
        groups,
        options,
    )
