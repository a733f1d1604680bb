"""Uses of dynamic payment links (the primary key makes each link work once).

Revision ID: 0009_payment_links
Revises: 0008_vouchers_reviews
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0009_payment_links"
down_revision: str | Sequence[str] | None = "0008_vouchers_reviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_link_uses",
        sa.Column("link_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("order_reference", sa.String(length=32), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("used_at", infra.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_payment_link_uses_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("link_id", name=op.f("pk_payment_link_uses")),
    )
    op.create_index(
        op.f("ix_payment_link_uses_shop_id"), "payment_link_uses", ["shop_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_payment_link_uses_shop_id"), table_name="payment_link_uses")
    op.drop_table("payment_link_uses")
