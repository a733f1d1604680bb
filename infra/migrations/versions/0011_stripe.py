"""Each shop's Stripe connected account (Connect), at most one per shop.

Revision ID: 0011_stripe
Revises: 0010_payment_intents
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0011_stripe"
down_revision: str | Sequence[str] | None = "0010_payment_intents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stripe_shop_accounts",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_stripe_shop_accounts_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_stripe_shop_accounts")),
        sa.UniqueConstraint("account_id", name=op.f("uq_stripe_shop_accounts_account_id")),
    )


def downgrade() -> None:
    op.drop_table("stripe_shop_accounts")
