"""/api/shops/{shop_id}/hours, /closures and /special-openings: public reads, and writes by
the shop's owners, staff and platform admins."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, require_scope, shop_guard
from infra.db import utcnow
from infra.errors import ValidationFailed
from infra.http.openapi import SIGNED_IN as SECURITY
from merchant_api.i18n import resolve_language
from merchant_api.shops.hours_schemas import (
    ClosureIn,
    ClosureOut,
    HoursOut,
    SpecialDayIn,
    WeeklyHoursIn,
    closure_out,
    opening_now,
    period_out,
    special_out,
)
from merchant_api.shops.hours_service import HoursService
from merchant_api.shops.schedule import TAIPEI
from merchant_api.strict_body import decode_strictly

# The same people who may edit the shop's other details (see merchant_api.shops.routes).
HOURS_EDITORS = frozenset({"owner", "staff", "admin"})
EDIT_GUARDS = [require_scope("shops:write"), shop_guard(allow=HOURS_EDITORS)]


class HoursController(Controller):
    path = "/api/shops/{shop_id:uuid}"
    tags = ["shops"]  # noqa: RUF012

    @get(
        "/hours",
        summary="Weekly hours, coming closures and special openings; open now or next opening",
        description="`at` (ISO 8601 with offset) asks about another moment; times are "
        "shown in Asia/Taipei.",
        exclude_from_auth=True,
    )
    async def get_hours(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        lang: FromQuery[str | None] = None,
        at: FromQuery[datetime | None] = None,
    ) -> HoursOut:
        return await _hours(db_session, shop_id, resolve_language(lang), _moment(at))

    @put(
        "/hours",
        summary="Replace the shop's weekly opening hours",
        guards=EDIT_GUARDS,
        security=SECURITY,
    )
    async def put_hours(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[WeeklyHoursIn],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> HoursOut:
        body = await decode_strictly(request, WeeklyHoursIn)
        await HoursService(db_session).replace_weekly(shop_id, body)
        return await _hours(db_session, shop_id, resolve_language(lang), utcnow())

    @put(
        "/special-openings/{on_date:date}",
        summary="Set (or with no periods, remove) the opening periods of one date",
        guards=EDIT_GUARDS,
        security=SECURITY,
    )
    async def put_special_day(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        on_date: FromPath[date],
        data: JSONBody[SpecialDayIn],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> HoursOut:
        body = await decode_strictly(request, SpecialDayIn)
        now = utcnow()
        await HoursService(db_session).replace_special_day(shop_id, on_date, body, _today(now))
        return await _hours(db_session, shop_id, resolve_language(lang), now)

    @post(
        "/closures",
        summary="Announce a holiday or temporary closure (whole days, Asia/Taipei)",
        guards=EDIT_GUARDS,
        security=SECURITY,
    )
    async def add_closure(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[ClosureIn],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> ClosureOut:
        body = await decode_strictly(request, ClosureIn)
        by = authenticated(request).account_id
        closure = await HoursService(db_session).add_closure(shop_id, body, by, _today(utcnow()))
        return closure_out(closure, resolve_language(lang))

    @delete(
        "/closures/{closure_id:uuid}",
        summary="Withdraw a closure",
        guards=EDIT_GUARDS,
        security=SECURITY,
    )
    async def remove_closure(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        closure_id: FromPath[uuid.UUID],
    ) -> None:
        await HoursService(db_session).remove_closure(shop_id, closure_id)


async def _hours(
    session: AsyncSession, shop_id: uuid.UUID, language: str, at: datetime
) -> HoursOut:
    found = await HoursService(session).read(shop_id, at)
    return HoursOut(
        shop_id=shop_id,
        at=at.astimezone(TAIPEI),
        time_zone="Asia/Taipei",
        language=language,
        weekly=[period_out(period) for period in found.weekly],
        closures=[closure_out(closure, language) for closure in found.closures],
        special_openings=[special_out(period, language) for period in found.special],
        now=opening_now(found.status, language),
    )


def _moment(at: datetime | None) -> datetime:
    if at is None:
        return utcnow()
    if at.tzinfo is None:
        raise ValidationFailed(
            "Give `at` with its offset, like 2026-02-01T12:00:00+08:00.",
            details={"problems": [{"key": "at", "message": "No offset.", "source": "query"}]},
        )
    return at


def _today(now: datetime) -> date:
    return now.astimezone(TAIPEI).date()
