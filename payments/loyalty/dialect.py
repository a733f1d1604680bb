"""INSERT … ON CONFLICT for the session's database: the loyalty repositories' one helper."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def upsert_insert(session: AsyncSession, table: Any) -> Any:
    """PostgreSQL's or SQLite's INSERT, both of which take `on_conflict_do_nothing`."""
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)
