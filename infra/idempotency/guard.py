"""IdempotencyGuard: claim a key in the caller's transaction, replay or remember the answer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import msgspec
from litestar import Response
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.errors import Conflict
from infra.idempotency.errors import IdempotencyKeyReused, InvalidIdempotencyKey
from infra.idempotency.repository import IdempotencyRepository

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Clients retry for hours on weak rural links (kiosks queue through outages); 24 h at least.
DEFAULT_TTL = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: Any

    def to_response(self) -> Response[Any]:
        return Response(
            content=self.body, status_code=self.status, headers={"Idempotent-Replayed": "true"}
        )


def checked_key(key: str | None) -> str:
    """The key as sent, or 400 `invalid_idempotency_key` naming what is wrong with it."""
    if key is None or not key.strip():
        raise InvalidIdempotencyKey(
            f"Send an {HEADER} header (for example a random UUID) so a retry cannot act twice.",
            details={"problems": [{"key": HEADER, "message": "required", "source": "header"}]},
        )
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidIdempotencyKey(
            f"The {HEADER} must be 1-{MAX_KEY_LENGTH} printable characters.",
            details={"problems": [{"key": HEADER, "message": "too long", "source": "header"}]},
        )
    return key


def fingerprint(body: Any) -> str:
    """sha256 of the canonical JSON of `body` (raw JSON bytes are parsed first), so key order
    and whitespace do not make two identical requests look different."""
    if isinstance(body, bytes | str):
        try:
            body = msgspec.json.decode(body)
        except msgspec.DecodeError:
            raw = body.encode() if isinstance(body, str) else body
            return hashlib.sha256(raw).hexdigest()
    return hashlib.sha256(msgspec.json.encode(body, order="sorted")).hexdigest()


class IdempotencyGuard:
    """One request's claim on (scope, key); see the package docstring for the protocol."""

    def __init__(
        self,
        session: AsyncSession,
        scope: str,
        key: str | None,
        body: Any,
        *,
        ttl: timedelta = DEFAULT_TTL,
        now: datetime | None = None,
    ) -> None:
        if ttl < DEFAULT_TTL:
            raise ValueError("idempotency keys are kept for at least 24 hours")
        self.repository = IdempotencyRepository(session)
        self.scope = scope
        self.key = checked_key(key)
        self.fingerprint = fingerprint(body)
        self.now = now or utcnow()
        self.expires_at = self.now + ttl
        self.replay: StoredResponse | None = None
        self._claimed = False

    async def claim(self) -> StoredResponse | None:
        """Claim the key, or return the answer a committed earlier request with it got.

        Call it before any other write of the transaction, so a concurrent duplicate blocks
        on the key before doing anything. Raises 422 `idempotency_key_reused` when the key was
        used with a different body.
        """
        args = (self.scope, self.key, self.fingerprint, self.now, self.expires_at)
        # Twice at most: the purge task may delete an expired row between our two statements.
        for _ in range(2):
            if await self.repository.insert_if_absent(*args):
                self._claimed = True
                return None
            row = await self.repository.get(self.scope, self.key)
            if row is None:
                continue
            if row.expires_at <= self.now:
                if await self.repository.take_over_expired(*args):
                    self._claimed = True
                    return None
                continue
            if row.fingerprint != self.fingerprint:
                raise IdempotencyKeyReused(
                    f"This {HEADER} was already used for a different request; "
                    "use a new key for a new request.",
                    details={
                        "problems": [{"key": HEADER, "message": "reused", "source": "header"}]
                    },
                )
            if row.response_status is None:
                # Only this very transaction can see an unanswered row: it claimed it twice.
                raise Conflict("This request is already being processed.")
            self.replay = StoredResponse(row.response_status, row.response_body)
            return self.replay
        raise Conflict("The idempotency key changed while it was being claimed; retry.")

    async def store(self, status: int, body: Any) -> StoredResponse:
        """Remember the answer (JSON-able: builtins or msgspec Structs); it commits with the
        business change, and replays will return exactly this."""
        if not self._claimed:
            raise RuntimeError("store() without a successful claim()")
        builtins = msgspec.to_builtins(body)
        await self.repository.store_response(self.scope, self.key, status, builtins)
        return StoredResponse(status, builtins)
