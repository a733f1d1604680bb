"""GET /api/streets and /api/streets/{street_id}: public reads."""

from __future__ import annotations

import uuid

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.i18n import resolve_language
from merchant_api.streets.schemas import (
    StreetDetail,
    StreetSummary,
    street_detail,
    street_summary,
)
from merchant_api.streets.service import StreetService


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

    @get("/{street_id:uuid}", summary="One street with its shops", exclude_from_auth=True)
    async def get_street(
        self,
        db_session: NamedDependency[AsyncSession],
        street_id: FromPath[uuid.UUID],
        lang: FromQuery[str | None] = None,
    ) -> StreetDetail:
        language = resolve_language(lang)
        found = await StreetService(db_session).get(street_id)
        return street_detail(found.street, found.shops, language)
