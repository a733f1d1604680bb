"""The order status page a consumer lands on after ordering, and the small JSON it polls.

Who may look: whoever holds the order's link. Order ids are random UUIDs (122 random bits), so
the link works as a receipt's claim ticket for anonymous table and counter orders, which have
no account to sign in with; the page shows the order, never who placed it.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound
from merchant_api.orders.service import TAIPEI, OrderService
from merchant_api.shops.service import ShopService
from storefront.consumer.strings import ORDER_STATUS, strings
from storefront.formatting import format_twd, names
from storefront.i18n import page_locale
from storefront.pages import not_found, render

# Polling, not a stream: a phone on a weak rural link reconnects badly, and a status changes a
# handful of times per order.
POLL_SECONDS = 4


@get("/orders/{order_id:uuid}", include_in_schema=False, exclude_from_auth=True)
async def order_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    order_id: FromPath[uuid.UUID],
) -> Template:
    locale = page_locale(request)
    _ = locale.gettext
    service = OrderService(db_session)
    try:
        order = await service.get(order_id)
    except NotFound:
        return not_found(request, _("This order does not exist."))
    view = await service.view(order)
    shop = await ShopService(db_session).get(order.shop_id)
    context = {
        "order": {
            "id": str(order.id),
            "number": order.number,
            "status": order.status,
            "status_label": _(order.status),
            "paid": order.paid_at is not None,
            "table": order.table_label,
            "total": format_twd(order.total_minor),
            "placed_at": order.placed_at.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M"),
            "lines": [
                {
                    "quantity": line.quantity,
                    "name": names(line.name, locale.language)[0],
                    "options": ", ".join(
                        names(o["name"], locale.language)[0] for o in line.options
                    ),
                    "total": format_twd(line.line_total_minor),
                }
                for line in view.lines
            ],
        },
        "shop": {"slug": shop.slug, "name": names(shop.name, locale.language)[0]},
        "poll_seconds": POLL_SECONDS,
        "pay_href": f"/pay/order/{order.id}",
        "js_strings": strings(_, ORDER_STATUS),
    }
    return render(request, "order_status.html", context, locale=locale)


@get("/orders/{order_id:uuid}/status", include_in_schema=False, exclude_from_auth=True)
async def order_status(
    db_session: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]
) -> dict[str, Any]:
    order = await OrderService(db_session).get(order_id)
    return {"status": order.status, "paid": order.paid_at is not None, "number": order.number}


def order_status_routes() -> list[Any]:
    return [order_page, order_status]
