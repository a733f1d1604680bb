"""A short-lived, in-process memory of which API token belongs to whom.

Resolving a bearer token costs its own transaction (BEGIN, SELECT, COMMIT) on every request,
which on the order path was as many round trips as placing the order itself. A token that
resolved to a principal is remembered for `TTL_SECONDS`, keyed by the token's hash (the raw
token is never kept), and never past the token's own expiry.

The bound: revoking a token in this process forgets it at once; in another worker process,
and for changes made directly in the database (an account deactivated, a role changed, a
token expired or revoked by hand), the old answer lasts at most `TTL_SECONDS`. Unknown or
refused tokens are not remembered, and web sessions (cookies) are not cached at all.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from infra.auth.principal import Principal
from infra.db import utcnow

TTL_SECONDS = 10.0
# Enough for every kiosk and app of a large deployment; the oldest entries make room.
MAX_ENTRIES = 10_000
_STATE_KEY = "principal_cache"


@dataclass(frozen=True, slots=True)
class _Entry:
    principal: Principal
    until: float  # time.monotonic()


class PrincipalCache:
    def __init__(self, ttl_seconds: float = TTL_SECONDS, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._entries: dict[str, _Entry] = {}

    def get(self, token_hash: str) -> Principal | None:
        entry = self._entries.get(token_hash)
        if entry is None:
            return None
        if entry.until <= time.monotonic():
            self._entries.pop(token_hash, None)
            return None
        return entry.principal

    def put(self, token_hash: str, principal: Principal, expires_at: datetime | None) -> None:
        now = time.monotonic()
        until = now + self.ttl_seconds
        if expires_at is not None:
            until = min(until, now + (expires_at - utcnow()).total_seconds())
        if until <= now:
            return
        if len(self._entries) >= self.max_entries:
            # Insertion order: the first key is the oldest entry.
            self._entries.pop(next(iter(self._entries)))
        self._entries[token_hash] = _Entry(principal, until)

    def forget_credential(self, credential_id: UUID) -> None:
        """Drop a revoked token (revocations are rare; a scan is fine)."""
        stale = [
            key
            for key, entry in self._entries.items()
            if entry.principal.credential_id == credential_id
        ]
        for key in stale:
            self._entries.pop(key, None)


def principal_cache_of(state: MutableMapping[str, Any]) -> PrincipalCache:
    """The app's cache, made on first use: each app (and each test's app) has its own."""
    cache = state.get(_STATE_KEY)
    if cache is None:
        cache = state[_STATE_KEY] = PrincipalCache()
    return cache  # type: ignore[no-any-return]
