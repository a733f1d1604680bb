"""Devices, pairing codes, credentials, alerts; raw telemetry (monthly partitions on
PostgreSQL, in the schema telemetry_partitions) and hourly rollups.

Revision ID: 0013_devices
Revises: 0012_loyalty
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0013_devices"
down_revision: str | Sequence[str] | None = "0012_loyalty"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTITION_SCHEMA = "telemetry_partitions"


def _month(year: int, month: int, shift: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + shift
    return index // 12, index % 12 + 1


def upgrade() -> None:
    op.create_table(
        "device_devices",
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=True),
        sa.Column("serial", sa.String(length=100), nullable=True),
        sa.Column("firmware", sa.String(length=50), nullable=True),
        sa.Column("app_version", sa.String(length=50), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("installed_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("last_seen_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "type IN ('kiosk', 'hotspot', 'interactive_display', 'signage', "
            "'payment_terminal', 'other')",
            name=op.f("ck_device_devices_type_known"),
        ),
        sa.CheckConstraint(
            "status IN ('provisioned', 'active', 'retired')",
            name=op.f("ck_device_devices_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_device_devices_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_device_devices_shop_id_shops"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_device_devices_street_id_streets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_devices")),
        sa.UniqueConstraint("account_id", name=op.f("uq_device_devices_account_id")),
    )
    op.create_index(op.f("ix_device_devices_shop_id"), "device_devices", ["shop_id"])
    op.create_index(op.f("ix_device_devices_street_id"), "device_devices", ["street_id"])

    op.create_table(
        "device_pairing_codes",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("used_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["accounts.id"],
            name=op.f("fk_device_pairing_codes_created_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["device_devices.id"],
            name=op.f("fk_device_pairing_codes_device_id_device_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_pairing_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_device_pairing_codes_code_hash")),
    )
    op.create_index(
        op.f("ix_device_pairing_codes_device_id"), "device_pairing_codes", ["device_id"]
    )

    op.create_table(
        "device_credentials",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["device_devices.id"],
            name=op.f("fk_device_credentials_device_id_device_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_credentials")),
    )
    op.create_index(op.f("ix_device_credentials_device_id"), "device_credentials", ["device_id"])

    op.create_table(
        "device_alerts",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("last_seen_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("opened_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("cleared_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["device_devices.id"],
            name=op.f("fk_device_alerts_device_id_device_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_alerts")),
    )
    op.create_index(op.f("ix_device_alerts_device_id"), "device_alerts", ["device_id"])
    op.create_index(
        "uq_device_alerts_open",
        "device_alerts",
        ["device_id", "kind"],
        unique=True,
        sqlite_where=sa.text("cleared_at IS NULL"),
        postgresql_where=sa.text("cleared_at IS NULL"),
    )

    _create_events_table()

    metric_columns = [
        sa.Column(name, sa.BigInteger(), nullable=False)
        for name in (
            "events",
            "heartbeats",
            "hotspot_sessions",
            "hotspot_clients_peak",
            "bytes_up",
            "bytes_down",
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
    ]
    op.create_table(
        "telemetry_hourly",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("hour", infra.db.UTCDateTime(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=True),
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("device_type", sa.String(length=24), nullable=False),
        *metric_columns,
        sa.Column("computed_at", infra.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["device_devices.id"],
            name=op.f("fk_telemetry_hourly_device_id_device_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_id", "hour", name=op.f("pk_telemetry_hourly")),
    )
    op.create_index("ix_telemetry_hourly_shop_hour", "telemetry_hourly", ["shop_id", "hour"])
    op.create_index("ix_telemetry_hourly_street_hour", "telemetry_hourly", ["street_id", "hour"])


def _create_events_table() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.create_table(
            "telemetry_events",
            sa.Column("device_id", sa.Uuid(), nullable=False),
            sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
            sa.Column("device_time", infra.db.UTCDateTime(), nullable=False),
            sa.Column("received_at", infra.db.UTCDateTime(), nullable=False),
            sa.Column("type", sa.String(length=16), nullable=False),
            sa.Column("payload", sa.JSON(), nullable=False),
            sa.PrimaryKeyConstraint(
                "device_id", "seq", "device_time", name=op.f("pk_telemetry_events")
            ),
        )
        return
    # Declarative partitioning is beyond autogenerate: the parent, a default partition (so a
    # missing month never loses data) and the previous, current and next month.
    op.execute(
        """
        CREATE TABLE telemetry_events (
            device_id UUID NOT NULL,
            seq BIGINT NOT NULL,
            device_time TIMESTAMP WITH TIME ZONE NOT NULL,
            received_at TIMESTAMP WITH TIME ZONE NOT NULL,
            type VARCHAR(16) NOT NULL,
            payload JSON NOT NULL,
            CONSTRAINT pk_telemetry_events PRIMARY KEY (device_id, seq, device_time)
        ) PARTITION BY RANGE (device_time)
        """
    )
    op.execute(f"CREATE SCHEMA IF NOT EXISTS {PARTITION_SCHEMA}")
    op.execute(
        f"CREATE TABLE {PARTITION_SCHEMA}.telemetry_events_default "
        "PARTITION OF telemetry_events DEFAULT"
    )
    now = datetime.now(UTC)
    for shift in (-1, 0, 1):
        year, month = _month(now.year, now.month, shift)
        next_year, next_month = _month(year, month, 1)
        op.execute(
            f"CREATE TABLE {PARTITION_SCHEMA}.telemetry_events_{year:04d}_{month:02d} "
            "PARTITION OF telemetry_events FOR VALUES FROM "
            f"('{year:04d}-{month:02d}-01 00:00:00+00') TO "
            f"('{next_year:04d}-{next_month:02d}-01 00:00:00+00')"
        )


def downgrade() -> None:
    op.drop_table("telemetry_hourly")
    op.drop_table("telemetry_events")  # its partitions go with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP SCHEMA IF EXISTS {PARTITION_SCHEMA} CASCADE")
    op.drop_index("uq_device_alerts_open", table_name="device_alerts")
    op.drop_table("device_alerts")
    op.drop_table("device_credentials")
    op.drop_table("device_pairing_codes")
    op.drop_table("device_devices")
