"""Registering and pairing devices in bulk, for the simulator, the demo seed and benchmarks.

It goes through the same service calls as a consultant's registration and a device's pairing
(code made, code claimed once, credential derived), only without HTTP in between.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from infra.settings import Settings
from merchant_api.devices.models import DeviceType
from merchant_api.devices.service import DeviceService, NewDevice


@dataclass(frozen=True)
class ProvisionedDevice:
    device_id: str
    credential_id: str
    secret: str
    type: str


async def provision(
    session: AsyncSession,
    settings: Settings,
    street_id: uuid.UUID,
    shop_id: uuid.UUID | None,
    device_type: DeviceType,
    name: str,
    **facts: object,
) -> ProvisionedDevice:
    service = DeviceService(session, settings.devices, settings.auth.secret_key)
    device = await service.register(
        NewDevice(street_id=street_id, shop_id=shop_id, type=device_type, name=name, **facts)  # type: ignore[arg-type]
    )
    code, _ = await service.new_pairing_code(device, None)
    paired = await service.pair(code, {"firmware": facts.get("firmware")})  # type: ignore[dict-item]
    return ProvisionedDevice(
        str(device.id), str(paired.credential_id), paired.secret, device_type.value
    )
