"""The search documents of shops and listings, and the indexes search needs.

A document row holds the normalised texts of one shop or listing (merchant_api.discovery.
normalise); filters and sort keys are read from the owning tables through their primary
keys, so only the texts are copied (and the review ratings, which search sorts by and which
the reviews service refreshes in the review's own transaction). Rows are written
by merchant_api.discovery.indexing whenever a shop or listing is inserted or its texts change.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, Text, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base
from merchant_api.catalog.models import Listing

# A text[] on PostgreSQL (GIN-indexed); SQLite keeps it NULL and scans with LIKE, which is
# fast enough for an embedded street's few thousand rows.
GRAMS = Text().with_variant(postgresql.ARRAY(Text()), "postgresql")


class ShopSearch(Base):
    __tablename__ = "shop_search"
    __table_args__ = (
        # GIN on PostgreSQL; on SQLite plain indexes over NULLs (created there too so one
        # schema compares equal to the models on both databases).
        Index("ix_shop_search_grams", "grams", postgresql_using="gin"),
        Index("ix_shop_search_name_grams", "name_grams", postgresql_using="gin"),
        Index("ix_shop_search_rating", "rating_centi", "shop_id"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    # Names only (for relevance: a name match outranks a description match).
    name_text: Mapped[str] = mapped_column(Text)
    # Names and descriptions.
    search_text: Mapped[str] = mapped_column(Text)
    grams: Mapped[list[str] | None] = mapped_column(GRAMS)
    # The n-grams of the names alone: the planner's statistics on them tell a word frequent
    # in names from one frequent only in descriptions (merchant_api.discovery.repository).
    name_grams: Mapped[list[str] | None] = mapped_column(GRAMS)
    # The review average in hundredths and the count (discovery.rating_repository); 0 and 0
    # until the first review.
    rating_centi: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    rating_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))


class ListingSearch(Base):
    __tablename__ = "listing_search"
    __table_args__ = (
        Index("ix_listing_search_grams", "grams", postgresql_using="gin"),
        Index("ix_listing_search_name_grams", "name_grams", postgresql_using="gin"),
        # Search sorted by rating walks this instead of sorting every visible listing.
        Index("ix_listing_search_rating", "rating_centi", "listing_id"),
    )

    listing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    name_text: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)
    grams: Mapped[list[str] | None] = mapped_column(GRAMS)
    name_grams: Mapped[list[str] | None] = mapped_column(GRAMS)
    rating_centi: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    rating_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))


# Sort orders of listing search ("newest", "price") walk these instead of sorting every
# visible listing; declared here because search is what needs them.
Index("ix_listings_created_at_id", Listing.created_at, Listing.id)
Index("ix_listings_price_minor_id", Listing.price_minor, Listing.id)
