"""The ministry dashboard, its printable report, and the consultant workspace.

Pages read through merchant_api's programme services (never SQL) and hand plain view
dictionaries to the templates. A visitor who is not signed in gets the login page.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import principal_of
from infra.auth.principal import Principal
from infra.auth.roles import Role
from infra.db import utcnow
from infra.errors import PermissionDenied
from merchant_api.i18n import pick
from merchant_api.programme.county_map import county_tiles
from merchant_api.programme.facts_service import taipei_day
from merchant_api.programme.kpi_repository import Filters
from merchant_api.programme.kpi_service import KpiService
from merchant_api.programme.params import checked_year
from merchant_api.programme.periods import year_days
from merchant_api.programme.records_repository import RecordsRepository
from merchant_api.programme.shop_service import ShopFiguresService
from recommender.advice.service import AdviceService
from storefront.formatting import format_twd
from storefront.programme.charts import bars, progress_percent

READERS = (Role.ministry_viewer, Role.consultant, Role.platform_admin)
ADVISERS = (Role.consultant, Role.platform_admin)


def _who(request: Request[Any, Any, Any], roles: tuple[Role, ...]) -> Principal | Redirect:
    principal = principal_of(request)
    if principal is None:
        return Redirect(f"/login?next={quote(request.url.path)}", status_code=303)
    if principal.role not in roles:
        raise PermissionDenied("This page is for the programme's consultants and the ministry.")
    return principal


def _min_cell(request: Request[Any, Any, Any]) -> int:
    return request.app.state.settings.programme.min_cell_count


def _shown(kpi: str, value: int | None) -> str:
    if value is None:
        return "—"
    return f"NT${value:,}" if kpi == "business" else f"{value:,}"


async def _dashboard_context(
    request: Request[Any, Any, Any], session: AsyncSession, roc_year: int | None
) -> dict[str, Any]:
    year = checked_year(roc_year)
    service = KpiService(session, _min_cell(request))
    kpis = []
    for item in await service.overview(year, Filters()):
        selected = item["selected"]
        kpis.append(
            {
                **item,
                "actual_text": _shown(item["kpi"], selected["actual"]),
                "target_text": _shown(item["kpi"], selected["target"]),
                "progress": progress_percent(selected["actual"], selected["target"]),
                "trend": bars([(f"{m['month']}", m["actual"]) for m in item["monthly"]]),
                "by_year": bars([(str(y["roc_year"]), y["actual"]) for y in item["years"]]),
            }
        )
    tiles = await county_tiles(session, year, _min_cell(request), service)
    return {
        "year": year,
        "years": service.years(year),
        "kpis": kpis,
        "tiles": tiles,
        "rows": max(t["row"] for t in tiles) + 1,
        "min_cell": _min_cell(request),
        "generated_at": utcnow().isoformat(timespec="minutes"),
    }


@get("/programme", include_in_schema=False)
async def ministry_dashboard(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    roc_year: FromQuery[int | None] = None,
) -> Template | Redirect:
    who = _who(request, READERS)
    if isinstance(who, Redirect):
        return who
    context = await _dashboard_context(request, db_session, roc_year)
    return Template(template_name="programme/dashboard.html", context=context)


@get("/programme/report", include_in_schema=False)
async def printable_report(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    roc_year: FromQuery[int | None] = None,
) -> Template | Redirect:
    who = _who(request, READERS)
    if isinstance(who, Redirect):
        return who
    context = await _dashboard_context(request, db_session, roc_year)
    return Template(template_name="programme/report.html", context=context)


@get("/consultant", include_in_schema=False)
async def consultant_workspace(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    who = _who(request, ADVISERS)
    if isinstance(who, Redirect):
        return who
    scope = None if who.role == Role.platform_admin else who.account_id
    figures, today = ShopFiguresService(db_session), taipei_day(utcnow())
    shops = []
    for shop, street in await RecordsRepository(db_session).covered_shops(scope):
        card = await figures.scorecard(shop.id, today)
        shops.append(
            {
                "id": shop.id,
                "name": pick(shop.name, "zh-Hant-TW"),
                "street": pick(street.name, "zh-Hant-TW"),
                "flags": card["flags"],
                "sales": format_twd(card["payments"]["sales_last_30_days_minor"]),
                "payments": card["payments"]["payments_last_30_days"],
                "next_follow_up": card["visits"]["next_follow_up"],
            }
        )
    courses = await RecordsRepository(db_session).courses(*year_days(checked_year(None)))
    context = {
        "shops": shops,
        "courses": [{"course": c, "attendees": n} for c, n in courses],
        "csrf": who.csrf,
        "today": today.isoformat(),
    }
    return Template(template_name="programme/workspace.html", context=context)


@get("/consultant/shops/{shop_id:uuid}", include_in_schema=False)
async def consultant_shop(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
) -> Template | Redirect:
    who = _who(request, ADVISERS)
    if isinstance(who, Redirect):
        return who
    covered = {
        shop.id: (shop, street)
        for shop, street in await RecordsRepository(db_session).covered_shops(
            None if who.role == Role.platform_admin else who.account_id
        )
    }
    if shop_id not in covered:
        raise PermissionDenied("You do not look after this shop.")
    shop, street = covered[shop_id]
    today = taipei_day(utcnow())
    figures = ShopFiguresService(db_session)
    analytics = await figures.analytics(shop_id, today, 90)
    drafts = await AdviceService(db_session).list_for_shop(shop_id, reviewer=True, status="draft")
    context = {
        "shop": {
            "id": shop.id,
            "name": pick(shop.name, "zh-Hant-TW"),
            "street": pick(street.name, "zh-Hant-TW"),
        },
        "card": await figures.scorecard(shop_id, today),
        "sales": bars([(d["day"][5:], d["sales_minor"] // 100) for d in analytics["sales_trend"]]),
        "footfall": bars(
            [(d["day"][5:], d["hotspot_sessions"]) for d in analytics["footfall_vs_sales"]]
        ),
        "hours": bars([(str(h["hour"]), h["orders"]) for h in analytics["hourly_orders"]]),
        "mix": [
            {"method": m["method"], "sales": format_twd(m["sales_minor"])}
            for m in analytics["payment_mix"]
        ],
        "top": analytics["top_listings"],
        "points_redeemed": analytics["points_redeemed"],
        "visits": await RecordsRepository(db_session).visits(shop_id),
        "advice": [
            {"id": a.id, "title": pick(a.title, "zh-Hant-TW"), "body": pick(a.body, "zh-Hant-TW")}
            for a in drafts
        ],
        "csrf": who.csrf,
        "today": today.isoformat(),
    }
    return Template(template_name="programme/shop.html", context=context)


def programme_pages() -> list[Any]:
    return [ministry_dashboard, printable_report, consultant_workspace, consultant_shop]
