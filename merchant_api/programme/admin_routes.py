"""/api/programme/targets and /api/programme/rollups: what admins change and run."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, require_roles
from infra.auth.roles import Role
from infra.http.openapi import SIGNED_IN as SECURITY
from merchant_api.programme.definitions import DEFINITIONS
from merchant_api.programme.kpi_service import KpiService
from merchant_api.programme.params import checked_kpi, checked_year
from merchant_api.programme.rollup_service import RollupService
from merchant_api.programme.schemas import TargetIn
from merchant_api.programme.targets_repository import TargetsRepository
from merchant_api.strict_body import decode_strictly

READERS = [require_roles(Role.ministry_viewer, Role.consultant, Role.platform_admin)]
ADMINS = [require_roles(Role.platform_admin)]


class ProgrammeAdminController(Controller):
    path = "/api/programme"
    tags = ["programme"]  # noqa: RUF012
    security = SECURITY

    @get("/targets", summary="Targets per KPI and ROC year, in the plan's units", guards=READERS)
    async def targets(self, db_session: NamedDependency[AsyncSession]) -> dict[str, Any]:
        targets = await KpiService(db_session).targets()
        return {
            kpi.value: {
                "plan_unit_scale": DEFINITIONS[kpi].target_scale,
                "years": {str(year): value for year, value in years.items()},
                "plan_defaults": {str(y): v for y, v in DEFINITIONS[kpi].plan_targets.items()},
            }
            for kpi, years in targets.items()
        }

    @put(
        "/targets/{kpi:str}/{roc_year:int}",
        summary="Set a KPI's target for a programme year (plan units)",
        guards=ADMINS,
    )
    async def set_target(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        kpi: FromPath[str],
        roc_year: FromPath[int],
        data: JSONBody[TargetIn],
    ) -> dict[str, Any]:
        body = await decode_strictly(request, TargetIn)
        chosen, year = checked_kpi(kpi), checked_year(roc_year)
        await TargetsRepository(db_session).put(
            chosen.value, year, body.target, authenticated(request).account_id
        )
        return {"kpi": chosen.value, "roc_year": year, "target": body.target}

    @post("/rollups/refresh", summary="Fold changed days into the rollups", guards=ADMINS)
    async def refresh(self, db_session: NamedDependency[AsyncSession]) -> dict[str, int]:
        return (await RollupService(db_session).refresh()).as_dict()

    @post("/rollups/rebuild", summary="Rebuild every rollup from the raw facts", guards=ADMINS)
    async def rebuild(self, db_session: NamedDependency[AsyncSession]) -> dict[str, int]:
        return (await RollupService(db_session).rebuild()).as_dict()

    @get("/rollups/check", summary="Do the rollups equal a recomputation?", guards=ADMINS)
    async def check(self, db_session: NamedDependency[AsyncSession]) -> dict[str, Any]:
        report = await RollupService(db_session).check()
        return {
            "ok": report.ok,
            "daily_differences": report.daily_differences,
            "monthly_differences": report.monthly_differences,
            "months_checked": report.months_checked,
        }
