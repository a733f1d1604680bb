"""Streets, shops, shop members, consultant assignments and listings.

Revision ID: 0003_merchant
Revises: 0002_accounts
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0003_merchant"
down_revision: str | Sequence[str] | None = "0002_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = "'agriculture_produce', 'handicrafts', 'food_and_drink', 'tourism', 'retail'"


def upgrade() -> None:
    op.create_table(
        "streets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("county", sa.String(length=20), nullable=False),
        sa.Column("township", sa.String(length=20), nullable=False),
        sa.Column("digital_level", sa.Integer(), nullable=False),
        sa.Column("is_remote", sa.Boolean(), nullable=False),
        sa.Column("is_outlying_island", sa.Boolean(), nullable=False),
        sa.Column("is_indigenous_area", sa.Boolean(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("programme_year_joined", sa.Integer(), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "digital_level BETWEEN 1 AND 5", name=op.f("ck_streets_digital_level_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_streets")),
        sa.UniqueConstraint("slug", name=op.f("uq_streets_slug")),
    )
    op.create_table(
        "shops",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", infra.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(f"category IN ({CATEGORIES})", name=op.f("ck_shops_category_known")),
        sa.CheckConstraint(
            "status IN ('onboarding', 'active', 'suspended')", name=op.f("ck_shops_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_shops_street_id_streets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shops")),
        sa.UniqueConstraint("slug", name=op.f("uq_shops_slug")),
    )
    op.create_index(op.f("ix_shops_street_id"), "shops", ["street_id"], unique=False)
    op.create_table(
        "shop_members",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("role IN ('owner', 'staff')", name=op.f("ck_shop_members_role_known")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_shop_members_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_shop_members_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shop_members")),
        sa.UniqueConstraint(
            "shop_id", "account_id", name=op.f("uq_shop_members_shop_id_account_id")
        ),
    )
    op.create_index(
        op.f("ix_shop_members_account_id"), "shop_members", ["account_id"], unique=False
    )
    op.create_table(
        "consultant_assignments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=True),
        sa.Column("street_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(shop_id IS NULL AND street_id IS NOT NULL)"
            " OR (shop_id IS NOT NULL AND street_id IS NULL)",
            name=op.f("ck_consultant_assignments_exactly_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_consultant_assignments_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_consultant_assignments_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_consultant_assignments_street_id_streets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultant_assignments")),
        sa.UniqueConstraint(
            "account_id", "shop_id", name=op.f("uq_consultant_assignments_account_id_shop_id")
        ),
        sa.UniqueConstraint(
            "account_id", "street_id", name=op.f("uq_consultant_assignments_account_id_street_id")
        ),
    )
    op.create_index(
        op.f("ix_consultant_assignments_account_id"),
        "consultant_assignments",
        ["account_id"],
        unique=False,
    )
    op.create_table(
        "listings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("is_available", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("price_minor >= 0", name=op.f("ck_listings_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_listings_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listings")),
    )
    op.create_index(op.f("ix_listings_shop_id"), "listings", ["shop_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_listings_shop_id"), table_name="listings")
    op.drop_table("listings")
    op.drop_index(op.f("ix_consultant_assignments_account_id"), table_name="consultant_assignments")
    op.drop_table("consultant_assignments")
    op.drop_index(op.f("ix_shop_members_account_id"), table_name="shop_members")
    op.drop_table("shop_members")
    op.drop_index(op.f("ix_shops_street_id"), table_name="shops")
    op.drop_table("shops")
    op.drop_table("streets")
