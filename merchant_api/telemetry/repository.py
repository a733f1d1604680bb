"""SQL for telemetry: the bulk insert, hourly rollups, partitions and retention.

Dedupe goes by (device, seq) whatever the device time. The events table's primary key has to
include the partition key (device time) on PostgreSQL, so it cannot enforce that alone: a
resend with another device time would be a new row. Instead each batch takes a per-device
advisory lock (different devices never wait on each other) and inserts only the events whose
seq is not stored yet with a device time inside the window a resend can reach (the accepted
lateness plus a day, up to the clock tolerance ahead): a bounded set of monthly partitions,
probed through the primary key's (device_id, seq) prefix. The lock is taken in a statement of
its own, before the insert, so the insert's snapshot sees every batch of the device that
committed before it; hence the usual insert needs no ON CONFLICT clause (kept as a fallback).

The insert is one statement per batch on PostgreSQL: the validated events travel as one JSON
array into INSERT … SELECT FROM json_array_elements(…) RETURNING seq, which also says which
events were duplicates; the same statement refreshes the device's last-seen time. (Arrays of
values cost three times the Python CPU to encode, and Python CPU is what limits ingestion on
a small machine.)
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import asyncpg
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

# Advisory locks of telemetry: (namespace, 32-bit hash of the device id). A collision of two
# devices only makes them take turns.
_LOCK_NAMESPACE = 0x7E1E
_PG_LOCK = "SELECT pg_advisory_xact_lock($1::int4, $2::int4)"

_PG_INSERT = """
WITH inserted AS (
    INSERT INTO telemetry_events (device_id, seq, device_time, received_at, type, payload)
    SELECT $1::uuid, b.seq, b.device_time, $2::timestamptz, b.type, b.payload
    FROM (
        -- json_to_record reads the three fields in one pass over each event's text (three
        -- ->> would parse it three times).
        SELECT f.seq, f.time AS device_time, f.type, e AS payload
        FROM json_array_elements($3::json) AS e,
            json_to_record(e) AS f(seq bigint, time timestamptz, type text)
    ) AS b
    WHERE NOT EXISTS (
        SELECT FROM telemetry_events AS t
        WHERE t.device_id = $1::uuid AND t.seq = b.seq
            AND t.seq >= $6::bigint AND t.seq <= $7::bigint
            AND t.device_time >= $4::timestamptz AND t.device_time <= $5::timestamptz
    )
    RETURNING seq
), seen AS (
    UPDATE device_devices SET last_seen_at = $2::timestamptz
    WHERE id = $1::uuid AND (last_seen_at IS NULL
        OR last_seen_at < $2::timestamptz - interval '30 seconds')
)
SELECT seq FROM inserted
"""
# With ON CONFLICT DO NOTHING, for a batch inside a caller's transaction (where a unique
# violation would spoil that transaction) and as the fallback should a writer ever skip the
# lock. Without it the usual insert costs PostgreSQL about a sixth less.
_PG_INSERT_GUARDED = _PG_INSERT.replace(
    "    RETURNING seq\n", "    ON CONFLICT DO NOTHING\n    RETURNING seq\n", 1
)


def device_lock_key(device_id: uuid.UUID) -> int:
    """The device's 32-bit advisory-lock key (signed, as int4 wants it)."""
    low = device_id.int & 0xFFFFFFFF
    return low - (1 << 32) if low >= 1 << 31 else low


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

    On PostgreSQL the session runs in autocommit: the repository wraps the device's lock and
    the one insert statement (insert and last-seen together) in a short transaction of its
    own, on the driver's connection, without the ORM's transaction bookkeeping per batch.
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
        window: tuple[datetime, datetime],
        seqs: list[int],
        times: list[datetime],
        types: list[str],
        payloads: list[bytes],
    ) -> set[int]:
        """Insert the events whose seq the device has not stored with a device time inside
        `window` (from, until); the sequence numbers actually inserted."""
        if self.dialect == "postgresql":
            connection = await self.session.connection()
            raw = (await connection.get_raw_connection()).driver_connection
            # The validated events travel as one JSON array text: no per-value encoding in
            # Python; PostgreSQL reads seq, time and type from each event itself.
            events = (b"[" + b",".join(payloads) + b"]").decode()
            # Only stored events inside the batch's seq range can be its duplicates: for the
            # usual batch of new, consecutive events the look-up reads no rows at all.
            seq_range = (min(seqs), max(seqs)) if seqs else (0, -1)
            arguments = (raw, device_id, received_at, window, events, seq_range)
            if raw.is_in_transaction():  # type: ignore[union-attr]
                return await self._insert_locked(_PG_INSERT_GUARDED, *arguments)
            try:
                async with raw.transaction():  # type: ignore[union-attr]
                    return await self._insert_locked(_PG_INSERT, *arguments)
            except asyncpg.UniqueViolationError:
                async with raw.transaction():  # type: ignore[union-attr]
                    return await self._insert_locked(_PG_INSERT_GUARDED, *arguments)
        # SQLite: the session began with BEGIN IMMEDIATE, so this transaction already holds
        # the database's write lock and nothing can slip in between the look-up and the insert.
        await self.session.execute(
            sa.update(Device).where(Device.id == device_id).values(last_seen_at=received_at)
        )
        if not seqs:
            return set()
        e = _EVENTS_AS_TEXT.c
        stored = await self.session.scalars(
            sa.select(e.seq).where(
                e.device_id == device_id,
                e.seq.in_(seqs),
                e.device_time >= window[0],
                e.device_time <= window[1],
            )
        )
        known = set(stored.all())
        values = [
            {"device_id": device_id, "seq": s, "device_time": t, "received_at": received_at,
             "type": ty, "payload": bytes(p).decode()}
            for s, t, ty, p in zip(seqs, times, types, payloads, strict=True)
            if s not in known
        ]  # fmt: skip
        if not values:
            return set()
        statement = sqlite.insert(_EVENTS_AS_TEXT).on_conflict_do_nothing()
        returning = statement.returning(_EVENTS_AS_TEXT.c.seq)
        return set((await self.session.scalars(returning, values)).all())

    @staticmethod
    async def _insert_locked(
        statement: str,
        raw: Any,
        device_id: uuid.UUID,
        received_at: datetime,
        window: tuple[datetime, datetime],
        events: str,
        seq_range: tuple[int, int],
    ) -> set[int]:
        await raw.execute(_PG_LOCK, _LOCK_NAMESPACE, device_lock_key(device_id))
        rows = await raw.fetch(statement, device_id, received_at, events, *window, *seq_range)
        return {row[0] for row in rows}

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
