"""Registering devices, pairing them, and rotating or revoking their credentials.

Services never commit; the request or task boundary does.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from infra.auth.roles import Role
from infra.db import utcnow
from infra.settings import DeviceSettings
from merchant_api.devices.credentials import DeviceIdentity, derive_secret
from merchant_api.devices.errors import (
    DeviceInputInvalid,
    DeviceNotFound,
    DeviceRetired,
    PairingCodeInvalid,
)
from merchant_api.devices.models import (
    Device,
    DeviceCredential,
    DevicePairingCode,
    DeviceStatus,
    DeviceType,
)
from merchant_api.devices.repository import DeviceRepository

# No 0/O, 1/I/L: the owner reads the code off a phone and types it on a kiosk.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def device_account_email(device_id: uuid.UUID) -> str:
    """A device's account has an address nobody can receive mail at (.invalid is reserved) and
    no password: it only names the device in records such as the orders it places."""
    return f"device-{device_id}@devices.invalid"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


@dataclass(frozen=True)
class NewDevice:
    street_id: uuid.UUID
    shop_id: uuid.UUID | None
    type: DeviceType
    name: str
    model: str | None = None
    serial: str | None = None
    firmware: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    installed_on: date | None = None


@dataclass(frozen=True)
class Paired:
    device: Device
    credential_id: uuid.UUID
    secret: str


class DeviceService:
    def __init__(self, session: AsyncSession, settings: DeviceSettings, server_key: str) -> None:
        self.session = session
        self.settings = settings
        self.server_key = server_key
        self.repo = DeviceRepository(session)

    async def register(self, new: NewDevice) -> Device:
        if not await self.repo.street_exists(new.street_id):
            raise DeviceInputInvalid("The street does not exist.", details={"field": "street_id"})
        if new.shop_id is not None:
            street = await self.repo.shop_street(new.shop_id)
            if street != new.street_id:
                raise DeviceInputInvalid(
                    "The shop is not on this street.", details={"field": "shop_id"}
                )
        device_id = uuid.uuid4()
        account = Account(
            email=device_account_email(device_id),
            phone=None,
            display_name=new.name[:100],
            role=Role.device,
            password_hash=None,
            is_active=True,
            failed_login_count=0,
        )
        await self.repo.add(account)
        device = Device(
            id=device_id,
            street_id=new.street_id,
            shop_id=new.shop_id,
            account_id=account.id,
            type=new.type.value,
            name=new.name,
            model=new.model,
            serial=new.serial,
            firmware=new.firmware,
            location=new.location,
            latitude=new.latitude,
            longitude=new.longitude,
            installed_on=new.installed_on,
            status=DeviceStatus.provisioned.value,
        )
        await self.repo.add(device)
        return device

    async def get(self, device_id: uuid.UUID) -> Device:
        device = await self.repo.get(device_id)
        if device is None:
            raise DeviceNotFound("No such device.", details={"field": "device_id"})
        return device

    async def new_pairing_code(
        self, device: Device, created_by: uuid.UUID | None
    ) -> tuple[str, datetime]:
        if device.status == DeviceStatus.retired.value:
            raise DeviceRetired("A retired device cannot be paired.")
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))
        expires = utcnow() + timedelta(minutes=self.settings.pairing_code_minutes)
        await self.repo.add(
            DevicePairingCode(
                device_id=device.id,
                code_hash=code_hash(code),
                created_by=created_by,
                expires_at=expires,
            )
        )
        return code, expires

    async def pair(self, code: str, facts: dict[str, str | None]) -> Paired:
        now = utcnow()
        device_id = await self.repo.claim_code(code_hash(code), now)
        if device_id is None:
            raise PairingCodeInvalid(
                "The pairing code is unknown, expired or already used.", details={"field": "code"}
            )
        device = await self.get(device_id)
        if device.status == DeviceStatus.retired.value:
            raise DeviceRetired("This device has been retired.")
        await self.repo.mark_paired(device_id, facts, now)
        credential = await self._new_credential(device_id)
        # A re-paired device starts over: the credentials it had before stop at once.
        await self.repo.end_other_credentials(device_id, credential.id, now)
        await self.session.refresh(device)
        return Paired(device, credential.id, derive_secret(self.server_key, credential.id))

    async def rotate(self, identity: DeviceIdentity) -> tuple[uuid.UUID, str, datetime]:
        """A new credential; the others keep working for the grace period, then stop."""
        credential = await self._new_credential(identity.device_id)
        until = utcnow() + timedelta(hours=self.settings.rotation_grace_hours)
        await self.repo.end_other_credentials(identity.device_id, credential.id, until)
        return credential.id, derive_secret(self.server_key, credential.id), until

    async def revoke(self, device: Device, *, retire: bool) -> int:
        revoked = await self.repo.revoke_credentials(device.id, utcnow())
        if retire:
            await self.repo.retire(device.id)
        return revoked

    async def identity(self, credential_id: uuid.UUID) -> DeviceIdentity | None:
        row = await self.repo.identity_row(credential_id)
        if row is None:
            return None
        return DeviceIdentity(
            credential_id=row.id,
            device_id=row.device_id,
            account_id=row.account_id,
            street_id=row.street_id,
            shop_id=row.shop_id,
            device_type=row.type,
            device_status=row.status,
            secret=derive_secret(self.server_key, row.id).encode(),
            expires_at=row.expires_at,
            revoked=row.revoked_at is not None,
        )

    async def _new_credential(self, device_id: uuid.UUID) -> DeviceCredential:
        credential = DeviceCredential(id=uuid.uuid4(), device_id=device_id)
        await self.repo.add(credential)
        return credential
