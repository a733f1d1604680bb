"""The shapes of the demo data."""

from __future__ import annotations

from dataclasses import dataclass

from infra.auth.roles import Role


@dataclass(frozen=True)
class ListingSeed:
    zh: str
    en: str
    price_twd: int


@dataclass(frozen=True)
class ShopSeed:
    slug: str
    zh: str
    en: str
    category: str
    address: str
    about_zh: str
    about_en: str
    listings: tuple[ListingSeed, ...]


@dataclass(frozen=True)
class StreetSeed:
    slug: str
    zh: str
    en: str
    about_zh: str
    about_en: str
    county: str
    township: str
    digital_level: int
    is_remote: bool
    is_outlying_island: bool
    is_indigenous_area: bool
    latitude: float
    longitude: float
    programme_year_joined: int  # ROC year
    phone_prefix: str
    shops: tuple[ShopSeed, ...]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    display_name: str
    what: str  # shown in the demo's table of logins
