"""Every programme route, for merchant_api.routes."""

from __future__ import annotations

from merchant_api.programme.admin_routes import ProgrammeAdminController
from merchant_api.programme.kpi_routes import KpiController
from merchant_api.programme.records_routes import ProgrammeRecordsController
from merchant_api.programme.workspace_routes import WorkspaceController


def programme_routes() -> list:  # type: ignore[type-arg]
    return [
        KpiController,
        ProgrammeAdminController,
        ProgrammeRecordsController,
        WorkspaceController,
    ]
