"""Demo devices on every demo street and 90 days of their telemetry, made by the simulator.

Each street gets two hotspots, a self-order kiosk and an interactive display at shops, and
the first street also a signage screen that went silent two days ago (so the inactivity check
has an outage to report). The simulator produces one aggregated set of events per device and
hour (heartbeats every four hours); the events pass the same validation as ingestion, go in
with the bulk insert, and the hourly rollups are computed at the end. Deterministic for a seed
number and an hour: ids derive from the seed, times run up to the last full hour.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from infra.auth.roles import Role
from infra.settings import DeviceSettings
from merchant_api.devices.models import Device, DeviceCredential, DeviceStatus
from merchant_api.devices.service import device_account_email
from merchant_api.telemetry import ingest
from merchant_api.telemetry.maintenance import ensure_partitions
from merchant_api.telemetry.repository import TelemetryRepository
from merchant_api.telemetry.service import TelemetryService
from merchant_api.telemetry.simulator import EventFactory, SimDevice

DAYS = 90
CHUNK = 1000
_PLAN = (("hotspot", "WiFi 熱點 A", None), ("hotspot", "WiFi 熱點 B", None),
         ("kiosk", "自助點餐機", 0), ("interactive_display", "AR 互動螢幕", 1))  # fmt: skip
_MODELS = {"hotspot": "TP-Link EAP225", "kiosk": "iMin Swan 1"}
_shops = sa.table("shops", sa.column("id", sa.Uuid()), sa.column("street_id", sa.Uuid()),
                  sa.column("slug"))  # fmt: skip


async def seed_telemetry(
    session: AsyncSession,
    seed_number: int,
    make_id: Callable[[str, str], uuid.UUID],
    street_ids: dict[str, uuid.UUID],
) -> str:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    now_hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    start = today - timedelta(days=DAYS)
    devices = await _devices(session, make_id, street_ids, today)
    await ensure_partitions(session, start, now_hour)
    # The seed writes the past: the late-event window is widened for it alone.
    window = DeviceSettings().model_copy(update={"late_event_days": DAYS + 2})
    repo = TelemetryRepository(session)
    total = 0
    for device, sim, silent_since in devices:
        # A generator per device: its history does not depend on the other devices'.
        factory = EventFactory(random.Random(f"{seed_number}:{device.id}"))
        raw: list[bytes] = []
        hour = start
        while hour < now_hour and (silent_since is None or hour < silent_since):
            events = factory.hour(sim, hour)
            if hour.hour % 4:
                events = events[1:]  # heartbeats every four hours are plenty for a demo
            raw.extend(msgspec.json.encode(event) for event in events)
            hour += timedelta(hours=1)
        for offset in range(0, len(raw), CHUNK):
            batch = ingest.validate(raw[offset : offset + CHUNK], window, datetime.now(UTC))
            received = max(batch.times) + timedelta(seconds=5)
            inserted = await repo.insert_events(
                device.id,
                received,
                ingest.dedupe_window(window, received),
                batch.seqs,
                batch.times,
                batch.types,
                batch.payloads,
            )
            total += len(inserted)
    seeded_at = datetime.now(UTC)
    for device, _, silent_since in devices:
        # The demo starts with the working devices online (they "just reported").
        device.last_seen_at = silent_since or seeded_at
    await session.flush()
    rows = await TelemetryService(session).recompute(start, now_hour + timedelta(hours=1))
    return f"Added {len(devices)} devices and {total} telemetry events ({rows} device-hours)"


async def _devices(
    session: AsyncSession,
    make_id: Callable[[str, str], uuid.UUID],
    street_ids: dict[str, uuid.UUID],
    today: datetime,
) -> list[tuple[Device, SimDevice, datetime | None]]:
    shops = (await session.execute(sa.select(_shops).order_by(_shops.c.slug))).all()
    made = []
    for number, (slug, street_id) in enumerate(sorted(street_ids.items())):
        street_shops = [row.id for row in shops if row.street_id == street_id]
        plan = list(_PLAN)
        if number == 0:
            plan.append(("signage", "數位看板", None))
        for kind, name, shop_index in plan:
            key = f"{slug}:{kind}:{name}"
            device_id = make_id("device", key)
            session.add(
                Account(
                    id=make_id("device-account", key),
                    email=device_account_email(device_id),
                    phone=None,
                    display_name=name,
                    role=Role.device,
                    password_hash=None,
                    is_active=True,
                    failed_login_count=0,
                )
            )
            await session.flush()
            shop_id = street_shops[shop_index] if shop_index is not None else None
            installed = today - timedelta(days=DAYS + 30)
            device = Device(
                id=device_id,
                street_id=street_id,
                shop_id=shop_id,
                account_id=make_id("device-account", key),
                type=kind,
                name=name,
                model=_MODELS.get(kind, "Generic 32-inch"),
                serial=f"SN-{device_id.hex[:8].upper()}",
                firmware="5.1.2" if kind == "hotspot" else "1.8.0",
                app_version="2.3.1",
                installed_on=installed.date(),
                status=DeviceStatus.active.value,
                created_at=installed,
            )
            session.add(device)
            credential_id = make_id("device-credential", key)
            session.add(
                DeviceCredential(id=credential_id, device_id=device_id, created_at=installed)
            )
            silent = today - timedelta(days=2) if kind == "signage" else None
            made.append((device, SimDevice(str(device_id), "", "", kind), silent))
    await session.flush()
    return made
