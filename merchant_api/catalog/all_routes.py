"""Every catalogue route handler, for merchant_api.routes to register."""

from __future__ import annotations

from litestar import Controller

from merchant_api.catalog.category_routes import CategoryController
from merchant_api.catalog.option_routes import OptionGroupController
from merchant_api.catalog.photo_routes import MediaController, PhotoController
from merchant_api.catalog.routes import ListingController, MenuController


def catalog_routes() -> list[type[Controller]]:
    return [
        ListingController,
        MenuController,
        CategoryController,
        OptionGroupController,
        PhotoController,
        MediaController,
    ]
