"""/api/streets/{street_id}/hotspots: public list; consultants of the street and admins
record and change hotspots."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import street_guard
from infra.http.openapi import SIGNED_IN as SECURITY
from merchant_api.consultant_guard import programme_write
from merchant_api.i18n import resolve_language
from merchant_api.streets.hotspot_schemas import HotspotIn, HotspotOut, HotspotUpdate, hotspot_out
from merchant_api.streets.hotspot_service import HotspotService
from merchant_api.strict_body import decode_strictly

WRITE_GUARDS = [street_guard(), programme_write("streets:write")]


class HotspotController(Controller):
    path = "/api/streets/{street_id:uuid}/hotspots"
    tags = ["streets"]  # noqa: RUF012

    @get("/", summary="The street's WiFi hotspots", exclude_from_auth=True)
    async def list_hotspots(
        self,
        db_session: NamedDependency[AsyncSession],
        street_id: FromPath[uuid.UUID],
        lang: FromQuery[str | None] = None,
    ) -> list[HotspotOut]:
        language = resolve_language(lang)
        found = await HotspotService(db_session).list(street_id)
        return [hotspot_out(hotspot, language) for hotspot in found]

    @post("/", summary="Record a hotspot on the street", guards=WRITE_GUARDS, security=SECURITY)
    async def add_hotspot(
        self,
        db_session: NamedDependency[AsyncSession],
        street_id: FromPath[uuid.UUID],
        data: JSONBody[HotspotIn],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> HotspotOut:
        body = await decode_strictly(request, HotspotIn)
        hotspot = await HotspotService(db_session).add(street_id, body)
        return hotspot_out(hotspot, resolve_language(lang))

    @patch(
        "/{hotspot_id:uuid}",
        summary="Change a hotspot (its status: planned, active, faulty, retired)",
        guards=WRITE_GUARDS,
        security=SECURITY,
    )
    async def update_hotspot(
        self,
        db_session: NamedDependency[AsyncSession],
        street_id: FromPath[uuid.UUID],
        hotspot_id: FromPath[uuid.UUID],
        data: JSONBody[HotspotUpdate],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> HotspotOut:
        body = await decode_strictly(request, HotspotUpdate)
        hotspot = await HotspotService(db_session).update(street_id, hotspot_id, body)
        return hotspot_out(hotspot, resolve_language(lang))
