"""Model artifacts: what was trained, for which scope, with which metrics."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, one_of, utcnow


class ArtifactStatus(StrEnum):
    current = "current"  # the version scoring uses
    retired = "retired"  # was current, replaced by a better one
    rejected = "rejected"  # scored worse than the current version when trained


class ModelArtifact(UUIDPrimaryKey, Base):
    __tablename__ = "rec_model_artifacts"
    __table_args__ = (
        sa.UniqueConstraint("kind", "scope", "version"),
        sa.CheckConstraint(one_of("status", ArtifactStatus), name="status_known"),
    )

    kind: Mapped[str] = mapped_column(sa.String(40))  # "forecast", "nextbasket", ...
    scope: Mapped[str] = mapped_column(sa.String(80))  # "all", "shop:<uuid>", "street:<uuid>"
    version: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16))
    # The headline metric and whether higher is better decide "better".
    metric_name: Mapped[str] = mapped_column(sa.String(40))
    metric_value: Mapped[float]
    higher_is_better: Mapped[bool]
    metrics: Mapped[dict[str, Any]] = mapped_column(sa.JSON())
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON())
    # JSON-serialisable model state (coefficients, item tables), small by construction.
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON())
    trained_at: Mapped[datetime] = mapped_column(default=utcnow)
