"""Inactivity alerts through `onestreet devices check-activity`: once per outage, cleared on
return, shown to the shop and its consultant, announced through the outbox."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import sqlalchemy as sa

from infra.db import utcnow
from merchant_api.devices.tasks import run_activity_check
from tests.support.cli import onestreet


def _cli_env(settings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "ONESTREET_DATABASE_URL": settings.database.url,
        "ONESTREET_AUTH__SECRET_KEY": settings.auth.secret_key,
        "ONESTREET_APP__LOG_LEVEL": "WARNING",
    }


def test_a_silent_device_raises_one_alert_which_clears_when_it_returns(
    client, caller, world, kiosk, settings, db, tmp_path
):
    assert kiosk.send([kiosk.event()]).status_code == 200

    async def go_silent(session):  # type: ignore[no-untyped-def]
        await session.execute(
            sa.text("UPDATE device_devices SET last_seen_at = :t"),
            {"t": utcnow() - timedelta(minutes=20)},
        )

    async def outbox_types(session):  # type: ignore[no-untyped-def]
        rows = await session.scalars(
            sa.text("SELECT event_type FROM outbox_events WHERE event_type LIKE 'devices.%'")
        )
        return sorted(rows.all())

    db(go_silent)
    env = _cli_env(settings)
    first = onestreet("devices", "check-activity", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "1 alert(s) raised, 0 cleared" in first.stdout
    # The beat task's body from here on (the CLI above runs the same function).
    assert asyncio.run(run_activity_check(settings)) == {"raised": 0, "cleared": 0}

    for who in ("owner.a@test.tw", "consultant.x@test.tw"):
        [device] = caller(who).get(f"/api/shops/{world.shop_a}/devices").json()
        assert device["online"] is False
        assert device["alert"]["kind"] == "offline"
    assert db(outbox_types) == ["devices.offline"]

    assert kiosk.send([kiosk.event()]).status_code == 200  # back
    assert asyncio.run(run_activity_check(settings)) == {"raised": 0, "cleared": 1}
    [device] = caller("owner.a@test.tw").get(f"/api/shops/{world.shop_a}/devices").json()
    assert (device["online"], device["alert"]) == (True, None)
    assert db(outbox_types) == ["devices.offline", "devices.online"]
