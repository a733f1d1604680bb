"""The one PostgreSQL statement that numbers an order and writes it with its lines, its
first status change and its `order.placed` outbox event (data-modifying CTEs: one round trip
instead of five). The event's payload gets the order's number added by the statement.

The counter upsert is the same as `repository.number_upsert` (today's number restarts each
Asia/Taipei day; `last_seq` orders the shop's feed); its row lock is held until commit, so the
shop's next order waits for this one. Foreign keys are checked at the end of the statement, so
the lines and the status change may reference the order inserted beside them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from infra.outbox.models import OutboxEvent
from merchant_api.orders.models import Order, OrderLine, OrderStatusChange, ShopOrderCounter

_ORDER = [c for c in Order.__table__.c if c.name != "number"]
_CHANGE = [c for c in OrderStatusChange.__table__.c if c.name != "seq"]
_LINE = list(OrderLine.__table__.c)
_EVENT = [OutboxEvent.__table__.c[name] for name in ("id", "event_type", "payload", "key")]
_EVENT += [OutboxEvent.__table__.c[name] for name in ("created_at", "available_at", "attempts")]


def _params(prefix: str, columns: list[sa.Column[Any]]) -> list[sa.BindParameter[Any]]:
    return [sa.bindparam(f"{prefix}{column.name}", type_=column.type) for column in columns]


@lru_cache(maxsize=128)
def write_order_statement(line_count: int) -> sa.TextClause:
    """Built once per number of lines; typed parameters `o_*`, `c_*`, `e_*` and `l<i>_*`."""
    order_names = ", ".join(c.name for c in _ORDER)
    change_names = ", ".join(c.name for c in _CHANGE)
    line_names = ", ".join(c.name for c in _LINE)
    order_values = ", ".join(f":o_{c.name}" for c in _ORDER)
    change_values = ", ".join(f":c_{c.name}" for c in _CHANGE)
    line_rows = ", ".join(
        "(" + ", ".join(f":l{i}_{c.name}" for c in _LINE) + ")" for i in range(line_count)
    )
    event_names = ", ".join(c.name for c in _EVENT)
    event_values = ", ".join(
        # jsonb: `||` adds the number the counter just gave (the payload is JSON, not JSONB).
        "CAST(CAST(:e_payload AS JSONB) || jsonb_build_object('number', n.last_number) AS JSON)"
        if c.name == "payload"
        else f":e_{c.name}"
        for c in _EVENT
    )
    counters = ShopOrderCounter.__tablename__
    events = OutboxEvent.__tablename__
    sql = f"""
WITH n AS (
    INSERT INTO {counters} AS c (shop_id, business_date, last_number, last_seq)
    VALUES (:o_shop_id, :o_business_date, 1, 1)
    ON CONFLICT (shop_id) DO UPDATE SET
        last_number = CASE WHEN c.business_date = excluded.business_date
            THEN c.last_number + 1 ELSE 1 END,
        business_date = excluded.business_date,
        last_seq = c.last_seq + 1
    RETURNING last_number, last_seq
), o AS (
    INSERT INTO orders ({order_names}, number) SELECT {order_values}, n.last_number FROM n
), ch AS (
    INSERT INTO order_status_changes ({change_names}, seq)
    SELECT {change_values}, n.last_seq FROM n
), l AS (
    INSERT INTO order_lines ({line_names}) VALUES {line_rows}
), ev AS (
    INSERT INTO {events} ({event_names}) SELECT {event_values} FROM n
)
SELECT last_number, last_seq FROM n
"""  # noqa: S608 (names come from our own table definitions; every value is bound)
    binds = _params("o_", _ORDER) + _params("c_", _CHANGE) + _params("e_", _EVENT)
    for index in range(line_count):
        binds += _params(f"l{index}_", _LINE)
    return sa.text(sql).bindparams(*binds)
