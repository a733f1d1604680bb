"""Every server-rendered page of the storefront, collected for the composition root."""

from __future__ import annotations

from typing import Any

from storefront.assets_route import asset
from storefront.consumer.browse import browse_routes
from storefront.consumer.order_status import order_status_routes
from storefront.consumer.vouchers import vouchers_router
from storefront.consumer.wallet import wallet_router
from storefront.demo import demo_router
from storefront.kiosk.pages import kiosk_router
from storefront.owner.console import owner_router
from storefront.pay.pages import pay_page_routes
from storefront.pay.receipt import receipt_status


def storefront_routes() -> list[Any]:
    return [
        asset,
        *browse_routes(),
        *order_status_routes(),
        owner_router(),
        kiosk_router(),
        demo_router(),
        wallet_router(),
        vouchers_router(),
        *pay_page_routes(),
        receipt_status,
    ]
