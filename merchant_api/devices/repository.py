"""SQL for devices, pairing codes, credentials and alerts, and the counts the KPIs read."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.devices.models import (
    Device,
    DeviceAlert,
    DeviceCredential,
    DevicePairingCode,
    DeviceStatus,
    DeviceType,
)

# Shops and streets by table name: their models belong to other modules.
_shops = sa.table("shops", sa.column("id", sa.Uuid()), sa.column("street_id", sa.Uuid()))
_streets = sa.table("streets", sa.column("id", sa.Uuid()))


class DeviceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- registry ---------------------------------------------------------------------------
    async def add(self, *rows: Any) -> None:
        self.session.add_all(rows)
        await self.session.flush()

    async def get(self, device_id: uuid.UUID) -> Device | None:
        return await self.session.get(Device, device_id)

    async def list(
        self, *, shop_id: uuid.UUID | None = None, street_id: uuid.UUID | None = None
    ) -> Sequence[Device]:
        query = sa.select(Device).order_by(Device.type, Device.name, Device.id)
        if shop_id is not None:
            query = query.where(Device.shop_id == shop_id)
        if street_id is not None:
            query = query.where(Device.street_id == street_id)
        return (await self.session.scalars(query)).all()

    async def shop_street(self, shop_id: uuid.UUID) -> uuid.UUID | None:
        return await self.session.scalar(
            sa.select(_shops.c.street_id).where(_shops.c.id == shop_id)
        )

    async def street_exists(self, street_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            sa.select(_streets.c.id).where(_streets.c.id == street_id)
        )
        return found is not None

    async def mark_paired(
        self, device_id: uuid.UUID, facts: dict[str, str | None], now: datetime
    ) -> None:
        values: dict[str, Any] = {k: v for k, v in facts.items() if v}
        values["status"] = DeviceStatus.active.value
        await self.session.execute(
            sa.update(Device)
            .where(Device.id == device_id, Device.status != DeviceStatus.retired.value)
            .values(**values)
        )

    async def retire(self, device_id: uuid.UUID) -> None:
        await self.session.execute(
            sa.update(Device).where(Device.id == device_id).values(status="retired")
        )

    # -- pairing codes ----------------------------------------------------------------------
    async def claim_code(self, code_hash: str, now: datetime) -> uuid.UUID | None:
        """Mark the code used if it is unused and unexpired; the device it pairs, or None.

        One conditional UPDATE: two devices racing for the same code cannot both win.
        """
        claimed = await self.session.execute(
            sa.update(DevicePairingCode)
            .where(
                DevicePairingCode.code_hash == code_hash,
                DevicePairingCode.used_at.is_(None),
                DevicePairingCode.expires_at > now,
            )
            .values(used_at=now)
            .returning(DevicePairingCode.device_id)
        )
        return claimed.scalar_one_or_none()

    # -- credentials ------------------------------------------------------------------------
    async def identity_row(self, credential_id: uuid.UUID) -> sa.Row[Any] | None:
        query = (
            sa.select(
                DeviceCredential.id,
                DeviceCredential.expires_at,
                DeviceCredential.revoked_at,
                Device.id.label("device_id"),
                Device.account_id,
                Device.street_id,
                Device.shop_id,
                Device.type,
                Device.status,
            )
            .join(Device, Device.id == DeviceCredential.device_id)
            .where(DeviceCredential.id == credential_id)
        )
        return (await self.session.execute(query)).one_or_none()

    async def end_other_credentials(
        self, device_id: uuid.UUID, keep: uuid.UUID, until: datetime
    ) -> None:
        """Older live credentials of the device stop working at `until` (the grace period)."""
        await self.session.execute(
            sa.update(DeviceCredential)
            .where(
                DeviceCredential.device_id == device_id,
                DeviceCredential.id != keep,
                DeviceCredential.revoked_at.is_(None),
                sa.or_(DeviceCredential.expires_at.is_(None), DeviceCredential.expires_at > until),
            )
            .values(expires_at=until)
        )

    async def revoke_credentials(self, device_id: uuid.UUID, now: datetime) -> int:
        result = await self.session.execute(
            sa.update(DeviceCredential)
            .where(DeviceCredential.device_id == device_id, DeviceCredential.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return result.rowcount or 0  # type: ignore[attr-defined]

    # -- health and alerts ------------------------------------------------------------------
    async def open_alerts(self, device_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, DeviceAlert]:
        if not device_ids:
            return {}
        rows = await self.session.scalars(
            sa.select(DeviceAlert).where(
                DeviceAlert.device_id.in_(device_ids), DeviceAlert.cleared_at.is_(None)
            )
        )
        return {alert.device_id: alert for alert in rows}

    async def silent_devices_without_alert(self, cutoff: datetime) -> Sequence[sa.Row[Any]]:
        """Active devices last seen before `cutoff` (or never) that have no open alert."""
        open_alert = sa.exists().where(
            DeviceAlert.device_id == Device.id, DeviceAlert.cleared_at.is_(None)
        )
        query = sa.select(Device.id, Device.shop_id, Device.street_id, Device.last_seen_at).where(
            Device.status == DeviceStatus.active.value,
            sa.or_(Device.last_seen_at.is_(None), Device.last_seen_at < cutoff),
            ~open_alert,
        )
        return (await self.session.execute(query)).all()

    async def open_alert(
        self, device_id: uuid.UUID, last_seen: datetime | None, now: datetime
    ) -> bool:
        """Insert the outage's alert; False when one is already open (the unique index)."""
        async with self.session.begin_nested() as savepoint:
            try:
                self.session.add(
                    DeviceAlert(device_id=device_id, last_seen_at=last_seen, opened_at=now)
                )
                await self.session.flush()
            except sa.exc.IntegrityError:
                await savepoint.rollback()
                return False
        return True

    async def clear_alerts_of_returned(
        self, cutoff: datetime, now: datetime
    ) -> Sequence[sa.Row[Any]]:
        """Clear open alerts of devices seen since `cutoff`; (alert id, device id) of each."""
        returned = sa.select(Device.id).where(Device.last_seen_at >= cutoff)
        result = await self.session.execute(
            sa.update(DeviceAlert)
            .where(DeviceAlert.cleared_at.is_(None), DeviceAlert.device_id.in_(returned))
            .values(cleared_at=now)
            .returning(DeviceAlert.id, DeviceAlert.device_id)
        )
        return result.all()

    async def version_overview(self, street_id: uuid.UUID | None) -> Sequence[sa.Row[Any]]:
        query = (
            sa.select(Device.type, Device.firmware, Device.app_version, sa.func.count())
            .where(Device.status != DeviceStatus.retired.value)
            .group_by(Device.type, Device.firmware, Device.app_version)
            .order_by(Device.type, Device.firmware, Device.app_version)
        )
        if street_id is not None:
            query = query.where(Device.street_id == street_id)
        return (await self.session.execute(query)).all()

    # -- for the programme KPIs -------------------------------------------------------------
    async def count_deployed(self, types: Sequence[DeviceType] | None = None) -> int:
        """Devices paired and not retired (KPI: smart interaction devices deployed)."""
        query = sa.select(sa.func.count()).where(Device.status == DeviceStatus.active.value)
        if types:
            query = query.where(Device.type.in_([t.value for t in types]))
        return int(await self.session.scalar(query) or 0)

    async def count_active_since(
        self, since: datetime, types: Sequence[DeviceType] | None = None
    ) -> int:
        """Devices that reported at least once since `since`."""
        query = sa.select(sa.func.count()).where(Device.last_seen_at >= since)
        if types:
            query = query.where(Device.type.in_([t.value for t in types]))
        return int(await self.session.scalar(query) or 0)

    async def streets_with_active_hotspots(self, since: datetime) -> list[uuid.UUID]:
        query = (
            sa.select(Device.street_id)
            .where(Device.type == DeviceType.hotspot.value, Device.last_seen_at >= since)
            .distinct()
        )
        return list((await self.session.scalars(query)).all())
