"""Shop details: opening hours, closures, special openings, payment methods, staff
languages, contact, status history, invitations; street hotspots.

Revision ID: 0004_shop_details
Revises: 0004_idempotency
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0004_shop_details"
down_revision: str | Sequence[str] | None = "0004_idempotency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "street_hotspots",
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("ssid", sa.String(length=32), nullable=False),
        sa.Column("location", sa.JSON(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("installed_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'active', 'faulty', 'retired')",
            name=op.f("ck_street_hotspots_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_street_hotspots_street_id_streets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_street_hotspots")),
    )
    with op.batch_alter_table("street_hotspots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_street_hotspots_street_id"), ["street_id"], unique=False
        )

    op.create_table(
        "shop_closures",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('holiday', 'temporary')", name=op.f("ck_shop_closures_kind_known")
        ),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_shop_closures_dates_in_order")),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["accounts.id"],
            name=op.f("fk_shop_closures_created_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_shop_closures_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shop_closures")),
    )
    with op.batch_alter_table("shop_closures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shop_closures_shop_id_ends_on", ["shop_id", "ends_on"], unique=False
        )

    op.create_table(
        "shop_invitations",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("accepted_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("accepted_by", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "role IN ('owner', 'staff')", name=op.f("ck_shop_invitations_role_known")
        ),
        sa.CheckConstraint(
            "email IS NOT NULL OR phone IS NOT NULL", name=op.f("ck_shop_invitations_has_address")
        ),
        sa.ForeignKeyConstraint(
            ["accepted_by"],
            ["accounts.id"],
            name=op.f("fk_shop_invitations_accepted_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by"],
            ["accounts.id"],
            name=op.f("fk_shop_invitations_invited_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_shop_invitations_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shop_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_shop_invitations_token_hash")),
    )
    with op.batch_alter_table("shop_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shop_invitations_shop_id"), ["shop_id"], unique=False)

    op.create_table(
        "shop_opening_periods",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("opens_minute", sa.Integer(), nullable=False),
        sa.Column("closes_minute", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "opens_minute BETWEEN 0 AND 1439 AND closes_minute BETWEEN 0 AND 1440 AND opens_minute <> closes_minute",
            name=op.f("ck_shop_opening_periods_minutes_range"),
        ),
        sa.CheckConstraint(
            "weekday BETWEEN 0 AND 6", name=op.f("ck_shop_opening_periods_weekday_range")
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_shop_opening_periods_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shop_opening_periods")),
    )
    with op.batch_alter_table("shop_opening_periods", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shop_opening_periods_shop_id_weekday", ["shop_id", "weekday"], unique=False
        )

    op.create_table(
        "shop_payment_methods",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.CheckConstraint(
            "method IN ('cash', 'card', 'apple_google_pay', 'twqr', 'line_pay', 'jkopay', 'vietqr', 'promptpay', 'qris', 'points')",
            name=op.f("ck_shop_payment_methods_method_known"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_shop_payment_methods_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shop_id", "method", name=op.f("pk_shop_payment_methods")),
    )
    with op.batch_alter_table("shop_payment_methods", schema=None) as batch_op:
        batch_op.create_index("ix_shop_payment_methods_method", ["method"], unique=False)

    op.create_table(
        "shop_special_openings",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("opens_minute", sa.Integer(), nullable=False),
        sa.Column("closes_minute", sa.Integer(), nullable=False),
        sa.Column("note", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "opens_minute BETWEEN 0 AND 1439 AND closes_minute BETWEEN 0 AND 1440 AND opens_minute <> closes_minute",
            name=op.f("ck_shop_special_openings_minutes_range"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_shop_special_openings_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shop_special_openings")),
    )
    with op.batch_alter_table("shop_special_openings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shop_special_openings_shop_id_on_date", ["shop_id", "on_date"], unique=False
        )

    op.create_table(
        "shop_staff_languages",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_shop_staff_languages_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shop_id", "language", name=op.f("pk_shop_staff_languages")),
    )
    with op.batch_alter_table("shop_staff_languages", schema=None) as batch_op:
        batch_op.create_index("ix_shop_staff_languages_language", ["language"], unique=False)

    op.create_table(
        "shop_status_changes",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("changed_by", sa.Uuid(), nullable=True),
        sa.Column("changed_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "from_status IN ('onboarding', 'active', 'suspended')",
            name=op.f("ck_shop_status_changes_from_status_known"),
        ),
        sa.CheckConstraint(
            "to_status IN ('onboarding', 'active', 'suspended')",
            name=op.f("ck_shop_status_changes_to_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["changed_by"],
            ["accounts.id"],
            name=op.f("fk_shop_status_changes_changed_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_shop_status_changes_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shop_status_changes")),
    )
    with op.batch_alter_table("shop_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shop_status_changes_shop_id"), ["shop_id"], unique=False
        )

    with op.batch_alter_table("shops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("line_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("website", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shops", schema=None) as batch_op:
        batch_op.drop_column("website")
        batch_op.drop_column("line_id")
        batch_op.drop_column("contact_email")
    op.drop_index(op.f("ix_shop_status_changes_shop_id"), table_name="shop_status_changes")
    op.drop_table("shop_status_changes")
    op.drop_index("ix_shop_staff_languages_language", table_name="shop_staff_languages")
    op.drop_table("shop_staff_languages")
    op.drop_index("ix_shop_special_openings_shop_id_on_date", table_name="shop_special_openings")
    op.drop_table("shop_special_openings")
    op.drop_index("ix_shop_payment_methods_method", table_name="shop_payment_methods")
    op.drop_table("shop_payment_methods")
    op.drop_index("ix_shop_opening_periods_shop_id_weekday", table_name="shop_opening_periods")
    op.drop_table("shop_opening_periods")
    op.drop_index(op.f("ix_shop_invitations_shop_id"), table_name="shop_invitations")
    op.drop_table("shop_invitations")
    op.drop_index("ix_shop_closures_shop_id_ends_on", table_name="shop_closures")
    op.drop_table("shop_closures")
    op.drop_index(op.f("ix_street_hotspots_street_id"), table_name="street_hotspots")
    op.drop_table("street_hotspots")
