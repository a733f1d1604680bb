"""The owner's listing pages: the list, and one listing's edit form (names in every language,
price, stock, sold out, shown or hidden). A plain form post, so it works on any phone; a
refused change comes back with the reasons next to the fields and what was typed kept."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import ValidationFailed
from merchant_api.catalog.schemas import ListingUpdate
from merchant_api.catalog.service import CatalogService
from merchant_api.i18n import LANGUAGES
from merchant_api.shops.service import ShopService
from storefront.formatting import format_twd, names
from storefront.i18n import LANGUAGE_NAMES, N_, page_locale
from storefront.owner.access import console_role
from storefront.pages import render

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
MSG_NAME_REQUIRED = N_("The Chinese name is required.")
MSG_PRICE = N_("Enter the price in whole NT dollars, for example 120.")
MSG_STOCK = N_("Enter a whole number of items, or leave it empty for no count.")
MSG_SAVED = N_("Saved.")


@get("/owner/shops/{shop_id:uuid}/listings", include_in_schema=False)
async def listing_list(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
) -> Template:
    await console_role(request, db_session, shop_id)
    locale = page_locale(request)
    shop = await ShopService(db_session).get(shop_id)
    items = [
        {
            "id": str(listing.id),
            "name": names(listing.name, locale.language)[0],
            "price": format_twd(listing.price_minor),
            "shown": listing.is_available,
            "sold_out": listing.sold_out or listing.stock == 0,
            "stock": listing.stock,
        }
        for listing in await CatalogService(db_session).listings_of(shop_id)
    ]
    context = {"shop": {"id": str(shop_id), "name": names(shop.name, locale.language)[0]}}
    return render(request, "owner/listings.html", {**context, "items": items}, locale=locale)


@get("/owner/shops/{shop_id:uuid}/listings/{listing_id:uuid}", include_in_schema=False)
async def listing_form(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
    listing_id: FromPath[uuid.UUID],
) -> Template:
    principal, _role = await console_role(request, db_session, shop_id)
    listing = await CatalogService(db_session).listing_of_shop(shop_id, listing_id)
    values = {f"name_{code}": listing.name.get(code, "") for code in LANGUAGES}
    values |= {
        "price": str(listing.price_minor // 100),
        "stock": "" if listing.stock is None else str(listing.stock),
        "sold_out": listing.sold_out,
        "shown": listing.is_available,
    }
    saved = request.query_params.get("saved") == "1"
    return await listing_form_page(
        request, db_session, shop_id, listing_id, principal.csrf or "", values, {}, saved
    )


@post("/owner/shops/{shop_id:uuid}/listings/{listing_id:uuid}", include_in_schema=False)
async def save_listing(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
    listing_id: FromPath[uuid.UUID],
    data: dict[str, str] = FORM,
) -> Template | Redirect:
    principal, _role = await console_role(request, db_session, shop_id)
    values: dict[str, Any] = {
        f"name_{code}": data.get(f"name_{code}", "").strip() for code in LANGUAGES
    }
    values |= {
        "price": data.get("price", "").strip(),
        "stock": data.get("stock", "").strip(),
        "sold_out": data.get("sold_out") == "on",
        "shown": data.get("shown") == "on",
    }
    errors: dict[str, str] = {}
    if not values["name_zh-Hant-TW"]:
        errors["name_zh-Hant-TW"] = MSG_NAME_REQUIRED
    price = whole_number(values["price"], 0, 1_000_000)
    if price is None:
        errors["price"] = MSG_PRICE
    stock = None if values["stock"] == "" else whole_number(values["stock"], 0, 1_000_000)
    if values["stock"] != "" and stock is None:
        errors["stock"] = MSG_STOCK
    if not errors:
        update = ListingUpdate(
            name={code: values[f"name_{code}"] for code in LANGUAGES if values[f"name_{code}"]},
            price_minor=(price or 0) * 100,
            stock=stock,
            sold_out=values["sold_out"],
            is_available=values["shown"],
        )
        try:
            await CatalogService(db_session).update_listing(shop_id, listing_id, update)
        except ValidationFailed as refused:
            errors["form"] = refused.message
        else:
            return Redirect(f"{request.url.path}?saved=1", status_code=303)
    return await listing_form_page(
        request, db_session, shop_id, listing_id, principal.csrf or "", values, errors, False, 422
    )


def whole_number(text: str, low: int, high: int) -> int | None:
    try:
        value = int(text.replace(",", ""))
    except ValueError:
        return None
    return value if low <= value <= high else None


async def listing_form_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    shop_id: uuid.UUID,
    listing_id: uuid.UUID,
    csrf: str,
    values: dict[str, Any],
    errors: dict[str, str],
    saved: bool,
    status_code: int = 200,
    extras: dict[str, Any] | None = None,
) -> Template:
    """The form with what was typed and the reasons; `extras` carries the photo and option
    sections' own typed values and errors (listing_extras.py)."""
    locale = page_locale(request)
    _ = locale.gettext
    catalog = CatalogService(session)
    listing = await catalog.listing_of_shop(shop_id, listing_id)
    (details,) = await catalog.details([listing])
    context = {
        "shop_id": str(shop_id),
        "listing_id": str(listing_id),
        "csrf": csrf,
        "values": values,
        "errors": {key: _(message) for key, message in errors.items()},
        "saved": _(MSG_SAVED) if saved else "",
        "name_fields": [
            {"key": f"name_{code}", "code": code, "label": LANGUAGE_NAMES[code]}
            for code in LANGUAGES
        ],
        "photos": [{"id": str(photo.id)} for photo in details.photos],
        "groups": [
            {
                "id": str(group.id),
                "name": names(group.name, locale.language)[0],
                "required": group.required,
                "max_choices": group.max_choices,
                "options": [
                    {
                        "name": names(option.name, locale.language)[0],
                        "delta": _signed_twd(option.price_delta_minor),
                    }
                    for option in options
                ],
            }
            for group, options in details.groups
        ],
        "group_values": {
            "group_name": "",
            "group_max": "1",
            "group_options": "",
            "group_required": False,
        },
        "group_errors": {},
        "photo_error": "",
        **(extras or {}),
    }
    return render(
        request, "owner/listing_form.html", context, status_code=status_code, locale=locale
    )


def _signed_twd(minor: int) -> str:
    return ("+" if minor >= 0 else "-") + format_twd(abs(minor)) if minor else ""


def listing_routes() -> list[Any]:
    return [listing_list, listing_form, save_listing]
