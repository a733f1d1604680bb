"""The consumer's points wallet: balance, points held for purchases, recent activity and the
member QR code the counter scans (it changes every minute, so the page refreshes it)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.roles import Role
from infra.db import utcnow
from infra.errors import PermissionDenied
from merchant_api.shops.schedule import TAIPEI
from payments.loyalty.identity import member_code
from payments.loyalty.routes import loyalty_service
from payments.qr.render import svg_markup
from storefront.consumer.account import account_page
from storefront.i18n import N_, page_locale
from storefront.owner.access import SignInFirst, login_redirect, signed_in
from storefront.pages import render

REASONS = {
    "earn": N_("Earned"),
    "clawback": N_("Taken back after a refund"),
    "hold": N_("Held for a purchase"),
    "capture": N_("Spent"),
    "release": N_("Given back"),
    "expiry": N_("Expired"),
    "adjustment": N_("Adjusted"),
    "transfer": N_("Moved from another card"),
}


@get("/wallet", include_in_schema=False)
async def wallet_page(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    principal = signed_in(request)
    if principal.role != Role.consumer:
        raise PermissionDenied("The points wallet belongs to consumer accounts.")
    locale = page_locale(request)
    _ = locale.gettext
    state = request.app.state
    service = loyalty_service(request, db_session)
    now = utcnow()
    wallet_id = await service.wallet_for(principal.account_id, now)
    balance, held = await service.repo.wallet_balances(wallet_id)
    code = member_code(
        state.settings.auth.secret_key, wallet_id, now, service.settings.member_qr_step_seconds
    )
    activity = [
        {
            "reason": _(REASONS.get(str(reason), str(reason))),
            "points": int(points),
            "at": at.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M"),
        }
        for _tx, reason, _shop, at, points in await service.repo.activity(wallet_id)
    ]
    context = {
        "balance": balance,
        "held": held,
        "activity": activity,
        "member_qr": svg_markup(code),
        "refresh_seconds": service.settings.member_qr_step_seconds,
    }
    return render(request, "wallet.html", context, locale=locale)


def wallet_router() -> Router:
    return Router(
        path="/",
        route_handlers=[wallet_page, account_page],
        exception_handlers={SignInFirst: login_redirect},  # type: ignore[dict-item]
    )
