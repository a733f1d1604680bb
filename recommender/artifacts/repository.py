"""SQL for model artifacts."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from recommender.artifacts.models import ArtifactStatus, ModelArtifact


class ArtifactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, kind: str, scope: str) -> ModelArtifact | None:
        query = sa.select(ModelArtifact).where(
            ModelArtifact.kind == kind,
            ModelArtifact.scope == scope,
            ModelArtifact.status == ArtifactStatus.current.value,
        )
        return (await self.session.scalars(query)).first()

    async def current_for_kind(self, kind: str) -> list[ModelArtifact]:
        query = sa.select(ModelArtifact).where(
            ModelArtifact.kind == kind, ModelArtifact.status == ArtifactStatus.current.value
        )
        return list(await self.session.scalars(query))

    async def latest_version(self, kind: str, scope: str) -> int:
        query = sa.select(sa.func.max(ModelArtifact.version)).where(
            ModelArtifact.kind == kind, ModelArtifact.scope == scope
        )
        return int((await self.session.execute(query)).scalar_one() or 0)

    async def history(self, kind: str, scope: str) -> list[ModelArtifact]:
        query = (
            sa.select(ModelArtifact)
            .where(ModelArtifact.kind == kind, ModelArtifact.scope == scope)
            .order_by(ModelArtifact.version)
        )
        return list(await self.session.scalars(query))

    def add(self, artifact: ModelArtifact) -> None:
        self.session.add(artifact)
