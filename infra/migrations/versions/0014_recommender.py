"""Recommender: imported basket lines, versioned model artifacts, advice items.

Revision ID: 0014_recommender
Revises: 0013_devices
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0014_recommender"
down_revision: str | Sequence[str] | None = "0013_devices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rec_imported_lines",
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("customer_ref", sa.String(length=100), nullable=False),
        sa.Column("order_ref", sa.String(length=100), nullable=False),
        sa.Column("ordered_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("item_ref", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("shop_ref", sa.String(length=100), nullable=False),
        sa.Column("imported_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "price_minor >= 0", name=op.f("ck_rec_imported_lines_price_not_negative")
        ),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_rec_imported_lines_quantity_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rec_imported_lines")),
    )
    op.create_index(
        "ix_rec_imported_lines_batch_customer",
        "rec_imported_lines",
        ["batch", "customer_ref", "ordered_at"],
        unique=False,
    )
    op.create_table(
        "rec_model_artifacts",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("metric_name", sa.String(length=40), nullable=False),
        sa.Column("metric_value", sa.Double(), nullable=False),
        sa.Column("higher_is_better", sa.Boolean(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("trained_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('current', 'retired', 'rejected')",
            name=op.f("ck_rec_model_artifacts_status_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rec_model_artifacts")),
        sa.UniqueConstraint(
            "kind", "scope", "version", name=op.f("uq_rec_model_artifacts_kind_scope_version")
        ),
    )
    op.create_table(
        "advice_items",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("expected_value_minor", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("expected_effect", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("chart", sa.JSON(), nullable=True),
        sa.Column("measurement", sa.JSON(), nullable=False),
        sa.Column("measured_effect", sa.JSON(), nullable=True),
        sa.Column("data_from", sa.Date(), nullable=False),
        sa.Column("data_to", sa.Date(), nullable=False),
        sa.Column("consultant_note", sa.String(length=1000), nullable=True),
        sa.Column("reviewed_by_account_id", sa.Uuid(), nullable=True),
        sa.Column("reviewed_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("owner_feedback_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("measured_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'approved', 'rejected', 'done', 'not_useful', 'superseded')",
            name=op.f("ck_advice_items_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_advice_items_reviewed_by_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_advice_items_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advice_items")),
    )
    op.create_index(
        "ix_advice_items_shop_id_status", "advice_items", ["shop_id", "status"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_advice_items_shop_id_status", table_name="advice_items")
    op.drop_table("advice_items")
    op.drop_table("rec_model_artifacts")
    op.drop_index("ix_rec_imported_lines_batch_customer", table_name="rec_imported_lines")
    op.drop_table("rec_imported_lines")
