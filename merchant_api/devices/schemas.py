"""Device requests and answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

import msgspec

from merchant_api.devices.models import Device, DeviceAlert

DeviceTypeName = Literal[
    "kiosk", "hotspot", "interactive_display", "signage", "payment_terminal", "other"
]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Short = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Version = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]


class DeviceCreate(msgspec.Struct, forbid_unknown_fields=True):
    type: DeviceTypeName
    name: Name
    shop_id: uuid.UUID | None = None
    model: Short | None = None
    serial: Short | None = None
    firmware: Version | None = None
    location: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    installed_on: date | None = None


class ShopPairingRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A code for a new device of the shop, or (device_id) a new code for one it has."""

    type: DeviceTypeName = "kiosk"
    name: Name = "Self-order kiosk"
    device_id: uuid.UUID | None = None


class PairingCodeOut(msgspec.Struct):
    device_id: uuid.UUID
    code: str
    expires_at: datetime


class PairRequest(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(min_length=4, max_length=32)]
    serial: Short | None = None
    model: Short | None = None
    firmware: Version | None = None
    app_version: Version | None = None


class SigningHelp(msgspec.Struct):
    headers: list[str]
    canonical: str
    algorithm: str = "HMAC-SHA256, hex"


class PairedOut(msgspec.Struct):
    device_id: uuid.UUID
    credential_id: uuid.UUID
    secret: str
    street_id: uuid.UUID
    shop_id: uuid.UUID | None
    type: str
    signing: SigningHelp


class RotatedOut(msgspec.Struct):
    credential_id: uuid.UUID
    secret: str
    previous_valid_until: datetime


class RevokeRequest(msgspec.Struct, forbid_unknown_fields=True):
    # Retire: the device leaves the programme (it cannot be paired again).
    retire: bool = False


class RevokedOut(msgspec.Struct):
    device_id: uuid.UUID
    credentials_revoked: int
    status: str


class DeviceConfigOut(msgspec.Struct):
    """What a paired device asks for on start: limits and the current client-id salt."""

    device_id: uuid.UUID
    server_time: datetime
    max_batch_events: int
    max_event_bytes: int
    clock_tolerance_seconds: int
    client_id_salt: str
    client_id_salt_valid_until: datetime


class AlertOut(msgspec.Struct):
    kind: str
    opened_at: datetime
    last_seen_at: datetime | None


class DeviceOut(msgspec.Struct):
    id: uuid.UUID
    street_id: uuid.UUID
    shop_id: uuid.UUID | None
    type: str
    name: str
    model: str | None
    serial: str | None
    firmware: str | None
    app_version: str | None
    location: str | None
    installed_on: date | None
    status: str
    last_seen_at: datetime | None
    online: bool
    alert: AlertOut | None


class VersionCount(msgspec.Struct):
    type: str
    firmware: str | None
    app_version: str | None
    devices: int


def device_out(
    device: Device, now: datetime, inactivity: timedelta, alert: DeviceAlert | None = None
) -> DeviceOut:
    online = device.last_seen_at is not None and device.last_seen_at >= now - inactivity
    return DeviceOut(
        id=device.id,
        street_id=device.street_id,
        shop_id=device.shop_id,
        type=device.type,
        name=device.name,
        model=device.model,
        serial=device.serial,
        firmware=device.firmware,
        app_version=device.app_version,
        location=device.location,
        installed_on=device.installed_on,
        status=device.status,
        last_seen_at=device.last_seen_at,
        online=online,
        alert=AlertOut(alert.kind, alert.opened_at, alert.last_seen_at) if alert else None,
    )
