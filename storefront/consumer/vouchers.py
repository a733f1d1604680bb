"""The consumer's bought vouchers: what each is for, where, its state, and for a usable one the
code as a QR image the counter scans (with the code in groups of four to read out when the
camera cannot)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request, Router, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.roles import Role
from infra.db import utcnow
from infra.errors import PermissionDenied
from merchant_api.i18n import pick
from merchant_api.shops.schedule import TAIPEI
from merchant_api.shops.service import ShopService
from merchant_api.vouchers import codes
from merchant_api.vouchers.models import VoucherStatus
from merchant_api.vouchers.service import VoucherService
from payments.qr.render import svg_markup
from storefront.formatting import format_twd
from storefront.i18n import N_, page_locale
from storefront.owner.access import SignInFirst, login_redirect, signed_in
from storefront.pages import render

# Enough for a person's vouchers; the page stays light on a cheap phone.
SHOWN = 50
STATUS_LABELS = {
    VoucherStatus.pending_payment: N_("Waiting for payment"),
    VoucherStatus.active: N_("Ready to use"),
    VoucherStatus.redeemed: N_("Used"),
    VoucherStatus.refund_requested: N_("Refund requested"),
    VoucherStatus.refunded: N_("Refunded"),
    VoucherStatus.expired: N_("Not paid in time"),
}
MSG_EXPIRED = N_("Expired")


def _day(at: datetime) -> str:
    return at.astimezone(TAIPEI).strftime("%Y-%m-%d")


@get("/wallet/vouchers", include_in_schema=False)
async def my_vouchers_page(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    principal = signed_in(request)
    if principal.role != Role.consumer:
        raise PermissionDenied("Vouchers belong to consumer accounts.")
    locale = page_locale(request)
    _ = locale.gettext
    now = utcnow()
    found = await VoucherService(db_session).mine(principal.account_id, SHOWN, 0)
    shops = ShopService(db_session)
    shop_names: dict[Any, str] = {}
    items = []
    for voucher, offer in found:
        if voucher.shop_id not in shop_names:
            shop = await shops.get(voucher.shop_id)
            shop_names[voucher.shop_id] = pick(shop.name, locale.language)
        valid_until = voucher.valid_until
        expired = voucher.status == VoucherStatus.active and valid_until <= now
        usable = voucher.status == VoucherStatus.active and not expired
        items.append(
            {
                "title": pick(offer.title, locale.language),
                "shop": shop_names[voucher.shop_id],
                "status": voucher.status,
                "status_label": _(MSG_EXPIRED) if expired else _(STATUS_LABELS[voucher.status]),
                "usable": usable,
                "face_value": format_twd(voucher.face_value_minor),
                "price": format_twd(voucher.price_minor),
                "valid_until": _day(valid_until),
                "code": codes.display(voucher.code) if usable else "",
                "qr": svg_markup(codes.qr_payload(voucher.code)) if usable else "",
            }
        )
    return render(request, "vouchers.html", {"vouchers": items}, locale=locale)


def vouchers_router() -> Router:
    return Router(
        path="/",
        route_handlers=[my_vouchers_page],
        exception_handlers={SignInFirst: login_redirect},  # type: ignore[dict-item]
    )
