"""SQL for telemetry: the bulk insert, hourly rollups, partitions and retention.

The insert is one statement per batch on PostgreSQL: the validated events travel as one JSON
array into INSERT … SELECT FROM json_array_elements(…) ON CONFLICT DO NOTHING RETURNING seq,
which also says which events were duplicates; the same statement refreshes the device's
last-seen time. (Arrays of values cost three times the Python CPU to encode, and Python CPU is
what limits ingestion on a small machine.)
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from merchant_api.devices.models import Device
from merchant_api.telemetry.models import (
    METRICS,
    PARTITION_SCHEMA,
    TelemetryEvent,
    TelemetryHourly,
)

# last_seen_at is written at most every 30 s per device (PostgreSQL): enough for 15-minute
# inactivity alerts, and it spares a row update per request.

_PG_INSERT = """
WITH inserted AS (
    INSERT INTO telemetry_events (device_id, seq, device_time, received_at, type, payload)
    SELECT $1::uuid, (e->>'seq')::bigint, (e->>'time')::timestamptz, $2::timestamptz,
        e->>'type', e
    FROM json_array_elements($3::json) AS e
    ON CONFLICT DO NOTHING
    RETURNING seq
), seen AS (
    UPDATE device_devices SET last_seen_at = $2::timestamptz
    WHERE id = $1::uuid AND (last_seen_at IS NULL
        OR last_seen_at < $2::timestamptz - interval '30 seconds')
)
SELECT seq FROM inserted
"""

# The events table with its JSON payload as text: the validated bytes go in as they are,
# without a decode and re-encode per event (SQLite stores JSON as text anyway).
_EVENTS_AS_TEXT = sa.table(
    "telemetry_events",
    sa.column("device_id", sa.Uuid()),
    sa.column("seq", sa.BigInteger()),
    sa.column("device_time", TelemetryEvent.device_time.type),
    sa.column("received_at", TelemetryEvent.received_at.type),
    sa.column("type", sa.String()),
    sa.column("payload", sa.Text()),
)


def hour_of(column: Any, dialect: str) -> Any:
    """The UTC hour a timestamp falls in, as the database writes timestamps."""
    if dialect == "postgresql":
        return sa.func.date_trunc("hour", sa.func.timezone("UTC", column)).op("AT TIME ZONE")(
            sa.literal_column("'UTC'")
        )
    return sa.func.strftime("%Y-%m-%d %H:00:00.000000", column)


@asynccontextmanager
async def ingest_session(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[AsyncSession]:
    """The session one batch is stored in, committed when the block ends without error.

    On PostgreSQL the batch is a single statement (insert and last-seen together), atomic on
    its own, so the session runs in autocommit: no BEGIN and COMMIT round trips per batch.
    """
    if engine.dialect.name != "postgresql":
        async with sessions() as session:
            yield session
            await session.commit()
        return
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        async with AsyncSession(bind=autocommit, expire_on_commit=False) as session:
            yield session


class TelemetryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.dialect = session.bind.dialect.name  # type: ignore[union-attr]

    async def insert_events(
        self,
        device_id: uuid.UUID,
        received_at: datetime,
        seqs: list[int],
        times: list[datetime],
        types: list[str],
        payloads: list[bytes],
    ) -> set[int]:
        """Insert what is new; the sequence numbers actually inserted."""
        if self.dialect == "postgresql":
            connection = await self.session.connection()
            raw = (await connection.get_raw_connection()).driver_connection
            # The validated events travel as one JSON array text: no per-value encoding in
            # Python; PostgreSQL reads seq, time and type from each event itself.
            events = (b"[" + b",".join(payloads) + b"]").decode()
            rows = await raw.fetch(_PG_INSERT, device_id, received_at, events)  # type: ignore[union-attr]
            return {row[0] for row in rows}
        inserted: set[int] = set()
        if seqs:
            values = [
                {"device_id": device_id, "seq": s, "device_time": t, "received_at": received_at,
                 "type": ty, "payload": bytes(p).decode()}
                for s, t, ty, p in zip(seqs, times, types, payloads, strict=True)
            ]  # fmt: skip
            statement = sqlite.insert(_EVENTS_AS_TEXT).on_conflict_do_nothing()
            returning = statement.returning(_EVENTS_AS_TEXT.c.seq)
            inserted = set((await self.session.scalars(returning, values)).all())
        await self.session.execute(
            sa.update(Device).where(Device.id == device_id).values(last_seen_at=received_at)
        )
        return inserted

    # -- rollups ----------------------------------------------------------------------------
    async def recompute_hours(self, start: datetime, end: datetime) -> int:
        """Replace the rollups of [start, end) from the raw events: safe to run any number of
        times, and for any past period whose raw events are still kept."""
        await self.session.execute(
            sa.delete(TelemetryHourly).where(
                TelemetryHourly.hour >= start, TelemetryHourly.hour < end
            )
        )
        e, d = TelemetryEvent, Device
        hour = sa.type_coerce(hour_of(e.device_time, self.dialect), TelemetryHourly.hour.type)
        columns: list[Any] = [
            e.device_id,
            hour,
            d.shop_id,
            d.street_id,
            d.type,
            sa.func.count(),
            sa.func.sum(sa.case((e.type == "heartbeat", 1), else_=0)),
        ]
        names = ["device_id", "hour", "shop_id", "street_id", "device_type", "events", "heartbeats"]
        for name, event_type, key, aggregate in METRICS:
            value = sa.cast(e.payload[key].as_string(), sa.BigInteger)
            picked = sa.case((e.type == event_type, value), else_=0)
            columns.append(sa.func.coalesce(getattr(sa.func, aggregate)(picked), 0))
            names.append(name)
        columns.append(sa.func.sum(sa.case((e.type == "sale", 1), else_=0)))
        names.append("pos_sales")
        columns.append(sa.literal(datetime.now().astimezone(), TelemetryHourly.computed_at.type))
        names.append("computed_at")
        select = (
            sa.select(*columns)
            .join(d, d.id == e.device_id)
            .where(e.device_time >= start, e.device_time < end)
            .group_by(e.device_id, hour, d.shop_id, d.street_id, d.type)
        )
        result = await self.session.execute(sa.insert(TelemetryHourly).from_select(names, select))
        return result.rowcount or 0  # type: ignore[attr-defined]

    async def shop_hours(
        self, shop_id: uuid.UUID, start: datetime, end: datetime
    ) -> Sequence[sa.Row[Any]]:
        h = TelemetryHourly
        sums = [sa.func.sum(getattr(h, name)).label(name) for name in _SHOP_SUMS]
        query = (
            sa.select(h.hour, *sums)
            .where(h.shop_id == shop_id, h.hour >= start, h.hour < end)
            .group_by(h.hour)
            .order_by(h.hour)
        )
        return (await self.session.execute(query)).all()

    async def street_hours(
        self, street_id: uuid.UUID, start: datetime, end: datetime
    ) -> Sequence[sa.Row[Any]]:
        h = TelemetryHourly
        sums = [sa.func.sum(getattr(h, name)).label(name) for name in _SHOP_SUMS]
        query = (
            sa.select(h.hour, *sums)
            .where(h.street_id == street_id, h.hour >= start, h.hour < end)
            .group_by(h.hour)
            .order_by(h.hour)
        )
        return (await self.session.execute(query)).all()

    async def shop_order_hours(
        self, shop_id: uuid.UUID, start: datetime, end: datetime
    ) -> Sequence[sa.Row[Any]]:
        """(hour, orders, order value, paid orders, paid value) from the orders table."""
        orders = sa.table(
            "orders",
            sa.column("shop_id", sa.Uuid()),
            sa.column("placed_at", TelemetryHourly.hour.type),
            sa.column("paid_at"),
            sa.column("total_minor", sa.BigInteger()),
            sa.column("status"),
        )
        hour = sa.type_coerce(hour_of(orders.c.placed_at, self.dialect), TelemetryHourly.hour.type)
        paid = orders.c.paid_at.is_not(None)
        query = (
            sa.select(
                hour.label("hour"),
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(orders.c.total_minor), 0),
                sa.func.sum(sa.case((paid, 1), else_=0)),
                sa.func.coalesce(sa.func.sum(sa.case((paid, orders.c.total_minor), else_=0)), 0),
            )
            .where(
                orders.c.shop_id == shop_id,
                orders.c.placed_at >= start,
                orders.c.placed_at < end,
                orders.c.status != "cancelled",
            )
            .group_by(hour)
        )
        return (await self.session.execute(query)).all()

    # -- for the programme KPIs -------------------------------------------------------------
    async def sessions_per_day(
        self, start: datetime, end: datetime, street_id: uuid.UUID | None = None
    ) -> Sequence[sa.Row[Any]]:
        """(device_type, hour, hotspot sessions, kiosk orders, interactions) summed per hour;
        the KPI work groups these by day in Asia/Taipei."""
        h = TelemetryHourly
        query = (
            sa.select(
                h.device_type,
                h.hour,
                sa.func.sum(h.hotspot_sessions),
                sa.func.sum(h.menu_views),
                sa.func.sum(h.touches + h.scans),
            )
            .where(h.hour >= start, h.hour < end)
            .group_by(h.device_type, h.hour)
            .order_by(h.hour)
        )
        if street_id is not None:
            query = query.where(h.street_id == street_id)
        return (await self.session.execute(query)).all()

    # -- retention and partitions -----------------------------------------------------------
    async def delete_raw_before(self, cutoff: datetime) -> int:
        result = await self.session.execute(
            sa.delete(TelemetryEvent).where(TelemetryEvent.device_time < cutoff)
        )
        return result.rowcount or 0  # type: ignore[attr-defined]

    async def execute_ddl(self, statement: str) -> None:
        await self.session.execute(sa.text(statement))

    async def default_partition_has(self, start: datetime, end: datetime) -> bool:
        found = await self.session.scalar(
            sa.text(
                f"SELECT 1 FROM {PARTITION_SCHEMA}.telemetry_events_default "  # noqa: S608
                "WHERE device_time >= :start AND device_time < :end LIMIT 1"
            ),
            {"start": start, "end": end},
        )
        return found is not None

    async def partition_names(self, schema: str) -> list[str]:
        rows = await self.session.scalars(
            sa.text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE i.inhparent = 'telemetry_events'::regclass AND n.nspname = :schema"
            ),
            {"schema": schema},
        )
        return list(rows.all())


_SHOP_SUMS = (
    "events",
    "hotspot_sessions",
    "hotspot_clients_peak",
    "touches",
    "scans",
    "dwell_seconds",
    "ar_try_ons",
    "menu_views",
    "carts_started",
    "carts_abandoned",
    "kiosk_orders",
    "pos_sales",
    "pos_sales_minor",
)
