"""The remembered answers to requests sent with an Idempotency-Key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, utcnow


class IdempotencyKey(UUIDPrimaryKey, Base):
    __tablename__ = "idempotency_keys"
    # The unique index is the lock: a concurrent duplicate's INSERT waits on it until the
    # first transaction commits (then it reads the answer) or rolls back (then it proceeds).
    __table_args__ = (sa.UniqueConstraint("scope", "key"),)

    # Whose key and for what: "orders:create:<account id>"; two callers never share answers.
    scope: Mapped[str] = mapped_column(sa.String(200))
    key: Mapped[str] = mapped_column(sa.String(255))
    # sha256 of the canonical request body: the same key with another body is a client bug.
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    # NULL only inside the transaction that claimed the key; it commits with the answer.
    response_status: Mapped[int | None]
    response_body: Mapped[Any | None] = mapped_column(sa.JSON())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
