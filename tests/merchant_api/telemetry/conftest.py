"""Fixtures for telemetry tests: the merchant world, a paired kiosk, and a real MQTT
subscriber on a topic prefix of its own."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator

import pytest

from infra.celery_app import task_sessions
from infra.settings import DeviceSettings
from tests.merchant_api.devices.conftest import kiosk  # noqa: F401


@pytest.fixture
def mqtt_settings(settings):  # type: ignore[no-untyped-def]
    # A topic prefix of its own, so parallel runs never see each other's messages.
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    return settings.model_copy(update={"devices": DeviceSettings(mqtt_topic_prefix=prefix)})


@pytest.fixture
def subscriber(mqtt_settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    from merchant_api.telemetry.mqtt import subscribe_forever

    stopping, ready = threading.Event(), threading.Event()

    async def main() -> None:
        stop, subscribed = asyncio.Event(), asyncio.Event()

        async def watch() -> None:
            await asyncio.to_thread(stopping.wait)
            stop.set()

        async def announce() -> None:
            await subscribed.wait()
            ready.set()

        tasks = [asyncio.create_task(watch()), asyncio.create_task(announce())]
        redis = None
        if mqtt_settings.redis.url:
            from redis.asyncio import Redis

            redis = Redis.from_url(mqtt_settings.redis.url)
        async with task_sessions(mqtt_settings.database) as sessions:
            await subscribe_forever(mqtt_settings, sessions, redis, stop, subscribed)
        for task in tasks:
            task.cancel()

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    assert ready.wait(15), "the MQTT subscriber did not subscribe"
    yield
    stopping.set()
    thread.join(10)
