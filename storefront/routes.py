"""Server-rendered pages: the programme home, a street and a shop.

Pages read through merchant_api's services (never SQL) and hand plain view dictionaries to the
templates, so templates stay free of logic and the pages stay fast on cheap phones.
"""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound
from merchant_api.i18n import pick
from merchant_api.shops.service import ShopService
from merchant_api.streets.models import Street
from merchant_api.streets.service import StreetService
from storefront.formatting import CATEGORY_LABELS, format_twd

ZH = "zh-Hant-TW"


@get("/", include_in_schema=False, exclude_from_auth=True)
async def home(db_session: NamedDependency[AsyncSession]) -> Template:
    streets = [
        {
            "slug": street.slug,
            "name": pick(street.name, ZH),
            "name_en": pick(street.name, "en"),
            "county": street.county,
            "township": street.township,
            "digital_level": street.digital_level,
            "flags": _area_flags(street),
            "shop_count": count,
        }
        for street, count in await StreetService(db_session).list_streets()
    ]
    return Template(template_name="home.html", context={"streets": streets})


@get("/streets/{slug:str}", include_in_schema=False, exclude_from_auth=True)
async def street_page(db_session: NamedDependency[AsyncSession], slug: FromPath[str]) -> Template:
    try:
        found = await StreetService(db_session).get_by_slug(slug)
    except NotFound:
        return _not_found("找不到這條街。", "This street does not exist.")
    street = found.street
    groups = []
    for category, (label, label_en) in CATEGORY_LABELS.items():
        shops = [
            {
                "slug": shop.slug,
                "name": pick(shop.name, ZH),
                "name_en": pick(shop.name, "en"),
                "about": pick(shop.description, ZH),
            }
            for shop in found.shops
            if shop.category == category and shop.status == "active"
        ]
        if shops:
            groups.append({"label": label, "label_en": label_en, "shops": shops})
    context = {
        "street": {
            "name": pick(street.name, ZH),
            "name_en": pick(street.name, "en"),
            "about": pick(street.description, ZH),
            "about_en": pick(street.description, "en"),
            "county": street.county,
            "township": street.township,
            "flags": _area_flags(street),
        },
        "groups": groups,
    }
    return Template(template_name="street.html", context=context)


@get("/shops/{slug:str}", include_in_schema=False, exclude_from_auth=True)
async def shop_page(db_session: NamedDependency[AsyncSession], slug: FromPath[str]) -> Template:
    try:
        found = await ShopService(db_session).get_by_slug_with_listings(slug)
    except NotFound:
        return _not_found("找不到這家店。", "This shop does not exist.")
    shop = found.shop
    street = await StreetService(db_session).find(shop.street_id)
    label, label_en = CATEGORY_LABELS[shop.category]
    context = {
        "shop": {
            "name": pick(shop.name, ZH),
            "name_en": pick(shop.name, "en"),
            "about": pick(shop.description, ZH),
            "about_en": pick(shop.description, "en"),
            "category": label,
            "category_en": label_en,
            "address": shop.address,
            "phone": shop.phone,
        },
        "street": {"slug": street.slug, "name": pick(street.name, ZH)},
        "listings": [
            {
                "name": pick(listing.name, ZH),
                "name_en": pick(listing.name, "en"),
                "price": format_twd(listing.price_minor),
                "available": listing.is_available,
            }
            for listing in found.listings
        ],
    }
    return Template(template_name="shop.html", context=context)


def _area_flags(street: Street) -> list[str]:
    flags = [("離島", street.is_outlying_island), ("原住民族地區", street.is_indigenous_area)]
    flags.append(("偏遠地區", street.is_remote))
    return [label for label, present in flags if present]


def _not_found(message: str, message_en: str) -> Template:
    return Template(
        template_name="not_found.html",
        context={"message": message, "message_en": message_en},
        status_code=404,
    )


def storefront_routes() -> list:  # type: ignore[type-arg]
    return [home, street_page, shop_page]
