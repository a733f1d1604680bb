"""Recommender: open data by county and day (weather, tourism counts), imported from CSV.

Revision ID: 0017_recommender
Revises: 0016_loyalty
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0017_recommender"
down_revision: str | Sequence[str] | None = "0016_loyalty"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rec_open_data",
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("county", sa.String(length=20), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("imported_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rec_open_data")),
    )
    op.create_index("ix_rec_open_data_day_county", "rec_open_data", ["day", "county"])


def downgrade() -> None:
    op.drop_index("ix_rec_open_data_day_county", table_name="rec_open_data")
    op.drop_table("rec_open_data")
