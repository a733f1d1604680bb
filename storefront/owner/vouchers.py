"""Redeeming a voucher at the counter: the code is typed (always works, also without scripts)
or scanned with the phone's camera where the browser has BarcodeDetector (owner_scan.js only
fills the same field and submits the form). The voucher service moves it active -> redeemed
with one conditional UPDATE, so it is redeemed exactly once however often the form is sent.
After a redemption the page redirects (a reload cannot send the code again)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.errors import OneStreetError
from merchant_api.i18n import pick
from merchant_api.shops.schedule import TAIPEI
from merchant_api.shops.service import ShopService
from merchant_api.vouchers.models import VoucherStatus
from merchant_api.vouchers.service import VoucherService
from storefront.consumer.strings import strings
from storefront.formatting import format_twd
from storefront.i18n import N_, page_locale
from storefront.owner.access import console_role
from storefront.pages import render

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
MAX_CODE = 64
RECENT = 5
MSG_EMPTY = N_("Type the voucher code, or scan it.")
# By the service's stable error codes; another shop's voucher reads as not found on purpose
# (codes are never confirmed to outsiders), so the message names both possibilities.
MESSAGES = {
    "voucher_not_found": N_(
        "No voucher of this shop has this code. Check it, or it is another shop's voucher."
    ),
    "voucher_already_redeemed": N_("This voucher was already used (%(when)s)."),
    "voucher_not_paid": N_("This voucher has not been paid for yet."),
    "voucher_not_refundable": N_("This voucher was refunded and cannot be used."),
    "voucher_expired": N_("This voucher has expired."),
    "voucher_not_yet_valid": N_("This voucher cannot be used yet."),
}
MSG_REDEEMED = N_("Voucher used: %(title)s, worth %(value)s.")
SCAN_STRINGS = (
    N_("Point the camera at the voucher's QR code."),
    N_("The camera could not be opened; type the code instead."),
    N_("Stop scanning"),
)


def _when(at: str | datetime | None) -> str:
    if at is None:
        return ""
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    return moment.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M")


@get("/owner/shops/{shop_id:uuid}/vouchers", include_in_schema=False)
async def redeem_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
) -> Template:
    principal, _role = await console_role(request, db_session, shop_id)
    done = ""
    done_id = request.query_params.get("redeemed")
    if done_id:
        try:
            voucher_id = uuid.UUID(done_id)
        except ValueError:
            voucher_id = None
        service = VoucherService(db_session)
        voucher = await service.vouchers.get(voucher_id) if voucher_id else None
        if voucher is not None and voucher.shop_id == shop_id:
            offer = await service.vouchers.get_offer(voucher.offer_id)
            locale = page_locale(request)
            done = locale.gettext(
                MSG_REDEEMED,
                title=pick(offer.title if offer else {}, locale.language),
                value=format_twd(voucher.face_value_minor),
            )
    return await _page(request, db_session, shop_id, principal.csrf or "", "", "", done)


@post("/owner/shops/{shop_id:uuid}/vouchers", include_in_schema=False)
async def redeem_voucher(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
    data: dict[str, str] = FORM,
) -> Template | Redirect:
    principal, _role = await console_role(request, db_session, shop_id)
    typed = data.get("code", "").strip()[:MAX_CODE]
    if not typed:
        return await _page(
            request, db_session, shop_id, principal.csrf or "", typed, MSG_EMPTY, status=422
        )
    try:
        voucher = await VoucherService(db_session).redeem(
            shop_id, typed, principal.account_id, utcnow()
        )
    except OneStreetError as refused:
        message = MESSAGES.get(refused.code)
        if message is None:
            raise
        when = _when(refused.details.get("redeemed_at"))
        return await _page(
            request,
            db_session,
            shop_id,
            principal.csrf or "",
            typed,
            message,
            status=refused.status_code,
            when=when,
        )
    return Redirect(f"{request.url.path}?redeemed={voucher.id}", status_code=303)


async def _page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    shop_id: uuid.UUID,
    csrf: str,
    typed: str,
    error: str,
    done: str = "",
    *,
    status: int = 200,
    when: str = "",
) -> Template:
    locale = page_locale(request)
    _ = locale.gettext
    shop = await ShopService(session).get(shop_id)
    # Used vouchers come newest use first.
    used = await VoucherService(session).of_shop(shop_id, VoucherStatus.redeemed.value, RECENT, 0)
    context = {
        "shop": {"id": str(shop_id), "name": pick(shop.name, locale.language)},
        "csrf": csrf,
        "typed": typed,
        "error": _(error, when=when)
        if error and "%(when)s" in error
        else _(error)
        if error
        else "",
        "done": done,
        "recent": [
            {
                "title": pick(offer.title, locale.language),
                "value": format_twd(voucher.face_value_minor),
                "ending": voucher.code[-4:],
                "at": _when(voucher.redeemed_at),
            }
            for voucher, offer in used
        ],
        "js_strings": strings(_, SCAN_STRINGS),
    }
    return render(request, "owner/vouchers.html", context, status_code=status, locale=locale)


def voucher_routes() -> list[Any]:
    return [redeem_page, redeem_voucher]
