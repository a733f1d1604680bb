"""The shop's points in the console: the settlement statement of a month (points the shop
funded, points it accepted as payment, the net the programme clearing pays or collects) with a
CSV download, and the latest points moved at the counter. Read-only: settling a month is the
platform's job (POST /api/loyalty/settlements); a month not settled yet says so."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from merchant_api.i18n import pick
from merchant_api.shops.schedule import TAIPEI
from merchant_api.shops.service import ShopService
from payments.loyalty.errors import PeriodOpen
from payments.loyalty.models import LoyaltyStatement
from payments.loyalty.routes import loyalty_service
from payments.loyalty.settlement import (
    PERIOD,
    SettlementService,
    previous_period,
    statements_csv,
)
from storefront.formatting import format_twd
from storefront.i18n import N_, page_locale
from storefront.owner.access import console_role
from storefront.pages import render

MONTHS_LISTED = 6
RECENT = 20
ACTIVITY = {
    "earn": N_("Given to a customer"),
    "clawback": N_("Taken back after a refund"),
    "capture": N_("Accepted as payment"),
}


def _months(now_period: str, count: int) -> list[str]:
    year, month = (int(part) for part in now_period.split("-"))
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


async def _statement(
    request: Request[Any, Any, Any], session: AsyncSession, shop_id: uuid.UUID, period: str
) -> list[LoyaltyStatement] | None:
    """The shop's lines of a settled month (usually one), or None while it is not settled."""
    service = SettlementService(session, request.app.state.settings.loyalty.point_value_minor)
    try:
        lines = await service.statements(period, shop_id)
    except PeriodOpen:
        return None
    return [line for line in lines if line.party_kind == "shop"]


@get("/owner/shops/{shop_id:uuid}/points", include_in_schema=False)
async def points_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
) -> Template:
    await console_role(request, db_session, shop_id)
    locale = page_locale(request)
    _ = locale.gettext
    months = _months(previous_period(utcnow()), MONTHS_LISTED)
    # Any month can be asked for (an old one from a bookmark); a malformed one reads as the last.
    asked = request.query_params.get("period", "")
    period = asked if PERIOD.match(asked) else months[0]
    lines = await _statement(request, db_session, shop_id, period)
    statement = None
    if lines is not None:
        net = sum(line.net_minor for line in lines)
        statement = {
            "funded": sum(line.points_funded for line in lines),
            "accepted": sum(line.points_accepted for line in lines),
            "funded_redeemed": sum(line.funded_points_redeemed for line in lines),
            "net": format_twd(abs(net)),
            "net_label": _("The programme pays you") if net >= 0 else _("You pay the programme"),
        }
    loyalty = loyalty_service(request, db_session)
    activity = [
        {
            "what": _(ACTIVITY.get(str(reason), str(reason))),
            "points": int(points or 0),
            "at": at.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M"),
        }
        for _tx, reason, points, at in await loyalty.repo.shop_activity(shop_id, RECENT)
    ]
    shop = await ShopService(db_session).get(shop_id)
    context = {
        "shop": {"id": str(shop_id), "name": pick(shop.name, locale.language)},
        "period": period,
        "months": months,
        "statement": statement,
        "activity": activity,
    }
    return render(request, "owner/points.html", context, locale=locale)


@get("/owner/shops/{shop_id:uuid}/points/statement.csv", include_in_schema=False)
async def statement_csv(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
) -> Response[str]:
    await console_role(request, db_session, shop_id)
    period = request.query_params.get("period", "")
    service = SettlementService(db_session, request.app.state.settings.loyalty.point_value_minor)
    # Refuses a malformed or unsettled month with the loyalty API's own 4xx and error code.
    lines = [s for s in await service.statements(period, shop_id) if s.party_kind == "shop"]
    return Response(
        content=statements_csv(lines),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="points-{period}.csv"'},
    )


def points_routes() -> list[Any]:
    return [points_page, statement_csv]
