"""/api/shops/{shop_id}/advice: drafts for consultants, approved advice for the shop.

Consultants (assigned to the shop) and admins generate, edit, approve and reject drafts; the
shop's owner and staff see approved advice only and mark it done or not useful.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, require_scope, shop_guard, shop_role
from infra.db import utcnow
from infra.http.openapi import SIGNED_IN as SECURITY
from merchant_api.strict_body import decode_strictly
from recommender.advice.models import AdviceStatus
from recommender.advice.schemas import (
    AdviceEdit,
    AdviceFeedback,
    AdviceOut,
    AdviceReview,
    GenerateResult,
    advice_out,
)
from recommender.advice.service import AdviceService
from recommender.holidays import HolidayCalendar

REVIEWERS = frozenset({"consultant", "admin"})
SHOP_SIDE = frozenset({"owner", "staff", "admin"})
StatusFilter = Annotated[
    str | None, Parameter(pattern="^(" + "|".join(s.value for s in AdviceStatus) + ")$")
]


def _reviewer(request: Request[Any, Any, Any]) -> bool:
    return shop_role(request) in REVIEWERS


def _calendar(request: Request[Any, Any, Any]) -> HolidayCalendar:
    settings = request.app.state.settings
    return HolidayCalendar.from_file(settings.recommender.holidays_file or None)


class AdviceController(Controller):
    path = "/api/shops/{shop_id:uuid}/advice"
    tags = ["advice"]  # noqa: RUF012
    security = SECURITY

    @get(
        "/",
        summary="The shop's advice, best first: every state for its consultant, approved for "
        "the shop",
        guards=[require_scope("advice:read"), shop_guard()],
    )
    async def list_advice(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
        status: FromQuery[StatusFilter] = None,
    ) -> list[AdviceOut]:
        reviewer = _reviewer(request)
        items = await AdviceService(db_session).list_for_shop(
            shop_id, reviewer=reviewer, status=status
        )
        return [advice_out(i, reviewer=reviewer) for i in items]

    @post(
        "/generate",
        summary="Analyse the last 90 days now and replace the shop's unreviewed drafts",
        guards=[require_scope("advice:write"), shop_guard(allow=REVIEWERS)],
        status_code=201,
    )
    async def generate(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
    ) -> GenerateResult:
        made = await AdviceService(db_session).generate([shop_id], utcnow(), _calendar(request))
        return GenerateResult(shop_id=shop_id, drafts=made.get(shop_id, 0))

    @patch(
        "/{advice_id:uuid}",
        summary="Edit a draft's wording (zh-Hant-TW, en) or the consultant's note",
        guards=[require_scope("advice:write"), shop_guard(allow=REVIEWERS)],
    )
    async def edit(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        advice_id: FromPath[uuid.UUID],
        data: JSONBody[AdviceEdit],
        request: Request[Any, Any, Any],
    ) -> AdviceOut:
        body = await decode_strictly(request, AdviceEdit)
        item = await AdviceService(db_session).edit(
            shop_id, advice_id, body.title, body.body, body.note, utcnow()
        )
        return advice_out(item, reviewer=True)

    @post(
        "/{advice_id:uuid}/approve",
        summary="Approve a draft: the shop sees it from now on",
        guards=[require_scope("advice:write"), shop_guard(allow=REVIEWERS)],
        status_code=200,
    )
    async def approve(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        advice_id: FromPath[uuid.UUID],
        data: JSONBody[AdviceReview],
        request: Request[Any, Any, Any],
    ) -> AdviceOut:
        return await self._review(db_session, shop_id, advice_id, request, approve=True)

    @post(
        "/{advice_id:uuid}/reject",
        summary="Reject a draft: the shop never sees it",
        guards=[require_scope("advice:write"), shop_guard(allow=REVIEWERS)],
        status_code=200,
    )
    async def reject(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        advice_id: FromPath[uuid.UUID],
        data: JSONBody[AdviceReview],
        request: Request[Any, Any, Any],
    ) -> AdviceOut:
        return await self._review(db_session, shop_id, advice_id, request, approve=False)

    async def _review(
        self,
        db_session: AsyncSession,
        shop_id: uuid.UUID,
        advice_id: uuid.UUID,
        request: Request[Any, Any, Any],
        *,
        approve: bool,
    ) -> AdviceOut:
        body = await decode_strictly(request, AdviceReview)
        item = await AdviceService(db_session).review(
            shop_id, advice_id, approve, authenticated(request).account_id, body.note, utcnow()
        )
        return advice_out(item, reviewer=True)

    @post(
        "/{advice_id:uuid}/feedback",
        summary="The shop's verdict on approved advice: done (its effect gets measured) or "
        "not useful",
        # A change to the shop's own record, so the shop write scope, like its other settings.
        guards=[require_scope("shops:write"), shop_guard(allow=SHOP_SIDE)],
        status_code=200,
    )
    async def feedback(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        advice_id: FromPath[uuid.UUID],
        data: JSONBody[AdviceFeedback],
        request: Request[Any, Any, Any],
    ) -> AdviceOut:
        body = await decode_strictly(request, AdviceFeedback)
        item = await AdviceService(db_session).feedback(shop_id, advice_id, body.verdict, utcnow())
        return advice_out(item, reviewer=_reviewer(request))
