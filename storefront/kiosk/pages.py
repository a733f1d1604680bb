"""Self-order kiosk mode: a full-screen menu for one shop on a tablet at the counter.

The kiosk is a device (merchant_api.devices): the owner makes a one-time pairing code in the
console, the kiosk page takes it once, exchanges it for the device credential and keeps that
in the tablet's localStorage. From then on kiosk.js signs its orders and heartbeats with it and
sends no cookies, so nobody has to stay signed in on an unattended tablet. The page itself is
the shop's public menu and needs no sign-in.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated
from infra.db import utcnow
from infra.errors import PermissionDenied
from infra.settings import Settings
from merchant_api.catalog.models import Channel
from merchant_api.devices.models import DeviceType
from merchant_api.devices.repository import DeviceRepository
from merchant_api.devices.service import DeviceService, NewDevice
from merchant_api.orders.service import TAIPEI
from merchant_api.shops.service import ShopService
from storefront.consumer.shop_view import shop_view
from storefront.consumer.strings import CART, strings
from storefront.formatting import names
from storefront.i18n import N_, page_locale
from storefront.owner.access import SignInFirst, console_role, login_redirect
from storefront.pages import render

# A kiosk left alone this long returns to the attract screen and forgets the cart.
IDLE_SECONDS = 90
# Often enough for the inactivity alert (minutes) to stay quiet, rare enough for a weak link.
HEARTBEAT_SECONDS = 60
# The web kiosk's version, reported when pairing and in heartbeats.
APP_VERSION = "web-kiosk/1"
KIOSK_STRINGS = (
    *CART,
    N_("Offline: orders are kept on this kiosk and sent when the connection returns."),
    N_("%(count)s orders waiting to be sent"),
    N_("Your order is saved. Please pay at the counter and show this code."),
    N_("Your order number"),
    N_("Please pay at the counter."),
    N_("The code was not accepted; ask the owner for a new one."),
    N_("This kiosk needs a secure connection (HTTPS) to pair."),
)
# Who may pair a kiosk: the same roles the devices API allows (not staff).
PAIRING_ROLES = frozenset({"owner", "admin"})


@get("/kiosk/{shop_id:uuid}", include_in_schema=False, exclude_from_auth=True)
async def kiosk_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
) -> Template:
    locale = page_locale(request)
    shop = await ShopService(db_session).get(shop_id)
    view = await shop_view(db_session, shop, locale, utcnow(), channel=Channel.kiosk)
    view |= {
        "idle_seconds": IDLE_SECONDS,
        "heartbeat_seconds": HEARTBEAT_SECONDS,
        "app_version": APP_VERSION,
        "js_strings": strings(locale.gettext, KIOSK_STRINGS),
    }
    return render(request, "kiosk.html", view, locale=locale)


@post("/owner/shops/{shop_id:uuid}/kiosk-pairing", include_in_schema=False, status_code=201)
async def new_kiosk_code(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
) -> Template:
    """A one-time code for a new kiosk of this shop, shown large for typing on the tablet."""
    _principal, role = await console_role(request, db_session, shop_id)
    if role not in PAIRING_ROLES:
        raise PermissionDenied("Only the shop's owner may pair a kiosk.")
    locale = page_locale(request)
    settings: Settings = request.app.state.settings
    service = DeviceService(db_session, settings.devices, settings.auth.secret_key)
    shop = await ShopService(db_session).get(shop_id)
    device = await service.register(
        NewDevice(
            street_id=await DeviceRepository(db_session).shop_street(shop_id),
            shop_id=shop_id,
            type=DeviceType.kiosk,
            name=f"Kiosk {utcnow().astimezone(TAIPEI):%Y-%m-%d %H:%M}",
        )
    )
    code, expires = await service.new_pairing_code(device, authenticated(request).account_id)
    context = {
        "shop": {"id": str(shop.id), "name": names(shop.name, locale.language)[0]},
        "code": code,
        "expires": expires.astimezone(TAIPEI).strftime("%H:%M"),
        "kiosk_href": f"/kiosk/{shop.id}",
    }
    return render(request, "owner/kiosk_code.html", context, status_code=201, locale=locale)


def kiosk_router() -> Router:
    return Router(
        path="/",
        route_handlers=[kiosk_page, new_kiosk_code],
        exception_handlers={SignInFirst: login_redirect},  # type: ignore[dict-item]
    )
