"""/api/programme: KPI figures against targets, breakdowns, the county map, exports and the
records behind each figure. The ministry reads aggregates; only admins read raw facts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import require_roles
from infra.auth.roles import Role
from infra.http.openapi import SIGNED_IN as SECURITY
from merchant_api.programme.audit_repository import (
    BUSINESS_COLUMNS,
    USE_COLUMNS,
    AuditRepository,
)
from merchant_api.programme.county_map import county_tiles
from merchant_api.programme.definitions import DEFINITIONS, Kpi
from merchant_api.programme.exports import (
    breakdown_table,
    overview_table,
    records_table,
    to_csv,
    to_xlsx,
)
from merchant_api.programme.kpi_repository import Filters
from merchant_api.programme.kpi_service import KpiService
from merchant_api.programme.params import checked_kpi, checked_year, query_filters
from merchant_api.programme.periods import year_days

READERS = [require_roles(Role.ministry_viewer, Role.consultant, Role.platform_admin)]
ADMINS = [require_roles(Role.platform_admin)]
DOC = Path(__file__).resolve().parents[2] / "docs" / "kpi-definitions.md"
RECORD_COLUMNS = {
    Kpi.areas: ["street_slug", "county", "township", "digital_level", "roc_year"],
    Kpi.devices: ["device_id", "type", "device_name", "street_slug", "county", "at", "roc_year"],
    Kpi.services: [
        "record_id",
        "service",
        "shop_name",
        "street_slug",
        "county",
        "at",
        "source_ref",
        "roc_year",
    ],
    Kpi.courses: ["record_id", "at", "place", "topic", "attendees", "street_slug", "roc_year"],
}
Format = Literal["json", "csv", "xlsx"]


def min_cell(request: Request[Any, Any, Any]) -> int:
    return request.app.state.settings.programme.min_cell_count


def file_response(content: bytes, name: str, kind: str) -> Response[bytes]:
    media = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[kind]
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )


class KpiController(Controller):
    path = "/api/programme"
    tags = ["programme"]  # noqa: RUF012
    guards = READERS
    security = SECURITY
    dependencies = {"filters": Provide(query_filters, sync_to_thread=False)}  # noqa: RUF012

    @get("/definitions", summary="What each KPI counts and excludes, with the plan's targets")
    async def definitions(self) -> list[dict[str, Any]]:
        return [
            {
                "kpi": d.kpi.value,
                "name_zh": d.name_zh,
                "name_en": d.name_en,
                "unit": d.unit,
                "plan_unit_scale": d.target_scale,
                "counts": d.counts,
                "excludes": d.excludes,
                "plan_targets": {str(year): target for year, target in d.plan_targets.items()},
            }
            for d in DEFINITIONS.values()
        ]

    @get("/definitions.md", summary="The written KPI definitions", media_type="text/markdown")
    async def definitions_document(self) -> str:
        return DOC.read_text(encoding="utf-8")

    @get("/kpis", summary="Every KPI: target against actual per ROC year, monthly trend")
    async def kpis(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        filters: Filters,
        roc_year: FromQuery[int | None] = None,
        format: FromQuery[Format] = "json",
    ) -> Any:
        year = checked_year(roc_year)
        service = KpiService(db_session, min_cell(request))
        overview = await service.overview(year, filters)
        if format == "json":
            return {"roc_year": year, "kpis": overview}
        if format == "csv":
            return file_response(to_csv(overview_table(overview)), f"kpis-{year}", "csv")
        tiles = await county_tiles(db_session, year, min_cell(request), service)
        headers = ["county", *[k.value for k in Kpi]]
        counties = [[t["county"], *[t[k.value] for k in Kpi]] for t in tiles]
        sheets = {"KPIs": overview_table(overview), "Counties": (headers, counties)}
        return file_response(to_xlsx(sheets), f"kpis-{year}", "xlsx")

    @get("/kpis/{kpi:str}/breakdown", summary="One KPI by a dimension (small cells suppressed)")
    async def breakdown(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        filters: Filters,
        kpi: FromPath[str],
        by: FromQuery[str],
        roc_year: FromQuery[int | None] = None,
        format: FromQuery[Format] = "json",
    ) -> Any:
        chosen, year = checked_kpi(kpi), checked_year(roc_year)
        cells = await KpiService(db_session, min_cell(request)).breakdown(chosen, by, year, filters)
        if format != "json":
            table = breakdown_table(cells)
            content = to_csv(table) if format == "csv" else to_xlsx({by: table})
            return file_response(content, f"{chosen.value}-by-{by}-{year}", format)
        return {
            "kpi": chosen.value,
            "by": by,
            "roc_year": year,
            "min_cell_count": min_cell(request),
            "cells": [cell.__dict__ for cell in cells],
        }

    @get("/map", summary="The county tile map: each county's figures for the ROC year")
    async def county_map(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        roc_year: FromQuery[int | None] = None,
    ) -> dict[str, Any]:
        year = checked_year(roc_year)
        return {"roc_year": year, "tiles": await county_tiles(db_session, year, min_cell(request))}

    @get("/kpis/{kpi:str}/records", summary="The records behind a KPI figure (audit file)")
    async def records(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        filters: Filters,
        kpi: FromPath[str],
        roc_year: FromQuery[int | None] = None,
        format: FromQuery[Format] = "json",
        limit: FromQuery[int] = 1000,
        offset: FromQuery[int] = 0,
    ) -> Any:
        chosen, year = checked_kpi(kpi), checked_year(roc_year)
        limit, offset = max(1, min(limit, 100_000)), max(0, offset)
        if chosen in (Kpi.uses, Kpi.business):
            # Facts name people: only a platform admin (the auditor) reads them.
            await ADMINS[0](request, None)  # type: ignore[arg-type]
            start, end = year_days(year)
            business = chosen == Kpi.business
            rows = await AuditRepository(db_session).facts(
                business, start, end, filters, limit, offset
            )
            columns = BUSINESS_COLUMNS if business else USE_COLUMNS
        else:
            found = await KpiService(db_session, min_cell(request)).records(
                chosen, year, year, filters
            )
            rows, columns = (found or [])[offset : offset + limit], RECORD_COLUMNS[chosen]
        table = records_table(rows, columns)
        if format != "json":
            content = to_csv(table) if format == "csv" else to_xlsx({chosen.value: table})
            return file_response(content, f"{chosen.value}-records-{year}", format)
        return {
            "kpi": chosen.value,
            "roc_year": year,
            "columns": columns,
            "records": [dict(zip(columns, row, strict=True)) for row in table[1]],
        }
