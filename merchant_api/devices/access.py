"""Who may manage a device: a platform admin, the consultant of its street or shop, and for
pairing codes the owner of its shop. Unknown and forbidden devices get the same 403."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.connection import ASGIConnection
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, shop_access_policy
from infra.auth.roles import Role
from infra.errors import PermissionDenied
from merchant_api.devices.models import Device
from merchant_api.devices.repository import DeviceRepository


async def managed_device(
    connection: ASGIConnection[Any, Any, Any, Any],
    session: AsyncSession,
    device_id: uuid.UUID,
    *,
    owner_may: bool = False,
) -> Device:
    principal = authenticated(connection)
    device = await DeviceRepository(session).get(device_id)
    if device is not None and await _may_manage(connection, session, principal, device, owner_may):
        return device
    raise PermissionDenied("You do not have permission to do this.")


async def _may_manage(connection, session, principal, device, owner_may) -> bool:  # type: ignore[no-untyped-def]
    if principal.role == Role.platform_admin:
        return True
    policy = shop_access_policy(connection)
    if principal.role == Role.consultant:
        if await policy.consultant_street_assigned(session, principal.account_id, device.street_id):
            return True
        return device.shop_id is not None and await policy.consultant_assigned(
            session, principal.account_id, device.shop_id
        )
    if owner_may and principal.role == Role.merchant and device.shop_id is not None:
        return await policy.member_role(session, principal.account_id, device.shop_id) == "owner"
    return False
