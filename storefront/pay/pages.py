"""Scan-to-pay: the page a payment link (/p/<token>) opens, paying for an order, the sandbox's
simulated wallet, and the receipt with the points earned.

The page never trusts the link for the shop's name: it shows the name our server knows. The
payment itself is created by pay.js through POST /api/payments with one Idempotency-Key per
attempt, kept in localStorage before the request leaves, so a double tap or a reload after a
dropped connection replays the same payment instead of charging twice.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound, OneStreetError
from infra.settings import Settings
from merchant_api.orders.service import OrderService
from merchant_api.shops.service import ShopService
from payments.intents.repository import PaymentRepository
from payments.links.errors import LinkUsed
from payments.links.routes import link_service
from payments.links.tokens import DynamicLink, StaticLink
from storefront.formatting import format_twd, names
from storefront.i18n import N_, page_locale
from storefront.pages import csrf_of, not_found, render
from storefront.pay.strings import pay_strings

MSG_LINK_USED = N_("This payment link has already been used.")
MSG_LINK_INVALID = N_("This payment link is not valid or has expired. Ask the shop for a new one.")


def methods(request: Request[Any, Any, Any]) -> list[dict[str, str]]:
    """How the consumer may pay here: the demo's simulated wallet when it is on."""
    settings: Settings = request.app.state.settings
    offered = []
    if settings.payments.provider == "sandbox" and settings.payments.sandbox_wallet:
        offered.append({"value": "sandbox", "label": N_("Demo wallet (no money moves)")})
    # Cards need Stripe's Payment Element on this page, which is not drawn yet: not offered.
    return offered


# Not excluded from auth: a signed-in consumer pays with the session's CSRF token.
@get("/p/{token:str}", include_in_schema=False)
async def link_page(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], token: FromPath[str]
) -> Template:
    locale = page_locale(request)
    _ = locale.gettext
    service = link_service(request, db_session)
    used = False
    try:
        link = (await service.resolve(token)).link
    except LinkUsed:
        # Paid, or a payment was started with it. The form stays: a reload after a dropped
        # answer resends the kept Idempotency-Key and gets the same payment back.
        used = True
        link = service.config.signer.verify(token)
    except OneStreetError:
        context = {"problem": _(MSG_LINK_INVALID)}
        return render(request, "pay/pay.html", context, status_code=404, locale=locale)
    shop = await ShopService(db_session).get(link.shop_id)
    context: dict[str, Any] = {
        "shop": {
            "id": str(shop.id),
            "slug": shop.slug,
            "name": names(shop.name, locale.language)[0],
        },
        "token": token,
        "store_key": token,
        "used": _(MSG_LINK_USED) if used else "",
        "methods": [{**m, "label": _(m["label"])} for m in methods(request)],
        "js_strings": pay_strings(_),
        "csrf": csrf_of(request),
    }
    if isinstance(link, DynamicLink):
        context |= {"amount_minor": link.amount_minor, "amount": format_twd(link.amount_minor)}
        context["reference"] = link.order_reference
    elif isinstance(link, StaticLink) and link.spot == "table":
        context["table"] = link.label
        context["order_href"] = f"/shops/{shop.slug}?table={link.label}"
    return render(request, "pay/pay.html", context, locale=locale)


@get("/pay/order/{order_id:uuid}", include_in_schema=False)
async def order_pay_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    order_id: FromPath[uuid.UUID],
) -> Template:
    locale = page_locale(request)
    _ = locale.gettext
    try:
        order = await OrderService(db_session).get(order_id)
    except NotFound:
        return not_found(request, _("This order does not exist."))
    shop = await ShopService(db_session).get(order.shop_id)
    context = {
        "shop": {
            "id": str(shop.id),
            "slug": shop.slug,
            "name": names(shop.name, locale.language)[0],
        },
        "order_id": str(order.id),
        "order_number": order.number,
        "store_key": f"order:{order.id}",
        "amount_minor": order.total_minor,
        "amount": format_twd(order.total_minor),
        "paid": order.paid_at is not None,
        "methods": [{**m, "label": _(m["label"])} for m in methods(request)],
        "js_strings": pay_strings(_),
        "csrf": csrf_of(request),
    }
    return render(request, "pay/pay.html", context, locale=locale)


@get("/pay/sandbox/{payment_id:uuid}", include_in_schema=False, exclude_from_auth=True)
async def sandbox_wallet(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    payment_id: FromPath[uuid.UUID],
) -> Template:
    locale = page_locale(request)
    intent = await PaymentRepository(db_session).get(payment_id)
    if intent is None or intent.provider != "sandbox":
        return not_found(request, locale.gettext("This payment does not exist."))
    shop = await ShopService(db_session).get(intent.shop_id)
    context = {
        "payment_id": str(intent.id),
        "state": intent.state,
        "amount": format_twd(intent.amount),
        "shop_name": names(shop.name, locale.language)[0],
        "js_strings": pay_strings(locale.gettext),
    }
    return render(request, "pay/sandbox_wallet.html", context, locale=locale)


@get("/pay/receipt/{payment_id:uuid}", include_in_schema=False, exclude_from_auth=True)
async def receipt_page(
    request: Request[Any, Any, Any], payment_id: FromPath[uuid.UUID]
) -> Template:
    locale = page_locale(request)
    context = {"payment_id": str(payment_id), "js_strings": pay_strings(locale.gettext)}
    return render(request, "pay/receipt.html", context, locale=locale)


def pay_page_routes() -> list[Any]:
    return [link_page, order_pay_page, sandbox_wallet, receipt_page]
