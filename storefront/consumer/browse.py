"""The programme home, a street's shops by category, and a shop's page with its menu.

Pages read through merchant_api's services (never SQL) and hand plain view dictionaries to the
templates, so templates stay free of logic and the pages stay fast on cheap phones.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.errors import NotFound
from merchant_api.i18n import pick
from merchant_api.shops.service import ShopService
from merchant_api.streets.models import Street
from merchant_api.streets.service import StreetService
from storefront.consumer.shop_view import shop_view
from storefront.consumer.strings import CART, strings
from storefront.consumer.visits import count_visit
from storefront.formatting import CATEGORY_LABELS, names
from storefront.i18n import page_locale
from storefront.pages import csrf_of, not_found, render


@get("/", include_in_schema=False, exclude_from_auth=True)
async def home(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    locale = page_locale(request)
    streets = []
    for street, count in await StreetService(db_session).list_streets():
        name, second = names(street.name, locale.language)
        streets.append(
            {
                "slug": street.slug,
                "name": name,
                "second": second,
                "county": street.county,
                "township": street.township,
                "flags": _area_flags(street),
                "shop_count": count,
            }
        )
    # The demo's home page leads to the three journeys `onestreet demo` prints.
    demo = request.app.state.settings.app.environment == "embedded"
    return render(request, "home.html", {"streets": streets, "demo": demo}, locale=locale)


@get("/streets/{slug:str}", include_in_schema=False, exclude_from_auth=True)
async def street_page(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], slug: FromPath[str]
) -> Template:
    locale = page_locale(request)
    _ = locale.gettext
    try:
        found = await StreetService(db_session).get_by_slug(slug)
    except NotFound:
        return not_found(request, _("This street does not exist."))
    street = found.street
    groups = []
    for category, label in CATEGORY_LABELS.items():
        shops = []
        for shop in found.shops:
            if shop.category == category and shop.status == "active":
                name, second = names(shop.name, locale.language)
                about = pick(shop.description, locale.language)
                shops.append({"slug": shop.slug, "name": name, "second": second, "about": about})
        if shops:
            groups.append({"label": _(label), "shops": shops})
    name, second = names(street.name, locale.language)
    context = {
        "street": {
            "name": name,
            "second": second,
            "about": pick(street.description, locale.language),
            "county": street.county,
            "township": street.township,
            "flags": _area_flags(street),
        },
        "groups": groups,
    }
    return render(request, "street.html", context, locale=locale)


# Not excluded from auth: a signed-in consumer's cart needs the session's CSRF token.
@get("/shops/{slug:str}", include_in_schema=False)
async def shop_page(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], slug: FromPath[str]
) -> Template:
    locale = page_locale(request)
    try:
        shop = await ShopService(db_session).get_by_slug(slug)
    except NotFound:
        return not_found(request, locale.gettext("This shop does not exist."))
    table = (request.query_params.get("table") or "").strip()[:40]
    pickup = request.query_params.get("pickup") == "1"
    now = utcnow()
    view = await shop_view(db_session, shop, locale, now, table=table, pickup=pickup)
    view["js_strings"] = strings(locale.gettext, CART)
    # A signed-in consumer's order is a cookie-authenticated write: it needs the CSRF token.
    view["csrf"] = csrf_of(request)
    page = render(request, "shop.html", view, locale=locale)
    visit = await count_visit(request, db_session, shop.id, now)
    if visit is not None:
        page.cookies.append(visit)
    return page


def _area_flags(street: Street) -> list[str]:
    # Official area designations of the plan; shown as written by the ministry.
    flags = [("離島", street.is_outlying_island), ("原住民族地區", street.is_indigenous_area)]
    flags.append(("偏遠地區", street.is_remote))
    return [label for label, present in flags if present]


def browse_routes() -> list[Any]:
    return [home, street_page, shop_page]
