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
from merchant_api.shops.models import Shop
from merchant_api.shops.service import ShopService
from payments.intents.models import PaymentIntent
from payments.intents.repository import PaymentRepository
from payments.links.errors import LinkUsed
from payments.links.routes import link_service
from payments.links.tokens import DynamicLink, StaticLink
from payments.qr.render import svg_markup
from storefront.consumer.order_status import OrderLinkIncomplete, readable_order
from storefront.formatting import format_twd, names
from storefront.i18n import N_, PageLocale, page_locale
from storefront.pages import csrf_of, not_found, render
from storefront.pay.offer import methods, points_offer, stripe_js
from storefront.pay.points import points_routes
from storefront.pay.strings import pay_strings

WALLET_PROVIDERS = frozenset({"twqr", "emvco"})
MSG_LINK_USED = N_("This payment link has already been used.")
MSG_LINK_INVALID = N_("This payment link is not valid or has expired. Ask the shop for a new one.")


async def _common(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    shop: Shop,
    locale: PageLocale,
    amount_minor: int | None,
) -> dict[str, Any]:
    """What every pay form shows: the shop as we know it, the ways to pay, the points."""
    _ = locale.gettext
    offered = await methods(request, session, shop.id)
    return {
        "shop": {
            "id": str(shop.id),
            "slug": shop.slug,
            "name": names(shop.name, locale.language)[0],
        },
        "methods": [{**m, "label": _(m["label"])} for m in offered],
        "points": await points_offer(request, session, amount_minor),
        "stripe": stripe_js(request.app.state.settings),
        "js_strings": pay_strings(_),
        "csrf": csrf_of(request),
    }


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
    fixed = link.amount_minor if isinstance(link, DynamicLink) else None
    context = await _common(request, db_session, shop, locale, fixed)
    context |= {"token": token, "store_key": token, "used": _(MSG_LINK_USED) if used else ""}
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
    """For whoever may read the order: its access token (the link the order page gives) or
    the signed-in person it concerns, as on the order page."""
    locale = page_locale(request)
    _ = locale.gettext
    try:
        order, order_token = await readable_order(request, db_session, order_id)
    except NotFound:
        return not_found(request, _("This order does not exist."))
    except OrderLinkIncomplete as refused:
        context = {
            "problem": _(
                "This link is missing its key. Open the order from the link shown when you "
                "ordered, or sign in with the account you ordered with."
            ),
            "problem_code": refused.code,
        }
        return render(request, "pay/pay.html", context, status_code=403, locale=locale)
    shop = await ShopService(db_session).get(order.shop_id)
    # Points may pay all of it: merchant_api marks the order paid with their capture.
    context = await _common(request, db_session, shop, locale, order.total_minor)
    context |= {
        "order_id": str(order.id),
        "order_token": order_token,
        "order_number": order.number,
        "store_key": f"order:{order.id}",
        "amount_minor": order.total_minor,
        "amount": format_twd(order.total_minor),
        "paid": order.paid_at is not None,
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
    context = await _waiting_payment(db_session, intent, locale)
    context["state"] = intent.state
    return render(request, "pay/sandbox_wallet.html", context, locale=locale)


@get("/pay/receipt/{payment_id:uuid}", include_in_schema=False, exclude_from_auth=True)
async def receipt_page(
    request: Request[Any, Any, Any], payment_id: FromPath[uuid.UUID]
) -> Template:
    locale = page_locale(request)
    context = {"payment_id": str(payment_id), "js_strings": pay_strings(locale.gettext)}
    return render(request, "pay/receipt.html", context, locale=locale)


@get("/pay/wallet/{payment_id:uuid}", include_in_schema=False, exclude_from_auth=True)
async def wallet_handoff(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    payment_id: FromPath[uuid.UUID],
) -> Template:
    """A TWQR or EMVCo wallet payment waiting for the wallet: its QR code for another phone,
    the TWQRP:// link for a wallet app on this one. The page waits for the acquirer's
    callback by polling the receipt's status, then shows the receipt."""
    locale = page_locale(request)
    intent = await PaymentRepository(db_session).get(payment_id)
    if intent is None or intent.provider not in WALLET_PROVIDERS or not intent.qr_payload:
        return not_found(request, locale.gettext("This payment does not exist."))
    context = await _waiting_payment(db_session, intent, locale)
    context |= {
        "method": intent.method,
        "qr_svg": svg_markup(intent.qr_payload),
        "payload": intent.qr_payload,
        "app_link": intent.qr_payload if intent.provider == "twqr" else None,
    }
    return render(request, "pay/wallet.html", context, locale=locale)


async def _waiting_payment(
    db_session: AsyncSession, intent: PaymentIntent, locale: PageLocale
) -> dict[str, Any]:
    """What every page waiting on a wallet shows: the payment, its amount and the shop."""
    shop = await ShopService(db_session).get(intent.shop_id)
    return {
        "payment_id": str(intent.id),
        "amount": format_twd(intent.amount),
        "shop_name": names(shop.name, locale.language)[0],
        "js_strings": pay_strings(locale.gettext),
    }


def pay_page_routes() -> list[Any]:
    return [
        link_page,
        order_pay_page,
        sandbox_wallet,
        wallet_handoff,
        receipt_page,
        *points_routes(),
    ]
