"""`onestreet devices simulate` pairs devices and speaks the real protocol (here over MQTT, to
the same subscriber `onestreet devices mqtt` runs)."""

from __future__ import annotations

import sqlalchemy as sa

from tests.support.cli import onestreet


def test_simulate_pairs_devices_and_publishes_signed_batches(
    world,
    mqtt_settings,
    subscriber,
    db,
    tmp_path,
):
    env = {
        "ONESTREET_DATABASE_URL": mqtt_settings.database.url,
        "ONESTREET_AUTH__SECRET_KEY": mqtt_settings.auth.secret_key,
        "ONESTREET_DEVICES__MQTT_TOPIC_PREFIX": mqtt_settings.devices.mqtt_topic_prefix,
        "ONESTREET_APP__DATA_DIR": str(tmp_path),
        "ONESTREET_APP__LOG_LEVEL": "WARNING",
    }
    ran = onestreet(
        "devices", "simulate", "--devices", "2", "--transport", "mqtt", "--batches", "2",
        "--batch", "10", "--street", str(world.street_x), cwd=tmp_path, env=env,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "Published 40 events" in ran.stdout
    assert (tmp_path / "simulated-devices.json").exists()

    async def counts(session):  # type: ignore[no-untyped-def]
        devices = await session.scalar(
            sa.text("SELECT COUNT(*) FROM device_devices WHERE status = 'active'")
        )
        return devices

    import time

    def stored() -> int:
        async def count(session):  # type: ignore[no-untyped-def]
            return await session.scalar(sa.text("SELECT COUNT(*) FROM telemetry_events"))

        return db(count)

    deadline = time.monotonic() + 20
    while stored() < 40 and time.monotonic() < deadline:
        time.sleep(0.3)
    assert stored() == 40
    assert db(counts) == 2
