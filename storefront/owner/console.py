"""The shop-owner console: sign in, pick a shop, and the shop's live order board.

The board is drawn by owner_board.js from the orders API and its server-sent event stream;
this module renders the shell with what the script needs (shop id, CSRF token, strings).
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Router, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.roles import Role
from merchant_api.shops.member_shops import shops_of_member
from merchant_api.shops.service import ShopService
from merchant_api.streets.service import StreetService
from storefront.consumer.strings import ORDER_STATUS, strings
from storefront.formatting import names
from storefront.i18n import N_, page_locale
from storefront.owner.access import SignInFirst, console_role, login_redirect, signed_in
from storefront.owner.listing_extras import listing_extra_routes
from storefront.owner.listings import listing_routes
from storefront.owner.points import points_routes
from storefront.owner.vouchers import voucher_routes
from storefront.pages import render

BOARD_STRINGS = (
    *ORDER_STATUS,
    N_("Accept"),
    N_("Start preparing"),
    N_("Ready"),
    N_("Picked up"),
    N_("Cancel"),
    N_("Table %(table)s"),
    N_("Live"),
    N_("Reconnecting…"),
    N_("Could not change the order; reload the page."),
)
LOGIN_STRINGS = (
    N_("Wrong e-mail or password."),
    N_("Too many attempts; wait a few minutes and try again."),
    N_("We could not reach the server; try again."),
)


@get(["/login", "/owner/login"], include_in_schema=False, exclude_from_auth=True)
async def login_page(request: Request[Any, Any, Any]) -> Template:
    locale = page_locale(request)
    target = request.query_params.get("next") or ("/owner" if "owner" in request.url.path else "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/owner"
    _ = locale.gettext
    owner = request.url.path.startswith("/owner")
    context = {
        "next": target,
        "heading": _("Shop owner sign-in") if owner else _("Sign in"),
        "js_strings": strings(_, LOGIN_STRINGS),
    }
    return render(request, "owner/login.html", context, locale=locale)


@get("/owner", include_in_schema=False)
async def console_home(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    principal = signed_in(request)
    locale = page_locale(request)
    if principal.role == Role.platform_admin:
        shops = [
            (shop, "admin")
            for street, _count in await StreetService(db_session).list_streets()
            for shop in (await StreetService(db_session).get_by_slug(street.slug)).shops
        ]
    else:
        shops = [(m.shop, m.role) for m in await shops_of_member(db_session, principal.account_id)]
    if len(shops) == 1:
        return Redirect(f"/owner/shops/{shops[0][0].id}", status_code=303)
    items = [
        {"id": str(shop.id), "name": names(shop.name, locale.language)[0], "role": role}
        for shop, role in shops
    ]
    return render(request, "owner/shops.html", {"shops": items}, locale=locale)


@get("/owner/shops/{shop_id:uuid}", include_in_schema=False)
async def order_board(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
) -> Template:
    principal, role = await console_role(request, db_session, shop_id)
    locale = page_locale(request)
    shop = await ShopService(db_session).get(shop_id)
    context = {
        "shop": {
            "id": str(shop.id),
            "slug": shop.slug,
            "name": names(shop.name, locale.language)[0],
        },
        "role": role,
        "csrf": principal.csrf or "",
        "kitchen": request.query_params.get("view") == "kitchen",
        "js_strings": strings(locale.gettext, BOARD_STRINGS),
    }
    return render(request, "owner/board.html", context, locale=locale)


def owner_router() -> Router:
    return Router(
        path="/",
        route_handlers=[
            login_page,
            console_home,
            order_board,
            *listing_routes(),
            *listing_extra_routes(),
            *voucher_routes(),
            *points_routes(),
        ],
        exception_handlers={SignInFirst: login_redirect},  # type: ignore[dict-item]
    )
