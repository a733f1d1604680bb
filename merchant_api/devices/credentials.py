"""Device secrets, the credential cache and the nonce replay guard.

Secrets are derived, not stored: secret = HMAC(server secret key, credential id). A database
dump alone therefore signs nothing; changing the server's secret key re-pairs every device.

The cache keeps a credential's facts per process for at most `credential_cache_seconds`
(≤ 60 s by settings), which bounds how long a revocation elsewhere takes to bite; a
revocation made by this process drops its entry at once.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

_SECRET_CONTEXT = b"onestreet-device-credential:"
_NONCE_MAX_ENTRIES = 200_000


def derive_secret(server_key: str, credential_id: uuid.UUID) -> str:
    """The device's secret for this credential (64 hex characters)."""
    return hmac.new(
        server_key.encode(), _SECRET_CONTEXT + credential_id.bytes, hashlib.sha256
    ).hexdigest()


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    """What a verified request knows about its device (and what the cache holds)."""

    credential_id: uuid.UUID
    device_id: uuid.UUID
    account_id: uuid.UUID
    street_id: uuid.UUID
    shop_id: uuid.UUID | None
    device_type: str
    device_status: str
    secret: bytes
    expires_at: datetime | None
    revoked: bool


class CredentialCache:
    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self._entries: dict[uuid.UUID, tuple[float, DeviceIdentity | None]] = {}

    def get(self, credential_id: uuid.UUID) -> tuple[bool, DeviceIdentity | None]:
        """(found in cache, identity); an unknown credential is cached as None too."""
        entry = self._entries.get(credential_id)
        if entry is None or time.monotonic() - entry[0] >= self.ttl:
            return False, None
        return True, entry[1]

    def put(self, credential_id: uuid.UUID, identity: DeviceIdentity | None) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) > 50_000:
            self._entries.clear()
        self._entries[credential_id] = (time.monotonic(), identity)

    def forget_device(self, device_id: uuid.UUID) -> None:
        for key, (_, identity) in list(self._entries.items()):
            if identity is None or identity.device_id == device_id:
                self._entries.pop(key, None)


class ReplayGuard:
    """Each (credential, nonce) is accepted once within the clock window.

    Shared through Redis when configured (every web process and the MQTT subscriber see the
    same nonces); in memory otherwise, which suits the single-process embedded mode.
    """

    def __init__(self, redis: Any, window_seconds: int) -> None:
        self.redis = redis
        # A nonce must be remembered as long as its timestamp could still be accepted.
        self.window = 2 * window_seconds + 5
        self._seen: dict[str, float] = {}

    async def first_use(self, credential_id: uuid.UUID, nonce: str) -> bool:
        key = f"device-nonce:{credential_id}:{nonce}"
        if self.redis is not None:
            return bool(await self.redis.set(key, b"1", nx=True, ex=self.window))
        now = time.monotonic()
        if len(self._seen) > _NONCE_MAX_ENTRIES:
            self._seen = {k: t for k, t in self._seen.items() if t > now}
        expires = self._seen.get(key)
        if expires is not None and expires > now:
            return False
        self._seen[key] = now + self.window
        return True
