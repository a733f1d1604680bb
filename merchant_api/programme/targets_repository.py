"""Target overrides per KPI and ROC year."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from merchant_api.programme.models import ProgrammeTarget


class TargetsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def overrides(self) -> dict[tuple[str, int], int]:
        rows = await self.session.execute(
            sa.select(ProgrammeTarget.kpi, ProgrammeTarget.roc_year, ProgrammeTarget.target)
        )
        return {(kpi, year): target for kpi, year, target in rows}

    async def put(self, kpi: str, roc_year: int, target: int, by: uuid.UUID) -> None:
        found = await self.session.get(ProgrammeTarget, (kpi, roc_year))
        if found is None:
            self.session.add(
                ProgrammeTarget(kpi=kpi, roc_year=roc_year, target=target, updated_by=by)
            )
        else:
            found.target, found.updated_by, found.updated_at = target, by, utcnow()
        await self.session.flush()
