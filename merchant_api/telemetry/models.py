"""Raw telemetry events (append-only) and their hourly rollups per device.

On PostgreSQL `telemetry_events` is partitioned by month of device time; its partitions live
in the schema `telemetry_partitions` (created ahead by a task), so they stay out of the way
of the model-versus-migration comparison. The primary key includes the partition key, as
PostgreSQL requires, so it cannot say on its own that (device, seq) is unique: the ingestion
insert enforces that (see merchant_api.telemetry.repository), whatever device time a resend
carries.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, utcnow

PARTITION_SCHEMA = "telemetry_partitions"


class TelemetryEvent(Base):
    __tablename__ = "telemetry_events"

    device_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    # The device's clock: what rollups and partitions go by.
    device_time: Mapped[datetime] = mapped_column(primary_key=True)
    received_at: Mapped[datetime]
    type: Mapped[str] = mapped_column(sa.String(16))
    # The event exactly as validated (JSON, not JSONB: cheaper to write, read only by rollups).
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


class TelemetryHourly(Base):
    """One row per device and hour; shop and street figures are sums over these rows."""

    __tablename__ = "telemetry_hourly"
    __table_args__ = (
        sa.Index("ix_telemetry_hourly_shop_hour", "shop_id", "hour"),
        sa.Index("ix_telemetry_hourly_street_hour", "street_id", "hour"),
    )

    device_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("device_devices.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    shop_id: Mapped[uuid.UUID | None]
    street_id: Mapped[uuid.UUID]
    device_type: Mapped[str] = mapped_column(sa.String(24))
    events: Mapped[int] = mapped_column(sa.BigInteger)
    heartbeats: Mapped[int] = mapped_column(sa.BigInteger)
    hotspot_sessions: Mapped[int] = mapped_column(sa.BigInteger)
    hotspot_clients_peak: Mapped[int] = mapped_column(sa.BigInteger)
    bytes_up: Mapped[int] = mapped_column(sa.BigInteger)
    bytes_down: Mapped[int] = mapped_column(sa.BigInteger)
    touches: Mapped[int] = mapped_column(sa.BigInteger)
    scans: Mapped[int] = mapped_column(sa.BigInteger)
    dwell_seconds: Mapped[int] = mapped_column(sa.BigInteger)
    ar_try_ons: Mapped[int] = mapped_column(sa.BigInteger)
    menu_views: Mapped[int] = mapped_column(sa.BigInteger)
    carts_started: Mapped[int] = mapped_column(sa.BigInteger)
    carts_abandoned: Mapped[int] = mapped_column(sa.BigInteger)
    kiosk_orders: Mapped[int] = mapped_column(sa.BigInteger)
    pos_sales: Mapped[int] = mapped_column(sa.BigInteger)
    pos_sales_minor: Mapped[int] = mapped_column(sa.BigInteger)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


# (rollup column, event type, payload field, aggregate): what the rollup sums.
METRICS: tuple[tuple[str, str, str, str], ...] = (
    ("hotspot_sessions", "hotspot", "new_sessions", "sum"),
    ("hotspot_clients_peak", "hotspot", "connected_clients", "max"),
    ("bytes_up", "hotspot", "bytes_up", "sum"),
    ("bytes_down", "hotspot", "bytes_down", "sum"),
    ("touches", "interaction", "touches", "sum"),
    ("scans", "interaction", "scans", "sum"),
    ("dwell_seconds", "interaction", "dwell_seconds", "sum"),
    ("ar_try_ons", "interaction", "ar_try_ons", "sum"),
    ("menu_views", "kiosk", "menu_views", "sum"),
    ("carts_started", "kiosk", "carts_started", "sum"),
    ("carts_abandoned", "kiosk", "carts_abandoned", "sum"),
    ("kiosk_orders", "kiosk", "orders_placed", "sum"),
    ("pos_sales_minor", "sale", "amount_minor", "sum"),
)
