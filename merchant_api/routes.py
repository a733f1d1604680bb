"""Every merchant_api route handler, for the composition root to register."""

from __future__ import annotations

from merchant_api.catalog.routes import ListingController
from merchant_api.shops.routes import ShopController
from merchant_api.streets.routes import StreetController


def merchant_routes() -> list:  # type: ignore[type-arg]
    return [StreetController, ShopController, ListingController]
