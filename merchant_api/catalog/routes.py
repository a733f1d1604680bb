"""/api/shops/{shop_id}/listings and /menu: a shop's own people edit; anyone reads the menu."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import require_scope, shop_guard
from infra.db import utcnow
from infra.http.openapi import SIGNED_IN as SECURITY
from merchant_api.catalog.models import Channel
from merchant_api.catalog.schemas import (
    ListingCreate,
    ListingOut,
    ListingUpdate,
    MenuOut,
    MenuSection,
    category_out,
    group_out,
    listing_out,
)
from merchant_api.catalog.service import CatalogService, ListingDetails
from merchant_api.i18n import pick, resolve_language
from merchant_api.strict_body import decode_strictly

# Platform admins may edit for owners who need help; consultants advise, not edit.
LISTING_EDITORS = frozenset({"owner", "staff", "admin"})
WRITE_GUARDS = [require_scope("catalog:write"), shop_guard(allow=LISTING_EDITORS)]


def detailed_out(details: ListingDetails, language: str) -> ListingOut:
    groups = [group_out(group, options, language) for group, options in details.groups]
    return listing_out(details.listing, language, groups, details.photos, details.rating)


async def _answer(service: CatalogService, listing: Any, lang: str | None) -> ListingOut:
    (details,) = await service.details([listing])
    return detailed_out(details, resolve_language(lang))


class ListingController(Controller):
    path = "/api/shops/{shop_id:uuid}/listings"
    tags = ["catalog"]  # noqa: RUF012

    @post(
        "/", summary="Add a listing to the shop's catalogue", guards=WRITE_GUARDS, security=SECURITY
    )
    async def create_listing(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[ListingCreate],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> ListingOut:
        # `data` documents the body and has passed Litestar's checks; prices need JSON types.
        body = await decode_strictly(request, ListingCreate)
        service = CatalogService(db_session)
        return await _answer(service, await service.create_listing(shop_id, body), lang)

    @get(
        "/",
        summary="Every listing of the shop that is not removed, for its own people",
        guards=[require_scope("catalog:read"), shop_guard()],
        security=SECURITY,
    )
    async def list_listings(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        lang: FromQuery[str | None] = None,
    ) -> list[ListingOut]:
        service = CatalogService(db_session)
        language = resolve_language(lang)
        details = await service.details(await service.listings_of(shop_id))
        return [detailed_out(item, language) for item in details]

    @get(
        "/{listing_id:uuid}",
        summary="One listing by id, removed ones included (order history reads them)",
        exclude_from_auth=True,
    )
    async def get_listing(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
        lang: FromQuery[str | None] = None,
    ) -> ListingOut:
        service = CatalogService(db_session)
        listing = await service.listing_of_shop(shop_id, listing_id, include_deleted=True)
        return await _answer(service, listing, lang)

    @patch(
        "/{listing_id:uuid}",
        summary="Change a listing: texts, price, stock, sold out, channels, hours, tags",
        guards=WRITE_GUARDS,
        security=SECURITY,
    )
    async def update_listing(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
        data: JSONBody[ListingUpdate],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> ListingOut:
        body = await decode_strictly(request, ListingUpdate)
        service = CatalogService(db_session)
        return await _answer(service, await service.update_listing(shop_id, listing_id, body), lang)

    @delete(
        "/{listing_id:uuid}",
        summary="Remove a listing from menus (kept for order history)",
        guards=WRITE_GUARDS,
        security=SECURITY,
    )
    async def remove_listing(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
    ) -> None:
        await CatalogService(db_session).remove_listing(shop_id, listing_id)


class MenuController(Controller):
    path = "/api/shops/{shop_id:uuid}/menu"
    tags = ["catalog"]  # noqa: RUF012

    @get(
        "/",
        summary="What a consumer can order now on a channel, by category, in a language",
        exclude_from_auth=True,
    )
    async def menu(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        channel: FromQuery[Channel] = Channel.counter,
        lang: FromQuery[str | None] = None,
        at: FromQuery[datetime | None] = None,
    ) -> MenuOut:
        language = resolve_language(lang)
        when = at if at is not None and at.tzinfo is not None else utcnow()
        categories, details = await CatalogService(db_session).menu(shop_id, channel, when)
        by_category: dict[uuid.UUID | None, list[ListingOut]] = {}
        for item in details:
            by_category.setdefault(item.listing.category_id, []).append(
                detailed_out(item, language)
            )
        sections = [
            MenuSection(
                category.id, category_out(category, language).name, by_category[category.id]
            )
            for category in categories
            if by_category.get(category.id)
        ]
        if by_category.get(None):
            sections.append(
                MenuSection(
                    None, pick({"zh-Hant-TW": "其他", "en": "Other"}, language), by_category[None]
                )
            )
        return MenuOut(shop_id=shop_id, channel=channel.value, language=language, sections=sections)
