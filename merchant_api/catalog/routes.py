"""/api/shops/{shop_id}/listings: a shop's own people add to its catalogue."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import require_scope, shop_guard
from merchant_api.catalog.schemas import ListingCreate, ListingOut, listing_out
from merchant_api.catalog.service import CatalogService
from merchant_api.i18n import resolve_language
from merchant_api.strict_body import decode_strictly

# Platform admins may add listings for owners who need help; consultants advise, not edit.
LISTING_EDITORS = frozenset({"owner", "staff", "admin"})


class ListingController(Controller):
    path = "/api/shops/{shop_id:uuid}/listings"
    tags = ["catalog"]  # noqa: RUF012

    @post(
        "/",
        summary="Add a listing to the shop's catalogue",
        guards=[require_scope("catalog:write"), shop_guard(allow=LISTING_EDITORS)],
        security=[{"SessionCookie": []}, {"BearerToken": []}],
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
        listing = await CatalogService(db_session).create_listing(shop_id, body)
        return listing_out(listing, resolve_language(lang))
