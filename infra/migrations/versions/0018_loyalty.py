"""Loyalty: recorded claw-back shortfalls (forgiven points per refund), ended bonus rules.

Revision ID: 0018_loyalty
Revises: 0017_recommender
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0018_loyalty"
down_revision: str | Sequence[str] | None = "0017_recommender"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loyalty_clawback_shortfalls",
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("wallet_id", sa.Uuid(), nullable=False),
        sa.Column("points_forgiven", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "points_forgiven >= 0",
            name=op.f("ck_loyalty_clawback_shortfalls_points_not_negative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_clawback_shortfalls")),
        sa.UniqueConstraint(
            "idempotency_key", name=op.f("uq_loyalty_clawback_shortfalls_idempotency_key")
        ),
    )
    with op.batch_alter_table("loyalty_clawback_shortfalls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_loyalty_clawback_shortfalls_payment_id"), ["payment_id"], unique=False
        )
    with op.batch_alter_table("loyalty_bonus_rules", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ended_at", infra.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("loyalty_bonus_rules", schema=None) as batch_op:
        batch_op.drop_column("ended_at")
    with op.batch_alter_table("loyalty_clawback_shortfalls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loyalty_clawback_shortfalls_payment_id"))
    op.drop_table("loyalty_clawback_shortfalls")
