"""Every package's models, imported in one place so Alembic sees the whole schema."""

from __future__ import annotations

from infra.db import Base

metadata = Base.metadata
