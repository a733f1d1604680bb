"""Devices and their sessions: the device registry and the hourly telemetry rollup (written
here as the devices package writes them) feed the device KPI and the uses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from infra.auth.models import Account
from infra.auth.roles import Role
from merchant_api.devices.models import Device
from merchant_api.programme.periods import TAIPEI, current_roc_year
from merchant_api.telemetry.models import TelemetryHourly
from tests.merchant_api.programme.conftest import ADMIN, MINISTRY, taipei_today

ZEROS = {
    "events": 1,
    "heartbeats": 0,
    "hotspot_sessions": 0,
    "hotspot_clients_peak": 0,
    "bytes_up": 0,
    "bytes_down": 0,
    "touches": 0,
    "scans": 0,
    "dwell_seconds": 0,
    "ar_try_ons": 0,
    "menu_views": 0,
    "carts_started": 0,
    "carts_abandoned": 0,
    "kiosk_orders": 0,
    "pos_sales": 0,
    "pos_sales_minor": 0,
}


def test_device_sessions_count_as_uses_and_active_kiosks_as_devices(
    caller, world, db, refresh
) -> None:  # type: ignore[no-untyped-def]
    today = taipei_today()
    noon = datetime(today.year, today.month, today.day, 12, tzinfo=TAIPEI).astimezone(UTC)

    async def arrange(session):  # type: ignore[no-untyped-def]
        devices = []
        for kind, shop, status in (
            ("hotspot", None, "active"),
            ("kiosk", world.shop_a, "active"),
            ("kiosk", world.shop_c, "retired"),
        ):
            account = Account(
                email=f"{uuid.uuid4().hex}@devices.test",
                display_name=kind,
                role=Role.device,
                password_hash=None,
                is_active=True,
                failed_login_count=0,
            )
            session.add(account)
            await session.flush()
            device = Device(
                street_id=world.street_x,
                shop_id=shop,
                account_id=account.id,
                type=kind,
                name=kind,
                status=status,
                installed_on=today,
            )
            session.add(device)
            devices.append(device)
        await session.flush()
        hotspot, kiosk, _ = devices
        for hour in range(3):
            session.add(
                TelemetryHourly(
                    device_id=hotspot.id,
                    hour=noon + timedelta(hours=hour),
                    shop_id=None,
                    street_id=world.street_x,
                    device_type="hotspot",
                    **{**ZEROS, "hotspot_sessions": 4},
                )
            )
        session.add(
            TelemetryHourly(
                device_id=kiosk.id,
                hour=noon,
                shop_id=world.shop_a,
                street_id=world.street_x,
                device_type="kiosk",
                **{**ZEROS, "carts_started": 3},
            )
        )

    db(arrange)
    assert refresh()["days"] == 1
    year = current_roc_year()
    kpis = {
        k["kpi"]: k
        for k in caller(MINISTRY).get(f"/api/programme/kpis?roc_year={year}").json()["kpis"]
    }
    assert kpis["uses"]["selected"]["actual"] == 12 + 3
    # The active kiosk counts; the hotspot is counted under areas and the retired kiosk not at all.
    assert kpis["devices"]["selected"]["actual"] == 1
    assert kpis["devices"]["source_available"] is True
    sources = (
        caller(MINISTRY).get(f"/api/programme/kpis/uses/breakdown?by=source&roc_year={year}").json()
    )
    cells = {c["key"]: (c["value"], c["suppressed"]) for c in sources["cells"]}
    assert cells == {"hotspot_session": (12, False), "kiosk_session": (None, True)}
    assert caller(ADMIN).get("/api/programme/rollups/check").json()["ok"] is True
    assert caller(ADMIN).post("/api/programme/rollups/rebuild").json()["days"] == 1
    assert caller(ADMIN).get("/api/programme/rollups/check").json()["ok"] is True
    records = caller(MINISTRY).get(f"/api/programme/kpis/devices/records?roc_year={year}").json()
    assert [r["type"] for r in records["records"]] == ["kiosk"]
