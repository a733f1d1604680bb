"""Verifying a device's signed request (HTTP or MQTT) and the guard for device routes.

The checks run cheapest first, and the nonce is spent only after the signature is proven, so
nobody can burn a device's nonces with forged requests.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from litestar.connection import ASGIConnection, Request
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.auth.principal import Principal
from infra.auth.roles import Role, scopes_for
from infra.settings import Settings
from merchant_api.devices import signing
from merchant_api.devices.credentials import CredentialCache, DeviceIdentity, ReplayGuard
from merchant_api.devices.errors import (
    CredentialRevoked,
    CredentialUnknown,
    DeviceRetired,
    NonceReplayed,
    SignatureInvalid,
    SignatureMissing,
    TimestampOutOfRange,
    WrongDevice,
)
from merchant_api.devices.models import DeviceStatus
from merchant_api.devices.service import DeviceService

_IDENTITY_KEY = "onestreet_device"


class DeviceAuthenticator:
    """One per process (web app or MQTT subscriber): the cache and the replay guard."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], settings: Settings, redis: Any
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.tolerance = settings.devices.clock_tolerance_seconds
        self.cache = CredentialCache(settings.devices.credential_cache_seconds)
        self.replays = ReplayGuard(redis, self.tolerance)

    async def verify(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str | None],
        body: bytes,
        device_id: uuid.UUID | None = None,
    ) -> DeviceIdentity:
        credential, timestamp, nonce, presented = (
            headers.get(name) for name in signing.SIGNED_HEADERS
        )
        if not (credential and timestamp and nonce and presented):
            raise SignatureMissing(
                "Device requests must carry X-Device-Credential, X-Device-Timestamp, "
                "X-Device-Nonce and X-Device-Signature."
            )
        try:
            credential_id = uuid.UUID(credential)
        except ValueError:
            raise CredentialUnknown("The device credential is unknown.") from None
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > self.tolerance:
            raise TimestampOutOfRange(
                f"X-Device-Timestamp must be unix seconds within {self.tolerance} s of "
                "the server's clock.",
                details={"server_time": int(time.time())},
            )
        if not signing.NONCE_PATTERN.match(nonce):
            raise SignatureMissing("X-Device-Nonce must be 8-64 characters of [A-Za-z0-9._-].")
        identity = await self._identity(credential_id)
        self._check_usable(identity)
        expected = signing.signature(identity.secret, method, path, timestamp, nonce, body)
        if not signing.signature_matches(expected, presented):
            raise SignatureInvalid("The request signature does not match.")
        if device_id is not None and identity.device_id != device_id:
            raise WrongDevice("This credential belongs to another device.")
        if not await self.replays.first_use(credential_id, nonce):
            raise NonceReplayed("This nonce was already used; sign each request afresh.")
        return identity

    async def _identity(self, credential_id: uuid.UUID) -> DeviceIdentity:
        cached, identity = self.cache.get(credential_id)
        if not cached:
            async with self.sessions() as session:
                identity = await DeviceService(
                    session, self.settings.devices, self.settings.auth.secret_key
                ).identity(credential_id)
            self.cache.put(credential_id, identity)
        if identity is None:
            raise CredentialUnknown("The device credential is unknown.")
        return identity

    @staticmethod
    def _check_usable(identity: DeviceIdentity) -> None:
        if identity.revoked:
            raise CredentialRevoked("This device credential has been revoked; pair again.")
        if identity.expires_at is not None and identity.expires_at <= datetime.now(UTC):
            raise CredentialRevoked("This device credential was rotated and has expired.")
        if identity.device_status == DeviceStatus.retired.value:
            raise DeviceRetired("This device has been retired.")


def authenticator(connection: ASGIConnection[Any, Any, Any, Any]) -> DeviceAuthenticator:
    """The app's authenticator, made on first use (it needs the app's settings and Redis)."""
    state = connection.app.state
    found = state.get("device_auth")
    if found is None:
        found = DeviceAuthenticator(state.session_factory, state.settings, state.get("redis"))
        state["device_auth"] = found
    return found


async def verify_request(
    request: Request[Any, Any, Any], device_id: uuid.UUID | None = None
) -> tuple[DeviceIdentity, bytes]:
    body = await request.body()
    identity = await authenticator(request).verify(
        request.method, request.url.path, signing.pick_headers(request.headers), body, device_id
    )
    request.scope[_IDENTITY_KEY] = identity  # type: ignore[literal-required]
    return identity, body


def device_principal(identity: DeviceIdentity) -> Principal:
    return Principal(
        account_id=identity.account_id,
        role=Role.device,
        scopes=scopes_for(Role.device),
        # "token": no cookie, so no CSRF; the signature is the proof.
        via="token",
        csrf=None,
        credential_id=identity.credential_id,
    )


async def device_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """For routes devices call: verify the signature, then request.user is the device."""
    if not isinstance(connection, Request):
        raise SignatureMissing("Device requests must be signed HTTP requests.")
    identity, _ = await verify_request(connection)
    connection.scope["user"] = device_principal(identity)


def device_identity(connection: ASGIConnection[Any, Any, Any, Any]) -> DeviceIdentity | None:
    """The verified device of this request (after device_guard or verify_request)."""
    return connection.scope.get(_IDENTITY_KEY)  # type: ignore[return-value]
