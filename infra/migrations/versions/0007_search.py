"""Search documents for shops and listings; sort indexes for listing search.

On PostgreSQL the documents' n-gram arrays get GIN indexes (see
merchant_api.discovery.normalise for why n-grams and not pg_trgm).

Revision ID: 0007_search
Revises: 0006_orders
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007_search"
down_revision: str | Sequence[str] | None = "0006_orders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRAMS = sa.Text().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")


def _document_table(name: str, key: str, parent: str) -> None:
    op.create_table(
        name,
        sa.Column(key, sa.Uuid(), nullable=False),
        sa.Column("name_text", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("grams", GRAMS, nullable=True),
        sa.Column("name_grams", GRAMS, nullable=True),
        sa.ForeignKeyConstraint(
            [key], [f"{parent}.id"], name=op.f(f"fk_{name}_{key}_{parent}"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(key, name=op.f(f"pk_{name}")),
    )
    # GIN on PostgreSQL; SQLite ignores postgresql_using and indexes the (NULL) column plainly.
    op.create_index(f"ix_{name}_grams", name, ["grams"], postgresql_using="gin")
    op.create_index(f"ix_{name}_name_grams", name, ["name_grams"], postgresql_using="gin")
    if op.get_bind().dialect.name == "postgresql":
        # Search reads the most common grams from pg_stats to plan (discovery.repository);
        # a larger sample lists more of them. Not part of the models: a planner setting.
        for column in ("grams", "name_grams"):
            op.execute(f"ALTER TABLE {name} ALTER COLUMN {column} SET STATISTICS 1000")


def upgrade() -> None:
    _document_table("shop_search", "shop_id", "shops")
    _document_table("listing_search", "listing_id", "listings")
    op.create_index("ix_listings_created_at_id", "listings", ["created_at", "id"])
    op.create_index("ix_listings_price_minor_id", "listings", ["price_minor", "id"])
    _backfill("shops", "shop_search", "shop_id")
    _backfill("listings", "listing_search", "listing_id")


def downgrade() -> None:
    op.drop_index("ix_listings_price_minor_id", table_name="listings")
    op.drop_index("ix_listings_created_at_id", table_name="listings")
    op.drop_table("listing_search")
    op.drop_table("shop_search")


# --- backfill: a frozen copy of merchant_api.discovery.normalise as of this revision, so the
# migration keeps producing the same documents if that module changes later.

_WHITESPACE = re.compile(r"\s+")


def _normalise(text: str) -> str:
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _joined(*texts: dict[str, str] | None) -> str:
    parts = [_normalise(value) for group in texts for value in (group or {}).values()]
    return "\n" + "\n".join(part for part in parts if part) + "\n"


def _grams(search_text: str) -> list[str]:
    found: set[str] = set()
    for line in search_text.split("\n"):
        found.update(line[i : i + 2] for i in range(len(line) - 1))
        found.update(char for char in line if not char.isascii() and not char.isspace())
    return sorted(found)


def _backfill(source: str, target: str, key: str) -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    texts = sa.table(
        source,
        sa.column("id", sa.Uuid()),
        sa.column("name", sa.JSON()),
        sa.column("description", sa.JSON()),
    )
    if source == "shops":
        # A shop is also found by its street's names, township and county.
        streets = sa.table(
            "streets",
            sa.column("id", sa.Uuid()),
            sa.column("name", sa.JSON()),
            sa.column("township", sa.String()),
            sa.column("county", sa.String()),
        )
        shops = sa.table(
            "shops",
            sa.column("id", sa.Uuid()),
            sa.column("name", sa.JSON()),
            sa.column("description", sa.JSON()),
            sa.column("street_id", sa.Uuid()),
        )
        query = sa.select(
            shops.c.id,
            shops.c.name,
            shops.c.description,
            streets.c.name,
            streets.c.township,
            streets.c.county,
        ).join_from(shops, streets, streets.c.id == shops.c.street_id)
    else:
        query = sa.select(texts.c.id, texts.c.name, texts.c.description)
    rows = bind.execute(query).all()
    documents = sa.table(
        target,
        sa.column(key, sa.Uuid()),
        sa.column("name_text", sa.Text()),
        sa.column("search_text", sa.Text()),
        sa.column("grams", GRAMS),
        sa.column("name_grams", GRAMS),
    )
    values = []
    for row_id, name, description, *street in rows:
        place = None
        if street:
            street_name, township, county = street
            place = {
                **{f"name.{k}": v for k, v in (street_name or {}).items()},
                "t": township,
                "c": county,
            }
        search_text, name_text = _joined(name, description, place), _joined(name)
        values.append(
            {
                key: row_id,
                "name_text": name_text,
                "search_text": search_text,
                "grams": _grams(search_text) if postgres else None,
                "name_grams": _grams(name_text) if postgres else None,
            }
        )
    if values:
        op.bulk_insert(documents, values)
