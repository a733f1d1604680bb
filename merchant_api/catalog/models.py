"""What a shop sells. Prices are integers in TWD's minor unit (NT$120 = 12000).

A listing has per-language texts, an optional shop category, option groups with options
(size, spice level, add-ons), optional stock (NULL = not counted), a manual sold-out flag,
the channels it is offered on and weekly time windows in Asia/Taipei.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, utcnow

# NT$1,000,000: a typo guard; nothing on a rural shopping street costs more.
MAX_PRICE_MINOR = 100_000_000


class Channel(StrEnum):
    counter = "counter"
    table_qr = "table_qr"
    kiosk = "kiosk"
    online_pickup = "online_pickup"


ALL_CHANNELS = tuple(channel.value for channel in Channel)
ALL_CHANNELS_JSON = json.dumps(list(ALL_CHANNELS))


class Tag(StrEnum):
    vegetarian = "vegetarian"
    vegan = "vegan"
    halal = "halal"
    local_produce = "local_produce"
    indigenous = "indigenous"
    organic = "organic"
    spicy = "spicy"
    gluten_free = "gluten_free"


class ListingCategory(UUIDPrimaryKey, Base):
    """A shop's own menu section ("Drinks", "Rice dishes")."""

    __tablename__ = "listing_categories"

    shop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Listing(UUIDPrimaryKey, Base):
    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("price_minor >= 0", name="price_not_negative"),
        CheckConstraint(f"price_minor <= {MAX_PRICE_MINOR}", name="price_capped"),
        CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    # Removing a category leaves its listings on the menu, uncategorised.
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("listing_categories.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    price_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="TWD")
    # Offered at all (the owner's switch); `sold_out` says "offered, but none left today".
    is_available: Mapped[bool] = mapped_column(default=True)
    sold_out: Mapped[bool] = mapped_column(default=False, server_default=false())
    # NULL: the shop does not count this item (a bowl of noodles); a number: units left.
    stock: Mapped[int | None]
    channels: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: list(ALL_CHANNELS), server_default=text(f"'{ALL_CHANNELS_JSON}'")
    )
    # [{"weekday": 0-6 (Monday 0), "start": "HH:MM", "end": "HH:MM"}] in Asia/Taipei; [] = always.
    time_windows: Mapped[list[dict[str, object]]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    tags: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    position: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # Orders will point at listings, so a removed listing is hidden, never deleted.
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow)


class OptionGroup(UUIDPrimaryKey, Base):
    """A choice on a listing: "Size" (required, exactly one), "Add-ons" (0 to 3)."""

    __tablename__ = "listing_option_groups"
    __table_args__ = (
        CheckConstraint("min_choices >= 0", name="min_not_negative"),
        CheckConstraint("max_choices >= 1 AND max_choices >= min_choices", name="max_sane"),
    )

    listing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    required: Mapped[bool] = mapped_column(default=False)
    min_choices: Mapped[int] = mapped_column(default=0)
    max_choices: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Option(UUIDPrimaryKey, Base):
    __tablename__ = "listing_options"

    group_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("listing_option_groups.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    # May be negative ("small: -NT$10") but never below the listing's price (checked on write).
    price_delta_minor: Mapped[int] = mapped_column(default=0)
    is_available: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ListingPhoto(UUIDPrimaryKey, Base):
    """An uploaded photo; the original lives in storage under `storage_key`."""

    __tablename__ = "listing_photos"

    listing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    storage_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    byte_size: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
