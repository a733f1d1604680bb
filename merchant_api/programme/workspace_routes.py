"""/api/programme/consultant and per-shop figures: the consultant workspace's JSON side."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, require_roles, shop_guard
from infra.auth.roles import Role
from infra.db import utcnow
from infra.errors import ValidationFailed
from infra.http.openapi import SIGNED_IN as SECURITY
from merchant_api.i18n import pick
from merchant_api.programme.facts_service import taipei_day
from merchant_api.programme.records_repository import RecordsRepository
from merchant_api.programme.shop_service import ShopFiguresService

CONSULTANTS = [require_roles(Role.consultant, Role.platform_admin)]
# Owners see their own shop's figures too; the ministry has no shop role, so never.
SHOP_READERS = [shop_guard(allow={"owner", "consultant", "admin"})]


class WorkspaceController(Controller):
    path = "/api/programme"
    tags = ["programme"]  # noqa: RUF012
    security = SECURITY

    @get(
        "/consultant/shops",
        summary="The shops you look after, with their scorecards",
        guards=CONSULTANTS,
    )
    async def my_shops(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> list[dict[str, Any]]:
        principal = authenticated(request)
        scope = None if principal.role == Role.platform_admin else principal.account_id
        figures = ShopFiguresService(db_session)
        today = taipei_day(utcnow())
        return [
            {
                "shop_id": shop.id,
                "slug": shop.slug,
                "name": pick(shop.name, "zh-Hant-TW"),
                "category": shop.category,
                "status": shop.status,
                "street": {
                    "id": street.id,
                    "slug": street.slug,
                    "name": pick(street.name, "zh-Hant-TW"),
                },
                "scorecard": await figures.scorecard(shop.id, today),
            }
            for shop, street in await RecordsRepository(db_session).covered_shops(scope)
        ]

    @get("/shops/{shop_id:uuid}/scorecard", summary="The shop's scorecard", guards=SHOP_READERS)
    async def scorecard(
        self, db_session: NamedDependency[AsyncSession], shop_id: FromPath[uuid.UUID]
    ) -> dict[str, Any]:
        return await ShopFiguresService(db_session).scorecard(shop_id, taipei_day(utcnow()))

    @get(
        "/shops/{shop_id:uuid}/analytics",
        summary="Sales, payment mix, hours, footfall, listings",
        guards=SHOP_READERS,
    )
    async def analytics(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        days: FromQuery[int] = 90,
    ) -> dict[str, Any]:
        if not 7 <= days <= 366:
            raise ValidationFailed("days is 7 to 366.")
        return await ShopFiguresService(db_session).analytics(shop_id, taipei_day(utcnow()), days)
