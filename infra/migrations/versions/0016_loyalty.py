"""Loyalty: category and listing bonuses, the cross-street stamp rally, shop redemption limits.

Revision ID: 0016_loyalty
Revises: 0015_programme
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0016_loyalty"
down_revision: str | Sequence[str] | None = "0015_programme"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loyalty_rallies",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("counts", sa.String(length=10), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("bonus_points", sa.BigInteger(), nullable=False),
        sa.Column("starts_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "counts IN ('streets', 'shops')", name=op.f("ck_loyalty_rallies_counts")
        ),
        sa.CheckConstraint(
            "bonus_points > 0 AND bonus_points <= 100000", name=op.f("ck_loyalty_rallies_bonus")
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_loyalty_rallies_dates")),
        sa.CheckConstraint(
            "required >= 2 AND required <= 50", name=op.f("ck_loyalty_rallies_required")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_rallies")),
    )
    op.create_table(
        "loyalty_rally_stamps",
        sa.Column("rally_id", sa.Uuid(), nullable=False),
        sa.Column("wallet_id", sa.Uuid(), nullable=False),
        sa.Column("place_id", sa.Uuid(), nullable=False),
        sa.Column("stamped_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["rally_id"],
            ["loyalty_rallies.id"],
            name=op.f("fk_loyalty_rally_stamps_rally_id_loyalty_rallies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["wallet_id"],
            ["loyalty_wallets.id"],
            name=op.f("fk_loyalty_rally_stamps_wallet_id_loyalty_wallets"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "rally_id", "wallet_id", "place_id", name=op.f("pk_loyalty_rally_stamps")
        ),
    )
    op.create_table(
        "loyalty_shop_limits",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("max_points_per_redemption", sa.BigInteger(), nullable=True),
        sa.Column("max_points_per_day", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "max_points_per_day IS NULL OR max_points_per_day > 0",
            name=op.f("ck_loyalty_shop_limits_per_day_positive"),
        ),
        sa.CheckConstraint(
            "max_points_per_redemption IS NULL OR max_points_per_redemption > 0",
            name=op.f("ck_loyalty_shop_limits_per_redemption_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_loyalty_shop_limits_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_loyalty_shop_limits")),
    )
    op.create_table(
        "loyalty_bonus_rules",
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("listing_id", sa.Uuid(), nullable=True),
        sa.Column("shop_id", sa.Uuid(), nullable=True),
        sa.Column("multiplier_pct", sa.Integer(), nullable=False),
        sa.Column("updated_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(category IS NULL) <> (listing_id IS NULL)",
            name=op.f("ck_loyalty_bonus_rules_category_or_listing"),
        ),
        sa.CheckConstraint(
            "multiplier_pct > 100 AND multiplier_pct <= 1000",
            name=op.f("ck_loyalty_bonus_rules_multiplier"),
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_loyalty_bonus_rules_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_loyalty_bonus_rules_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_bonus_rules")),
        sa.UniqueConstraint("category", name=op.f("uq_loyalty_bonus_rules_category")),
        sa.UniqueConstraint("listing_id", name=op.f("uq_loyalty_bonus_rules_listing_id")),
    )
    op.create_index(
        op.f("ix_loyalty_bonus_rules_shop_id"), "loyalty_bonus_rules", ["shop_id"], unique=False
    )
    op.create_index(
        "ix_loyalty_holds_shop_created_at", "loyalty_holds", ["shop_id", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_loyalty_holds_shop_created_at", table_name="loyalty_holds")
    op.drop_index(op.f("ix_loyalty_bonus_rules_shop_id"), table_name="loyalty_bonus_rules")
    op.drop_table("loyalty_bonus_rules")
    op.drop_table("loyalty_shop_limits")
    op.drop_table("loyalty_rally_stamps")
    op.drop_table("loyalty_rallies")
