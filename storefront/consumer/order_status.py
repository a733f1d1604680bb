"""The order status page a consumer lands on after ordering, and the small JSON it polls.

Who may look: whoever may read the order through GET /api/orders/{id}: the holder of the
order's access token (the `token` parameter of the link checkout opens, given only to whoever
placed an order no signed-in consumer owns) or a signed-in person the order concerns. Without
either, the page says how to get the full link; it answers the same whether or not the order
exists, so neither ids nor tokens can be probed.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import principal_of
from infra.errors import NotFound, PermissionDenied
from merchant_api.orders.access import order_role, presented_token, token_grants
from merchant_api.orders.models import Order
from merchant_api.orders.service import TAIPEI, OrderService
from merchant_api.shops.service import ShopService
from storefront.consumer.strings import ORDER_STATUS, strings
from storefront.formatting import format_twd, names
from storefront.i18n import page_locale
from storefront.pages import not_found, render

# Polling, not a stream: a phone on a weak rural link reconnects badly, and a status changes a
# handful of times per order.
POLL_SECONDS = 4


class OrderLinkIncomplete(PermissionDenied):
    code = "order_token_required"


async def readable_order(
    request: Request[Any, Any, Any], session: AsyncSession, order_id: uuid.UUID
) -> tuple[Order, str]:
    """(the order, the token to keep in its links) or OrderLinkIncomplete / NotFound."""
    token = presented_token(request)
    service = OrderService(session)
    if token_grants(request.app.state.settings.auth.secret_key, order_id, token):
        return await service.get(order_id), token or ""
    principal = principal_of(request)
    if principal is not None:
        try:
            order = await service.get(order_id)
        except NotFound:
            order = None
        if order is not None and await order_role(request, session, principal, order):
            return order, ""
    raise OrderLinkIncomplete("Open the order with the full link you were given when ordering.")


@get("/orders/{order_id:uuid}", include_in_schema=False)
async def order_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    order_id: FromPath[uuid.UUID],
) -> Template:
    locale = page_locale(request)
    _ = locale.gettext
    try:
        order, token = await readable_order(request, db_session, order_id)
    except NotFound:
        return not_found(request, _("This order does not exist."))
    except OrderLinkIncomplete:
        message = _(
            "This link is missing its key. Open the order from the link shown when you "
            "ordered, or sign in with the account you ordered with."
        )
        return render(request, "not_found.html", {"message": message}, status_code=403)
    view = await OrderService(db_session).view(order)
    shop = await ShopService(db_session).get(order.shop_id)
    keep = f"?token={quote(token)}" if token else ""
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
        "status_href": f"/orders/{order.id}/status{keep}",
        "pay_href": f"/pay/order/{order.id}{keep}",
        "js_strings": strings(_, ORDER_STATUS),
    }
    return render(request, "order_status.html", context, locale=locale)


@get("/orders/{order_id:uuid}/status", include_in_schema=False)
async def order_status(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    order_id: FromPath[uuid.UUID],
) -> dict[str, Any]:
    order, _token = await readable_order(request, db_session, order_id)
    return {"status": order.status, "paid": order.paid_at is not None, "number": order.number}


def order_status_routes() -> list[Any]:
    return [order_page, order_status]
