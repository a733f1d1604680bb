"""Orders from every channel, their lines, status history and per-shop counters.

Revision ID: 0006_orders
Revises: 0005_catalog
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0006_orders"
down_revision: str | Sequence[str] | None = "0005_catalog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("table_label", sa.String(length=20), nullable=True),
        sa.Column("pickup_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("notes", sa.String(length=500), nullable=True),
        sa.Column("consumer_account_id", sa.Uuid(), nullable=True),
        sa.Column("placed_by_account_id", sa.Uuid(), nullable=True),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("total_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("paid_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("placed_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "channel IN ('counter', 'table_qr', 'kiosk', 'online_pickup')",
            name=op.f("ck_orders_channel_known"),
        ),
        sa.CheckConstraint(
            "status IN ('placed', 'accepted', 'preparing', 'ready', 'completed', 'cancelled', 'refunded')",
            name=op.f("ck_orders_status_known"),
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_orders_number_positive")),
        sa.CheckConstraint("total_minor >= 0", name=op.f("ck_orders_total_not_negative")),
        sa.ForeignKeyConstraint(
            ["consumer_account_id"],
            ["accounts.id"],
            name=op.f("fk_orders_consumer_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["placed_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_orders_placed_by_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_orders_shop_id_shops"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint(
            "shop_id",
            "business_date",
            "number",
            name=op.f("uq_orders_shop_id_business_date_number"),
        ),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_orders_consumer_account_id_placed_at",
            ["consumer_account_id", "placed_at"],
            unique=False,
        )
        batch_op.create_index("ix_orders_shop_id_placed_at", ["shop_id", "placed_at"], unique=False)

    op.create_table(
        "shop_order_counters",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_shop_order_counters_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_shop_order_counters")),
    )
    op.create_table(
        "order_status_changes",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("actor_account_id", sa.Uuid(), nullable=True),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "to_status IN ('placed', 'accepted', 'preparing', 'ready', 'completed', 'cancelled', 'refunded')",
            name=op.f("ck_order_status_changes_to_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_account_id"],
            ["accounts.id"],
            name=op.f("fk_order_status_changes_actor_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_status_changes_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_order_status_changes_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_status_changes")),
        sa.UniqueConstraint("shop_id", "seq", name=op.f("uq_order_status_changes_shop_id_seq")),
    )
    with op.batch_alter_table("order_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_order_status_changes_order_id_at", ["order_id", "at"], unique=False
        )

    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("unit_price_minor", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("line_total_minor", sa.Integer(), nullable=False),
        sa.Column("stock_reserved", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_order_lines_quantity_positive")),
        sa.CheckConstraint(
            "unit_price_minor >= 0", name=op.f("ck_order_lines_unit_price_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_order_lines_listing_id_listings"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_lines_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_lines")),
        sa.UniqueConstraint("order_id", "position", name=op.f("uq_order_lines_order_id_position")),
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_lines_listing_id"), ["listing_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_lines_listing_id"))

    op.drop_table("order_lines")
    with op.batch_alter_table("order_status_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_order_status_changes_order_id_at")

    op.drop_table("order_status_changes")
    op.drop_table("shop_order_counters")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_shop_id_placed_at")
        batch_op.drop_index("ix_orders_consumer_account_id_placed_at")

    op.drop_table("orders")
