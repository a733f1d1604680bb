"""/api/shops/{shop_id}/categories: the shop's menu sections."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.catalog.routes import SECURITY, WRITE_GUARDS
from merchant_api.catalog.schemas import CategoryIn, CategoryOut, CategoryUpdate, category_out
from merchant_api.catalog.service import CatalogService
from merchant_api.i18n import resolve_language
from merchant_api.strict_body import decode_strictly


class CategoryController(Controller):
    path = "/api/shops/{shop_id:uuid}/categories"
    tags = ["catalog"]  # noqa: RUF012

    @get("/", summary="The shop's menu sections", exclude_from_auth=True)
    async def list_categories(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        lang: FromQuery[str | None] = None,
    ) -> list[CategoryOut]:
        language = resolve_language(lang)
        categories = await CatalogService(db_session).categories_of(shop_id)
        return [category_out(category, language) for category in categories]

    @post("/", summary="Add a menu section", guards=WRITE_GUARDS, security=SECURITY)
    async def create_category(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[CategoryIn],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> CategoryOut:
        body = await decode_strictly(request, CategoryIn)
        category = await CatalogService(db_session).create_category(shop_id, body)
        return category_out(category, resolve_language(lang))

    @patch(
        "/{category_id:uuid}",
        summary="Rename or move a section",
        guards=WRITE_GUARDS,
        security=SECURITY,
    )
    async def update_category(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        category_id: FromPath[uuid.UUID],
        data: JSONBody[CategoryUpdate],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> CategoryOut:
        body = await decode_strictly(request, CategoryUpdate)
        category = await CatalogService(db_session).update_category(shop_id, category_id, body)
        return category_out(category, resolve_language(lang))

    @delete(
        "/{category_id:uuid}",
        summary="Remove a section; its listings stay, uncategorised",
        guards=WRITE_GUARDS,
        security=SECURITY,
    )
    async def delete_category(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        category_id: FromPath[uuid.UUID],
    ) -> None:
        await CatalogService(db_session).delete_category(shop_id, category_id)
