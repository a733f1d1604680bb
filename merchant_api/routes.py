"""Every merchant_api route handler, for the composition root to register."""

from __future__ import annotations

from merchant_api.catalog.all_routes import catalog_routes
from merchant_api.devices.routes import DeviceController
from merchant_api.discovery.routes import SearchController
from merchant_api.orders.routes import OrderController
from merchant_api.programme.routes import programme_routes
from merchant_api.reviews.routes import ReviewController
from merchant_api.shops.routes import shop_routes
from merchant_api.streets.routes import street_routes
from merchant_api.telemetry.routes import TelemetryController
from merchant_api.vouchers.routes import VoucherController


def merchant_routes() -> list:  # type: ignore[type-arg]
    return [
        *street_routes(),
        *shop_routes(),
        *catalog_routes(),
        OrderController,
        SearchController,
        VoucherController,
        ReviewController,
        DeviceController,
        TelemetryController,
        *programme_routes(),
    ]
