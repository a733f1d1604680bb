"""Requests and answers of the rule admin API: bonuses, rallies, shop redemption limits."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec


class CategoryBonusIn(msgspec.Struct, forbid_unknown_fields=True):
    category: str
    multiplier_pct: int


class ListingBonusIn(msgspec.Struct, forbid_unknown_fields=True):
    listing_id: uuid.UUID
    multiplier_pct: int


class BonusOut(msgspec.Struct):
    id: uuid.UUID
    category: str | None
    listing_id: uuid.UUID | None
    multiplier_pct: int


class RallyIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    counts: str  # "streets" or "shops"
    required: int
    bonus_points: int
    starts_at: datetime
    ends_at: datetime


class RallyOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    counts: str
    required: int
    bonus_points: int
    starts_at: datetime
    ends_at: datetime


class ShopLimitIn(msgspec.Struct, forbid_unknown_fields=True):
    max_points_per_redemption: int | None = None
    max_points_per_day: int | None = None


class ShopLimitOut(msgspec.Struct):
    shop_id: uuid.UUID
    max_points_per_redemption: int | None
    max_points_per_day: int | None
