"""O2O vouchers (offers and bought vouchers) and reviews of completed orders.

Revision ID: 0008_vouchers_reviews
Revises: 0007_search
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0008_vouchers_reviews"
down_revision: str | Sequence[str] | None = "0007_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "voucher_offers",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("face_value_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("valid_from", infra.db.UTCDateTime(), nullable=False),
        sa.Column("valid_until", infra.db.UTCDateTime(), nullable=False),
        sa.Column("quantity_limit", sa.Integer(), nullable=True),
        sa.Column("per_consumer_limit", sa.Integer(), nullable=True),
        sa.Column("sold_count", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "face_value_minor <= 10000000", name=op.f("ck_voucher_offers_face_value_capped")
        ),
        sa.CheckConstraint(
            "per_consumer_limit IS NULL OR per_consumer_limit >= 1",
            name=op.f("ck_voucher_offers_per_consumer_limit_positive"),
        ),
        sa.CheckConstraint(
            "price_minor <= face_value_minor",
            name=op.f("ck_voucher_offers_price_within_face_value"),
        ),
        sa.CheckConstraint("price_minor > 0", name=op.f("ck_voucher_offers_price_positive")),
        sa.CheckConstraint(
            "quantity_limit IS NULL OR quantity_limit >= 1",
            name=op.f("ck_voucher_offers_quantity_limit_positive"),
        ),
        sa.CheckConstraint(
            "sold_count >= 0 AND (quantity_limit IS NULL OR sold_count <= quantity_limit)",
            name=op.f("ck_voucher_offers_sold_within_limit"),
        ),
        sa.CheckConstraint("valid_until > valid_from", name=op.f("ck_voucher_offers_valid_window")),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_voucher_offers_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher_offers")),
    )
    with op.batch_alter_table("voucher_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voucher_offers_shop_id"), ["shop_id"], unique=False)

    op.create_table(
        "reviews",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("consumer_account_id", sa.Uuid(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=True),
        sa.Column("reply", sa.String(length=1000), nullable=True),
        sa.Column("reply_account_id", sa.Uuid(), nullable=True),
        sa.Column("replied_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("reply_edited_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_reviews_rating_range")),
        sa.ForeignKeyConstraint(
            ["consumer_account_id"],
            ["accounts.id"],
            name=op.f("fk_reviews_consumer_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_reviews_order_id_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reply_account_id"],
            ["accounts.id"],
            name=op.f("fk_reviews_reply_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_reviews_shop_id_shops"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("order_id", name=op.f("uq_reviews_order_id")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reviews_shop_id_created_at", ["shop_id", "created_at"], unique=False
        )

    op.create_table(
        "vouchers",
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("consumer_account_id", sa.Uuid(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("face_value_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("valid_from", infra.db.UTCDateTime(), nullable=False),
        sa.Column("valid_until", infra.db.UTCDateTime(), nullable=False),
        sa.Column("purchased_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("activated_by_event_id", sa.Uuid(), nullable=True),
        sa.Column("activated_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("redeemed_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("redeemed_by_account_id", sa.Uuid(), nullable=True),
        sa.Column("refund_requested_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("refund_requested_by", sa.String(length=16), nullable=True),
        sa.Column("refunded_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("updated_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status <> 'redeemed' OR redeemed_at IS NOT NULL",
            name=op.f("ck_vouchers_redeemed_has_time"),
        ),
        sa.CheckConstraint(
            "status IN ('pending_payment', 'active', 'redeemed', 'refund_requested', 'refunded')",
            name=op.f("ck_vouchers_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["consumer_account_id"],
            ["accounts.id"],
            name=op.f("fk_vouchers_consumer_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["voucher_offers.id"],
            name=op.f("fk_vouchers_offer_id_voucher_offers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["redeemed_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_vouchers_redeemed_by_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_vouchers_shop_id_shops"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vouchers")),
        sa.UniqueConstraint(
            "activated_by_event_id", name=op.f("uq_vouchers_activated_by_event_id")
        ),
        sa.UniqueConstraint("code", name=op.f("uq_vouchers_code")),
    )
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vouchers_consumer_account_id_purchased_at",
            ["consumer_account_id", "purchased_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_vouchers_offer_id_consumer_account_id",
            ["offer_id", "consumer_account_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_vouchers_shop_id_purchased_at", ["shop_id", "purchased_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.drop_index("ix_vouchers_shop_id_purchased_at")
        batch_op.drop_index("ix_vouchers_offer_id_consumer_account_id")
        batch_op.drop_index("ix_vouchers_consumer_account_id_purchased_at")

    op.drop_table("vouchers")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_shop_id_created_at")

    op.drop_table("reviews")
    with op.batch_alter_table("voucher_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voucher_offers_shop_id"))

    op.drop_table("voucher_offers")
