"""Housekeeping for idempotency keys. Never commits; the task boundary does."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.idempotency.repository import IdempotencyRepository


async def purge_expired_keys(session: AsyncSession, now: datetime | None = None) -> int:
    """Delete keys past their expiry; returns how many. Safe to run any number of times."""
    return await IdempotencyRepository(session).delete_expired(now or utcnow())
