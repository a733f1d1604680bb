"""Devices, their pairing codes, credentials and inactivity alerts.

No secret is stored: a credential's secret is derived from the server's secret key and the
credential id (see credentials.derive_secret), and pairing codes are kept as hashes.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, one_of, utcnow


class DeviceType(StrEnum):
    kiosk = "kiosk"
    hotspot = "hotspot"
    interactive_display = "interactive_display"
    signage = "signage"
    payment_terminal = "payment_terminal"
    other = "other"


class DeviceStatus(StrEnum):
    provisioned = "provisioned"
    active = "active"
    retired = "retired"


class Device(UUIDPrimaryKey, Base):
    __tablename__ = "device_devices"
    __table_args__ = (
        sa.CheckConstraint(one_of("type", DeviceType), name="type_known"),
        sa.CheckConstraint(one_of("status", DeviceStatus), name="status_known"),
    )

    street_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("streets.id", ondelete="CASCADE"), index=True
    )
    shop_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("shops.id", ondelete="SET NULL"), index=True
    )
    # The device's own account (role device): what orders record as the placer.
    account_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    type: Mapped[str] = mapped_column(sa.String(24))
    name: Mapped[str] = mapped_column(sa.String(100))
    model: Mapped[str | None] = mapped_column(sa.String(100))
    serial: Mapped[str | None] = mapped_column(sa.String(100))
    firmware: Mapped[str | None] = mapped_column(sa.String(50))
    app_version: Mapped[str | None] = mapped_column(sa.String(50))
    location: Mapped[str | None] = mapped_column(sa.String(200))
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    installed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(16), default=DeviceStatus.provisioned.value)
    # Updated by ingestion (at most every 30 s on PostgreSQL; see telemetry.repository).
    last_seen_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DevicePairingCode(UUIDPrimaryKey, Base):
    __tablename__ = "device_pairing_codes"

    device_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("device_devices.id", ondelete="CASCADE"), index=True
    )
    # SHA-256 of the normalised code.
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class DeviceCredential(UUIDPrimaryKey, Base):
    __tablename__ = "device_credentials"

    device_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("device_devices.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set on the old credential when it is rotated: it works until then (the grace period).
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class DeviceAlert(UUIDPrimaryKey, Base):
    """One row per outage: opened when a device falls silent, cleared when it reports again."""

    __tablename__ = "device_alerts"
    __table_args__ = (
        # At most one open alert per device and kind: the "exactly once per outage" backstop.
        sa.Index(
            "uq_device_alerts_open",
            "device_id",
            "kind",
            unique=True,
            sqlite_where=sa.text("cleared_at IS NULL"),
            postgresql_where=sa.text("cleared_at IS NULL"),
        ),
    )

    device_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("device_devices.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16), default="offline")
    last_seen_at: Mapped[datetime | None]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[datetime | None]
