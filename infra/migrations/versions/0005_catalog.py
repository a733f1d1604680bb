"""The catalogue in depth: categories, option groups and options, photos, stock, channels,
time windows and tags on listings.

Revision ID: 0005_catalog
Revises: 0004_shop_details
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0005_catalog"
down_revision: str | Sequence[str] | None = "0004_shop_details"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL_CHANNELS = '\'["counter", "table_qr", "kiosk", "online_pickup"]\''


def upgrade() -> None:
    op.create_table(
        "listing_categories",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_listing_categories_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_categories")),
    )
    op.create_index(
        op.f("ix_listing_categories_shop_id"), "listing_categories", ["shop_id"], unique=False
    )
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("sold_out", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("stock", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("channels", sa.JSON(), server_default=sa.text(ALL_CHANNELS), nullable=False)
        )
        batch_op.add_column(
            sa.Column("time_windows", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("tags", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.add_column(sa.Column("updated_at", infra.db.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_listings_category_id"), ["category_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_listings_category_id_listing_categories"),
            "listing_categories",
            ["category_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_listings_price_capped"), "price_minor <= 100000000"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_listings_stock_not_negative"), "stock IS NULL OR stock >= 0"
        )
    op.create_table(
        "listing_option_groups",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("listing_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("min_choices", sa.Integer(), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "min_choices >= 0", name=op.f("ck_listing_option_groups_min_not_negative")
        ),
        sa.CheckConstraint(
            "max_choices >= 1 AND max_choices >= min_choices",
            name=op.f("ck_listing_option_groups_max_sane"),
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_listing_option_groups_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_option_groups")),
    )
    op.create_index(
        op.f("ix_listing_option_groups_listing_id"),
        "listing_option_groups",
        ["listing_id"],
        unique=False,
    )
    op.create_table(
        "listing_options",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("price_delta_minor", sa.Integer(), nullable=False),
        sa.Column("is_available", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["listing_option_groups.id"],
            name=op.f("fk_listing_options_group_id_listing_option_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_options")),
    )
    op.create_index(
        op.f("ix_listing_options_group_id"), "listing_options", ["group_id"], unique=False
    )
    op.create_table(
        "listing_photos",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("listing_id", sa.Uuid(), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_listing_photos_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_photos")),
    )
    op.create_index(
        op.f("ix_listing_photos_listing_id"), "listing_photos", ["listing_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_listing_photos_listing_id"), table_name="listing_photos")
    op.drop_table("listing_photos")
    op.drop_index(op.f("ix_listing_options_group_id"), table_name="listing_options")
    op.drop_table("listing_options")
    op.drop_index(op.f("ix_listing_option_groups_listing_id"), table_name="listing_option_groups")
    op.drop_table("listing_option_groups")
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_listings_stock_not_negative"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_listings_price_capped"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_listings_category_id_listing_categories"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_listings_category_id"))
        for column in (
            "updated_at",
            "position",
            "tags",
            "time_windows",
            "channels",
            "stock",
            "sold_out",
            "category_id",
        ):
            batch_op.drop_column(column)
    op.drop_index(op.f("ix_listing_categories_shop_id"), table_name="listing_categories")
    op.drop_table("listing_categories")
