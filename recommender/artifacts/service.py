"""Keep the last good version: a retrain that scores worse is stored, but not used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from recommender.artifacts.models import ArtifactStatus, ModelArtifact
from recommender.artifacts.repository import ArtifactRepository


@dataclass(frozen=True)
class TrainedModel:
    kind: str
    scope: str
    metric_name: str
    metric_value: float
    higher_is_better: bool
    metrics: dict[str, Any]
    params: dict[str, Any]
    payload: dict[str, Any]


def _better(new: TrainedModel, old: ModelArtifact) -> bool:
    if new.higher_is_better:
        return new.metric_value >= old.metric_value
    return new.metric_value <= old.metric_value


class ArtifactService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = ArtifactRepository(session)
        self.session = session

    async def record(self, trained: TrainedModel, now: datetime) -> ModelArtifact:
        """Store a new version; it becomes current unless the current one scored better."""
        current = await self.repo.current(trained.kind, trained.scope)
        promote = current is None or _better(trained, current)
        if promote and current is not None:
            current.status = ArtifactStatus.retired.value
            await self.session.flush()  # one current per (kind, scope) at any moment
        artifact = ModelArtifact(
            kind=trained.kind,
            scope=trained.scope,
            version=await self.repo.latest_version(trained.kind, trained.scope) + 1,
            status=(ArtifactStatus.current if promote else ArtifactStatus.rejected).value,
            metric_name=trained.metric_name,
            metric_value=trained.metric_value,
            higher_is_better=trained.higher_is_better,
            metrics=trained.metrics,
            params=trained.params,
            payload=trained.payload,
            trained_at=now,
        )
        self.repo.add(artifact)
        await self.session.flush()
        return artifact

    async def current(self, kind: str, scope: str) -> ModelArtifact | None:
        return await self.repo.current(kind, scope)
