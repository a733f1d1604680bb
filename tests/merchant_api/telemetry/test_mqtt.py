"""The same signed batches over real MQTT (Mosquitto on 127.0.0.1:1883): the subscriber that
`onestreet devices mqtt` runs verifies, stores and answers on the device's results topic."""

from __future__ import annotations

import asyncio

import aiomqtt
import msgspec
import sqlalchemy as sa

from merchant_api.telemetry.mqtt import broker_address, publish_signed, results_topic
from merchant_api.telemetry.simulator import SimDevice


async def _exchange(settings, device: SimDevice, bodies: list[tuple[bytes, str | None]]):  # type: ignore[no-untyped-def]
    """Publish each body (optionally with a fixed nonce) and collect the answers in order."""
    host, port = broker_address(settings.devices.mqtt_url)
    prefix = settings.devices.mqtt_topic_prefix
    answers = []
    async with aiomqtt.Client(host, port, protocol=aiomqtt.ProtocolVersion.V5) as client:
        await client.subscribe(results_topic(prefix, device.device_id), qos=1)
        messages = aiter(client.messages)
        for body, nonce in bodies:
            if nonce:
                device.nonce = lambda nonce=nonce: nonce  # type: ignore[method-assign]
            await publish_signed(client, prefix, device, body)
            message = await asyncio.wait_for(anext(messages), timeout=15)
            answers.append(msgspec.json.decode(message.payload))
    return answers


def test_signed_batches_over_mqtt_are_validated_deduped_and_answered(
    kiosk, subscriber, mqtt_settings, db
):
    device = SimDevice(kiosk.device_id, kiosk.credential_id, kiosk.secret, "kiosk")
    good = msgspec.json.encode([kiosk.event(), kiosk.event("kiosk", menu_views=3)])
    mixed = msgspec.json.encode([kiosk.event(), kiosk.event("heartbeat", memory_percent=-1)])
    forged = SimDevice(kiosk.device_id, kiosk.credential_id, "f" * 64, "kiosk")

    answers = asyncio.run(
        _exchange(
            mqtt_settings,
            device,
            [
                (good, "mqtt-nonce-1"),
                (good, "mqtt-nonce-2"),
                (mixed, "mqtt-nonce-3"),
                (mixed, "mqtt-nonce-3"),
            ],
        )
    )
    assert answers[0]["results"] == ["accepted", "accepted"]
    assert answers[1]["results"] == ["duplicate", "duplicate"]  # resent under a new nonce
    assert answers[2]["results"] == ["accepted", "rejected"]
    assert answers[3]["error"]["code"] == "device_nonce_replayed"
    [refused] = asyncio.run(_exchange(mqtt_settings, forged, [(good, None)]))
    assert refused["error"]["code"] == "device_signature_invalid"

    async def stored(session):  # type: ignore[no-untyped-def]
        return await session.scalar(sa.text("SELECT COUNT(*) FROM telemetry_events"))

    assert db(stored) == 3
