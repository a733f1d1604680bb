"""All SQL about idempotency keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from infra.idempotency.models import IdempotencyKey

_TABLE = IdempotencyKey.__table__
# Built once and run on the connection with plain parameters (the compiled form is cached):
# every unsafe request with a key runs both, and building them cost more than running them.
_CLAIM = {
    name: dialect.insert(_TABLE).on_conflict_do_nothing(index_elements=["scope", "key"])
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_STORE = sa.update(_TABLE).where(
    _TABLE.c.scope == sa.bindparam("w_scope"), _TABLE.c.key == sa.bindparam("w_key")
)


class IdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_if_absent(
        self, scope: str, key: str, fingerprint: str, now: datetime, expires_at: datetime
    ) -> bool:
        """Claim (scope, key); False when a committed row already holds it.

        ON CONFLICT DO NOTHING never raises: on PostgreSQL a concurrent claimer waits on the
        unique index until the first transaction ends; on SQLite writers are serialized by
        BEGIN IMMEDIATE. Either way the loser sees the winner's committed row afterwards.
        """
        connection = await self.session.connection()
        result = await connection.execute(
            _CLAIM[connection.dialect.name],
            {
                "id": uuid.uuid4(),
                "scope": scope,
                "key": key,
                "fingerprint": fingerprint,
                "created_at": now,
                "expires_at": expires_at,
            },
        )
        return bool(result.rowcount)

    async def take_over_expired(
        self, scope: str, key: str, fingerprint: str, now: datetime, expires_at: datetime
    ) -> bool:
        """Reuse an expired row for a new request (conditional UPDATE: one taker wins)."""
        result = await self.session.execute(
            sa.update(IdempotencyKey)
            .where(
                IdempotencyKey.scope == scope,
                IdempotencyKey.key == key,
                IdempotencyKey.expires_at <= now,
            )
            .values(
                fingerprint=fingerprint,
                response_status=None,
                response_body=None,
                created_at=now,
                expires_at=expires_at,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def get(self, scope: str, key: str) -> IdempotencyKey | None:
        return await self.session.scalar(
            sa.select(IdempotencyKey)
            .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
            .execution_options(populate_existing=True)
        )

    async def store_response(self, scope: str, key: str, status: int, body: Any) -> None:
        connection = await self.session.connection()
        await connection.execute(
            _STORE,
            {"w_scope": scope, "w_key": key, "response_status": status, "response_body": body},
        )

    async def delete_expired(self, now: datetime) -> int:
        result = await self.session.execute(
            sa.delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
