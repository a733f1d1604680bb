"""/api/streets/{id}/devices, /api/shops/{id}/devices, pairing, rotation and revocation."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, shop_guard, street_guard
from infra.db import utcnow
from infra.http.openapi import SIGNED_IN as SECURITY
from infra.ratelimit import RateLimiter
from infra.settings import Settings
from merchant_api.devices import signing
from merchant_api.devices.access import managed_device
from merchant_api.devices.auth import authenticator, verify_request
from merchant_api.devices.errors import DeviceInputInvalid
from merchant_api.devices.models import DeviceType
from merchant_api.devices.repository import DeviceRepository
from merchant_api.devices.schemas import (
    DeviceConfigOut,
    DeviceCreate,
    DeviceOut,
    PairedOut,
    PairingCodeOut,
    PairRequest,
    RevokedOut,
    RevokeRequest,
    RotatedOut,
    ShopPairingRequest,
    SigningHelp,
    VersionCount,
    device_out,
)
from merchant_api.devices.service import DeviceService, NewDevice
from merchant_api.strict_body import decode_strictly

PAIR_ATTEMPTS_PER_MINUTE = 10
CANONICAL_HELP = "METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nhex(sha256(body))"


def _service(request: Request[Any, Any, Any], session: AsyncSession) -> DeviceService:
    settings: Settings = request.app.state.settings
    return DeviceService(session, settings.devices, settings.auth.secret_key)


async def _listing(
    request: Request[Any, Any, Any], session: AsyncSession, devices
) -> list[DeviceOut]:  # type: ignore[no-untyped-def]
    settings: Settings = request.app.state.settings
    alerts = await DeviceRepository(session).open_alerts([d.id for d in devices])
    inactivity = timedelta(minutes=settings.devices.inactivity_minutes)
    now = utcnow()
    return [device_out(d, now, inactivity, alerts.get(d.id)) for d in devices]


def client_salt(server_key: str, street_id: uuid.UUID, rotation_days: int) -> tuple[str, datetime]:
    """The salt hotspots hash client MACs with; the same for a street during one period."""
    period = int(time.time() // (rotation_days * 86400))
    salt = hmac.new(
        server_key.encode(), f"client-salt:{street_id}:{period}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return salt, datetime.fromtimestamp((period + 1) * rotation_days * 86400, UTC)


class DeviceController(Controller):
    path = "/api"
    tags = ["devices"]  # noqa: RUF012

    @post(
        "/streets/{street_id:uuid}/devices",
        guards=[street_guard()],
        security=SECURITY,
        summary="Register a device on a street (consultants and admins)",
        status_code=201,
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        street_id: FromPath[uuid.UUID],
    ) -> DeviceOut:
        body = await decode_strictly(request, DeviceCreate)
        device = await _service(request, db_session).register(
            NewDevice(
                street_id=street_id,
                shop_id=body.shop_id,
                type=DeviceType(body.type),
                name=body.name,
                model=body.model,
                serial=body.serial,
                firmware=body.firmware,
                location=body.location,
                latitude=body.latitude,
                longitude=body.longitude,
                installed_on=body.installed_on,
            )
        )
        return (await _listing(request, db_session, [device]))[0]

    @get(
        "/streets/{street_id:uuid}/devices",
        guards=[street_guard()],
        security=SECURITY,
        summary="A street's devices with their health",
    )
    async def street_devices(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        street_id: FromPath[uuid.UUID],
    ) -> list[DeviceOut]:
        devices = await DeviceRepository(db_session).list(street_id=street_id)
        return await _listing(request, db_session, devices)

    @get(
        "/streets/{street_id:uuid}/devices/versions",
        guards=[street_guard()],
        security=SECURITY,
        summary="Firmware and app versions in use on a street",
    )
    async def versions(
        self, db_session: NamedDependency[AsyncSession], street_id: FromPath[uuid.UUID]
    ) -> list[VersionCount]:
        rows = await DeviceRepository(db_session).version_overview(street_id)
        return [
            VersionCount(type=r[0], firmware=r[1], app_version=r[2], devices=r[3]) for r in rows
        ]

    @get(
        "/shops/{shop_id:uuid}/devices",
        guards=[shop_guard()],
        security=SECURITY,
        summary="A shop's devices with their health and open alerts",
    )
    async def shop_devices(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
    ) -> list[DeviceOut]:
        devices = await DeviceRepository(db_session).list(shop_id=shop_id)
        return await _listing(request, db_session, devices)

    @post(
        "/shops/{shop_id:uuid}/devices/pairing-codes",
        security=SECURITY,
        status_code=201,
        guards=[shop_guard(allow={"owner", "consultant", "admin"})],
        summary="A one-time pairing code for the shop's kiosk (or another device)",
    )
    async def shop_pairing_code(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
    ) -> PairingCodeOut:
        body = await decode_strictly(request, ShopPairingRequest)
        service = _service(request, db_session)
        if body.device_id is not None:
            device = await service.get(body.device_id)
            if device.shop_id != shop_id:
                raise DeviceInputInvalid(
                    "The device does not belong to this shop.", details={"field": "device_id"}
                )
        else:
            street_id = await DeviceRepository(db_session).shop_street(shop_id)
            device = await service.register(
                NewDevice(
                    street_id=street_id,
                    shop_id=shop_id,
                    type=DeviceType(body.type),  # type: ignore[arg-type]
                    name=body.name,
                )
            )
        code, expires = await service.new_pairing_code(device, authenticated(request).account_id)
        return PairingCodeOut(device_id=device.id, code=code, expires_at=expires)

    @post(
        "/devices/{device_id:uuid}/pairing-codes",
        security=SECURITY,
        status_code=201,
        summary="A one-time pairing code for a registered device",
    )
    async def device_pairing_code(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        device_id: FromPath[uuid.UUID],
    ) -> PairingCodeOut:
        device = await managed_device(request, db_session, device_id, owner_may=True)
        service = _service(request, db_session)
        code, expires = await service.new_pairing_code(device, authenticated(request).account_id)
        return PairingCodeOut(device_id=device.id, code=code, expires_at=expires)

    @post(
        "/devices/pair",
        status_code=200,
        summary="A device exchanges its pairing code for its credential (once)",
    )
    async def pair(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> PairedOut:
        host = request.client.host if request.client else "unknown"
        await RateLimiter(request.app.state.rate_limits).hit(
            f"device-pair:{host}", limit=PAIR_ATTEMPTS_PER_MINUTE, window_seconds=60
        )
        body = await decode_strictly(request, PairRequest)
        paired = await _service(request, db_session).pair(
            body.code,
            {
                "serial": body.serial,
                "model": body.model,
                "firmware": body.firmware,
                "app_version": body.app_version,
            },
        )
        authenticator(request).cache.forget_device(paired.device.id)
        return PairedOut(
            device_id=paired.device.id,
            credential_id=paired.credential_id,
            secret=paired.secret,
            street_id=paired.device.street_id,
            shop_id=paired.device.shop_id,
            type=paired.device.type,
            signing=SigningHelp(headers=list(signing.SIGNED_HEADERS), canonical=CANONICAL_HELP),
        )

    @post(
        "/devices/{device_id:uuid}/credentials/rotate",
        status_code=200,
        summary="The device asks for a new secret (signed); the old one has a grace period",
    )
    async def rotate(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        device_id: FromPath[uuid.UUID],
    ) -> RotatedOut:
        identity, _ = await verify_request(request, device_id)
        credential_id, secret, until = await _service(request, db_session).rotate(identity)
        authenticator(request).cache.forget_device(device_id)
        return RotatedOut(credential_id=credential_id, secret=secret, previous_valid_until=until)

    @get("/devices/{device_id:uuid}/config", summary="Limits and client-id salt (signed)")
    async def config(
        self, request: Request[Any, Any, Any], device_id: FromPath[uuid.UUID]
    ) -> DeviceConfigOut:
        identity, _ = await verify_request(request, device_id)
        settings: Settings = request.app.state.settings
        salt, until = client_salt(
            settings.auth.secret_key, identity.street_id, settings.devices.client_salt_rotation_days
        )
        return DeviceConfigOut(
            device_id=device_id,
            server_time=utcnow(),
            max_batch_events=settings.devices.max_batch_events,
            max_event_bytes=settings.devices.max_event_bytes,
            clock_tolerance_seconds=settings.devices.clock_tolerance_seconds,
            client_id_salt=salt,
            client_id_salt_valid_until=until,
        )

    @post(
        "/devices/{device_id:uuid}/revoke",
        security=SECURITY,
        status_code=200,
        summary="Revoke every credential of a device (consultants and admins)",
    )
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        device_id: FromPath[uuid.UUID],
    ) -> RevokedOut:
        device = await managed_device(request, db_session, device_id)
        raw = await request.body()
        body = await decode_strictly(request, RevokeRequest) if raw.strip() else RevokeRequest()
        count = await _service(request, db_session).revoke(device, retire=body.retire)
        authenticator(request).cache.forget_device(device_id)
        return RevokedOut(
            device_id=device_id,
            credentials_revoked=count,
            status="retired" if body.retire else device.status,
        )
