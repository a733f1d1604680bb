"""Inactivity alerts: raised once per outage when a device falls silent, cleared when it
reports again. Each change leaves through the outbox (devices.offline / devices.online), so
notifications run after commit; the partial unique index on open alerts makes a second run,
or two overlapping runs, raise nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from infra.outbox import publish
from infra.settings import DeviceSettings
from merchant_api.devices.repository import DeviceRepository

DEVICE_OFFLINE = "devices.offline"
DEVICE_ONLINE = "devices.online"


@dataclass(frozen=True)
class ActivityCheck:
    raised: int
    cleared: int


async def check_activity(
    session: AsyncSession, settings: DeviceSettings, now: datetime
) -> ActivityCheck:
    repo = DeviceRepository(session)
    cutoff = now - timedelta(minutes=settings.inactivity_minutes)
    raised = 0
    for device_id, shop_id, street_id, last_seen in await repo.silent_devices_without_alert(cutoff):
        if await repo.open_alert(device_id, last_seen, now):
            raised += 1
            publish(
                session,
                DEVICE_OFFLINE,
                {
                    "device_id": str(device_id),
                    "shop_id": str(shop_id) if shop_id else None,
                    "street_id": str(street_id),
                    "last_seen_at": last_seen.isoformat() if last_seen else None,
                },
                key=str(device_id),
            )
    cleared = await repo.clear_alerts_of_returned(cutoff, now)
    for alert_id, device_id in cleared:
        publish(
            session,
            DEVICE_ONLINE,
            {"device_id": str(device_id), "alert_id": str(alert_id)},
            key=str(device_id),
        )
    return ActivityCheck(raised=raised, cleared=len(cleared))
