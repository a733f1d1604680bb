"""/api/streets: public reads; platform admins edit a street's texts."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import require_roles, require_scope
from infra.auth.roles import Role
from infra.db import utcnow
from merchant_api.i18n import resolve_language
from merchant_api.streets.hotspot_service import HotspotService
from merchant_api.streets.schemas import (
    StreetDetail,
    StreetSummary,
    StreetUpdate,
    street_detail,
    street_summary,
)
from merchant_api.streets.service import StreetService
from merchant_api.strict_body import decode_strictly


class StreetController(Controller):
    path = "/api/streets"
    tags = ["streets"]  # noqa: RUF012

    @get("/", summary="The programme's streets with their number of shops", exclude_from_auth=True)
    async def list_streets(
        self, db_session: NamedDependency[AsyncSession], lang: FromQuery[str | None] = None
    ) -> list[StreetSummary]:
        language = resolve_language(lang)
        rows = await StreetService(db_session).list_streets()
        return [street_summary(street, count, language) for street, count in rows]

    @get(
        "/{street_id:uuid}",
        summary="One street with its shops and hotspots",
        exclude_from_auth=True,
    )
    async def get_street(
        self,
        db_session: NamedDependency[AsyncSession],
        street_id: FromPath[uuid.UUID],
        lang: FromQuery[str | None] = None,
    ) -> StreetDetail:
        language = resolve_language(lang)
        return await _detail(db_session, street_id, language)

    @patch(
        "/{street_id:uuid}",
        summary="Change the street's names and descriptions (platform admins)",
        guards=[require_roles(Role.platform_admin), require_scope("streets:write")],
        security=[{"SessionCookie": []}, {"BearerToken": []}],
    )
    async def update_street(
        self,
        db_session: NamedDependency[AsyncSession],
        street_id: FromPath[uuid.UUID],
        data: JSONBody[StreetUpdate],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> StreetDetail:
        body = await decode_strictly(request, StreetUpdate)
        await StreetService(db_session).update(street_id, body)
        return await _detail(db_session, street_id, resolve_language(lang))


async def _detail(session: AsyncSession, street_id: uuid.UUID, language: str) -> StreetDetail:
    service = StreetService(session)
    found = await service.get(street_id)
    openings = await service.openings(found.shops, utcnow())
    hotspots = await HotspotService(session).list(street_id)
    return street_detail(found.street, found.shops, openings, hotspots, language)


def street_routes() -> list:  # type: ignore[type-arg]
    """The street controllers, for merchant_api.routes."""
    from merchant_api.streets.hotspot_routes import HotspotController

    return [StreetController, HotspotController]
