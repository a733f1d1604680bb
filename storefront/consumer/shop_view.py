"""What a shop's page shows, read through merchant_api's services: the menu for the channel the
visitor came by (counter, table QR or pick-up), opening hours, recent reviews and payments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.catalog.models import Channel
from merchant_api.catalog.service import CatalogService, ListingDetails
from merchant_api.i18n import pick
from merchant_api.reviews.service import ReviewService
from merchant_api.shops.models import Shop
from merchant_api.shops.schedule import TAIPEI
from merchant_api.shops.service import ShopService
from merchant_api.streets.service import StreetService
from storefront.formatting import CATEGORY_LABELS, format_twd, names, payment_labels
from storefront.i18n import N_, PageLocale

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
RECENT_REVIEWS = 5
# Thumbnails are drawn 96 px wide; the 160 px rendition stays sharp on 1.5x phone screens.
THUMB_WIDTH = "160"


async def shop_view(
    session: AsyncSession,
    shop: Shop,
    locale: PageLocale,
    now: datetime,
    *,
    table: str = "",
    pickup: bool = False,
    channel: Channel | None = None,
) -> dict[str, Any]:
    _ = locale.gettext
    language = locale.language
    if channel is None:
        channel = (
            Channel.table_qr if table else Channel.online_pickup if pickup else Channel.counter
        )
    facts = await ShopService(session).page_facts(shop, now)
    street = await StreetService(session).find(shop.street_id)
    categories, details = await CatalogService(session).menu(shop.id, channel, now)
    reviews = await ReviewService(session).page(shop.id, RECENT_REVIEWS, 0)
    name, second = names(shop.name, language)
    sections: dict[Any, dict[str, Any]] = {
        c.id: {"name": pick(c.name, language), "items": []} for c in categories
    }
    other = {"name": _("Other"), "items": []}
    for item in details:
        section = sections.get(item.listing.category_id, other)
        section["items"].append(listing_view(item, language))
    opening = facts.opening
    return {
        "shop": {
            "id": str(shop.id),
            "slug": shop.slug,
            "name": name,
            "second": second,
            "about": pick(shop.description, language),
            "category": _(CATEGORY_LABELS.get(shop.category, shop.category)),
            "address": shop.address,
            "phone": shop.phone,
            "is_open": opening.is_open,
            "closes_at": _clock(opening.closes_at),
            "next_opens_at": _clock(opening.next_opens_at),
            "payments": payment_labels(facts.payment_methods, _),
        },
        "street": {"slug": street.slug, "name": names(street.name, language)[0]},
        "channel": channel.value,
        "table": table,
        "sections": [s for s in [*sections.values(), other] if s["items"]],
        "hours": [
            {
                "day": _(WEEKDAYS[p.weekday]),
                "from": _minutes(p.opens_minute),
                "to": _minutes(p.closes_minute),
            }
            for p in sorted(facts.weekly, key=lambda p: (p.weekday, p.opens_minute))
        ],
        "reviews": [
            {
                "rating": r.rating,
                "stars": "★" * r.rating + "☆" * (5 - r.rating),
                "text": r.text or "",
                "reply": r.reply or "",
            }
            for r in reviews
        ],
    }


def listing_view(item: ListingDetails, language: str) -> dict[str, Any]:
    listing = item.listing
    name, second = names(listing.name, language)
    photo = item.photos[0] if item.photos else None
    in_stock = not listing.sold_out and (listing.stock is None or listing.stock > 0)
    return {
        "id": str(listing.id),
        "name": name,
        "second": second,
        "about": pick(listing.description, language),
        "price_minor": listing.price_minor,
        "price": format_twd(listing.price_minor),
        "in_stock": in_stock,
        "photo": f"/media/listing-photos/{photo.id}/{THUMB_WIDTH}.webp" if photo else None,
        "groups": [
            {
                "id": str(group.id),
                "name": pick(group.name, language),
                "required": group.required or group.min_choices > 0,
                # One choice: radio buttons; several: check boxes.
                "multiple": group.max_choices > 1,
                "max": group.max_choices,
                "options": [
                    {
                        "id": str(option.id),
                        "name": pick(option.name, language),
                        "delta_minor": option.price_delta_minor,
                        "delta": format_twd(option.price_delta_minor)
                        if option.price_delta_minor
                        else "",
                    }
                    for option in options
                    if option.is_available
                ],
            }
            for group, options in item.groups
        ],
    }


def _minutes(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


def _clock(at: datetime | None) -> str:
    return at.astimezone(TAIPEI).strftime("%H:%M") if at else ""
