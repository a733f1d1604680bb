"""Self-order kiosk mode: a full-screen menu for one shop on a tablet at the counter.

Until the kiosk signs its own requests with a paired device credential, the kiosk runs under
the session of the owner or staff who opened it (orders are placed on the kiosk channel by
them); pairing is shown to the owner from the console.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Router, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from merchant_api.catalog.models import Channel
from merchant_api.shops.service import ShopService
from storefront.consumer.shop_view import shop_view
from storefront.consumer.strings import CART, strings
from storefront.i18n import N_, page_locale
from storefront.owner.access import SignInFirst, console_role, login_redirect
from storefront.pages import render

# A kiosk left alone this long returns to the attract screen and forgets the cart.
IDLE_SECONDS = 90
KIOSK_STRINGS = (
    *CART,
    N_("Offline: orders are kept on this kiosk and sent when the connection returns."),
    N_("%(count)s orders waiting to be sent"),
    N_("Your order is saved. Please pay at the counter and show this code."),
    N_("Your order number"),
    N_("Please pay at the counter."),
)


@get("/kiosk/{shop_id:uuid}", include_in_schema=False)
async def kiosk_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
) -> Template:
    principal, _role = await console_role(request, db_session, shop_id)
    locale = page_locale(request)
    shop = await ShopService(db_session).get(shop_id)
    view = await shop_view(db_session, shop, locale, utcnow(), channel=Channel.kiosk)
    view |= {
        "csrf": principal.csrf or "",
        "idle_seconds": IDLE_SECONDS,
        "js_strings": strings(locale.gettext, KIOSK_STRINGS),
    }
    return render(request, "kiosk.html", view, locale=locale)


def kiosk_router() -> Router:
    return Router(
        path="/",
        route_handlers=[kiosk_page],
        exception_handlers={SignInFirst: login_redirect},  # type: ignore[dict-item]
    )
