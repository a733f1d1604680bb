"""Device effectiveness advice: the kiosk screen that loses customers, from telemetry rollups.

Shop A's devices first report for four hours only (too little to judge). Then its kiosk
reports every open hour of 60 earlier days: 5 menu views, 3 carts (2 abandoned), 1 order an
hour, so the cart screen loses most; its display has touches in even hours only.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from infra.auth.models import Account
from infra.auth.roles import Role
from merchant_api.devices.models import Device
from merchant_api.telemetry.models import TelemetryHourly
from tests.recommender.conftest import TAIPEI, _today
from tests.recommender.test_advice_api import CONSULTANT, _advice, _evidence_numbers, _numbers

ZERO = {
    "events": 1, "heartbeats": 0, "hotspot_sessions": 0, "hotspot_clients_peak": 0,
    "bytes_up": 0, "bytes_down": 0, "touches": 0, "scans": 0, "dwell_seconds": 0,
    "ar_try_ons": 0, "menu_views": 0, "carts_started": 0, "carts_abandoned": 0,
    "kiosk_orders": 0, "pos_sales": 0, "pos_sales_minor": 0,
}  # fmt: skip


def _plant(db, street, shop, days: int, rows) -> None:  # type: ignore[no-untyped-def]
    """rows(device type, local day, hour) -> counts, or None for no report."""

    async def build(session):  # type: ignore[no-untyped-def]
        inserted = []
        for kind in ("kiosk", "interactive_display"):
            account = Account(
                email=f"{kind}-{uuid.uuid4().hex[:6]}@device.test", display_name=kind,
                role=Role.device, password_hash="x", is_active=True, failed_login_count=0,
            )  # fmt: skip
            session.add(account)
            await session.flush()
            device = Device(
                street_id=street, shop_id=shop, account_id=account.id, type=kind, name=kind
            )
            session.add(device)
            await session.flush()
            for back in range(1, days + 1):
                day: date = _today() - timedelta(days=back)
                for hour in range(10, 18):
                    counts = rows(kind, day, hour)
                    if counts is None:
                        continue
                    at = datetime.combine(day, time(hour), TAIPEI).astimezone(UTC)
                    inserted.append(
                        {**ZERO, **counts, "device_id": device.id, "hour": at, "shop_id": shop,
                         "street_id": street, "device_type": kind, "computed_at": at}
                    )  # fmt: skip
        await session.execute(sa.insert(TelemetryHourly), inserted)

    db(build)


def _generate(caller, shop):  # type: ignore[no-untyped-def]
    response = caller(CONSULTANT).post(f"/api/shops/{shop}/advice/generate")
    assert response.status_code == 201, response.text
    return {i["kind"]: i for i in _advice(caller, CONSULTANT, shop, status="draft")}


def test_device_advice_from_telemetry(caller, sales, db):  # type: ignore[no-untyped-def]
    """One shop, twice: first a few hours of reports (too little), then 60 days' worth."""
    world = sales.world

    def few(kind, day, hour):  # type: ignore[no-untyped-def]
        recent = day >= _today() - timedelta(days=2)
        return {"menu_views": 2, "touches": 1} if recent and hour < 12 else None

    _plant(db, world.street_x, world.shop_a, 5, few)
    kinds = _generate(caller, world.shop_a)
    assert "kiosk_funnel" not in kinds and "device_effect" not in kinds
    item = kinds["device_not_enough_data"]
    assert item["evidence"]["device_hours"] == 4 and item["evidence"]["menu_views"] == 8
    assert "4 hours, with 8 kiosk menu views" in item["body"]["en"]
    assert item["expected_value_minor"] == 0

    def rows(kind, day, hour):  # type: ignore[no-untyped-def]
        if day >= _today() - timedelta(days=5):
            return None  # those hours were planted above
        if kind == "kiosk":
            return {"menu_views": 5, "carts_started": 3, "carts_abandoned": 2, "kiosk_orders": 1}
        return {"touches": 4 if hour % 2 == 0 else 0}

    _plant(db, world.street_x, world.shop_a, 65, rows)
    kinds = _generate(caller, world.shop_a)
    assert "device_not_enough_data" not in kinds

    funnel = kinds["kiosk_funnel"]
    evidence = funnel["evidence"]
    assert (evidence["menu_views"], evidence["carts_started"]) == (2408, 1440)
    assert (evidence["kiosk_orders"], evidence["carts_abandoned"]) == (480, 960)
    assert (evidence["cart_pct"], evidence["order_pct"]) == (60, 33)
    assert evidence["losing_step"] == "cart" and evidence["lost_at_step"] == 960
    assert "cart and checkout screen" in funnel["body"]["en"]
    assert funnel["expected_value_minor"] > 0 and funnel["chart"]["bars"][2]["highlight"]

    effect = kinds["device_effect"]
    assert effect["evidence"]["interaction"] == "touches"
    assert (effect["evidence"]["hours_with"], effect["evidence"]["hours_without"]) == (244, 240)
    assert "touches" in effect["evidence"]["per_interaction"]
    for item in (funnel, effect):  # every number the owner reads is in the evidence
        for lang in ("zh-Hant-TW", "en"):
            cited = _numbers(item["body"][lang]) - {"15", "17", "14"}
            assert cited <= _evidence_numbers(item), (item["kind"], lang, cited)
