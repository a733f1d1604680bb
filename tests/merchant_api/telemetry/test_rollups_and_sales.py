"""Hourly rollups (idempotent, recomputable) and the per-shop hour next to orders and payments."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from merchant_api.orders.models import Order
from merchant_api.telemetry.tasks import run_rollup


def _hour_ago(hours: int) -> datetime:
    return (datetime.now(UTC) - timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


def test_rollups_put_footfall_interactions_and_the_kiosk_funnel_next_to_orders(
    client, caller, world, kiosk, settings, db
):
    hour = _hour_ago(30)  # a late event: yesterday, still within the 7 days
    events = [
        kiosk.event(
            "kiosk",
            at=hour + timedelta(minutes=5),
            menu_views=10,
            carts_started=4,
            carts_abandoned=1,
            orders_placed=3,
        ),
        kiosk.event("kiosk", at=hour + timedelta(minutes=50), menu_views=2),
        kiosk.event(
            "interaction", at=hour + timedelta(minutes=7), touches=6, scans=2, dwell_seconds=90
        ),
        kiosk.event("heartbeat", at=hour + timedelta(minutes=1)),
        kiosk.event(
            "hotspot",
            at=hour + timedelta(minutes=9),
            connected_clients=4,
            new_sessions=5,
            bytes_up=3_000_000_000,
            bytes_down=9_000_000_000,
        ),
        kiosk.event("sale", at=hour + timedelta(minutes=20), amount_minor=45000),
        kiosk.event("heartbeat", at=hour + timedelta(hours=1, minutes=1)),  # the next hour
    ]
    assert kiosk.send(events).json()["accepted"] == 7

    async def orders(session):  # type: ignore[no-untyped-def]
        for number, paid in ((1, True), (2, False)):
            session.add(
                Order(
                    shop_id=world.shop_a,
                    business_date=hour.date(),
                    number=number,
                    channel="kiosk",
                    status="placed",
                    item_count=1,
                    total_minor=12000,
                    currency="TWD",
                    placed_at=hour + timedelta(minutes=10 + number),
                    paid_at=hour + timedelta(minutes=15) if paid else None,
                )
            )

    db(orders)
    start, end = hour - timedelta(hours=1), hour + timedelta(hours=3)
    first = asyncio.run(run_rollup(settings, start, end))
    again = asyncio.run(run_rollup(settings, start, end))
    assert first == again == 2  # two device-hours, the same after a second run

    owner = caller("owner.a@test.tw")
    report = owner.get(
        f"/api/shops/{world.shop_a}/telemetry/hourly",
        params={"start": start.isoformat(), "end": end.isoformat()},
    )
    assert report.status_code == 200, report.text
    rows = report.json()
    assert [datetime.fromisoformat(r["hour"]) for r in rows] == [hour, hour + timedelta(hours=1)]
    first_hour = rows[0]
    assert {
        k: first_hour[k]
        for k in (
            "events",
            "hotspot_sessions",
            "touches",
            "scans",
            "dwell_seconds",
            "menu_views",
            "carts_started",
            "carts_abandoned",
            "kiosk_orders",
            "pos_sales",
            "pos_sales_minor",
            "orders",
            "orders_minor",
            "paid_orders",
            "paid_minor",
        )
    } == {
        "events": 6,
        "hotspot_sessions": 5,
        "touches": 6,
        "scans": 2,
        "dwell_seconds": 90,
        "menu_views": 12,
        "carts_started": 4,
        "carts_abandoned": 1,
        "kiosk_orders": 3,
        "pos_sales": 1,
        "pos_sales_minor": 45000,
        "orders": 2,
        "orders_minor": 24000,
        "paid_orders": 1,
        "paid_minor": 12000,
    }
    assert rows[1]["events"] == 1 and rows[1]["orders"] == 0
    # Another shop's owner cannot read it.
    assert (
        caller("owner.b@test.tw").get(f"/api/shops/{world.shop_a}/telemetry/hourly").status_code
        == 403
    )


def test_a_recomputation_reflects_late_events(kiosk, settings, caller, world, db):
    hour = _hour_ago(50)
    kiosk.send([kiosk.event("interaction", at=hour + timedelta(minutes=1), touches=1)])
    window = (hour, hour + timedelta(hours=1))
    asyncio.run(run_rollup(settings, *window))
    kiosk.send([kiosk.event("interaction", at=hour + timedelta(minutes=2), touches=10)])
    asyncio.run(run_rollup(settings, *window))

    async def touches(session):  # type: ignore[no-untyped-def]
        return await session.scalar(sa.text("SELECT SUM(touches) FROM telemetry_hourly"))

    assert db(touches) == 11
