"""Telemetry over MQTT: the same signed batches, validation and results as over HTTP.

A device publishes its batch (JSON or NDJSON bytes, gzip allowed) to
`<prefix>/devices/<device_id>/telemetry` with MQTT 5 user properties carrying the four
signature headers (x-device-credential, x-device-timestamp, x-device-nonce,
x-device-signature) and optionally content-type and content-encoding. The signature's
method is "MQTT" and its path the topic. The subscriber (`onestreet devices mqtt`) answers on
`<prefix>/devices/<device_id>/results` with {"nonce", "accepted", "duplicate", "rejected",
"results", "errors"} or {"nonce", "error": {"code", "message"}}.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any
from urllib.parse import urlparse

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.errors import OneStreetError
from infra.logging import get_logger
from infra.settings import Settings
from merchant_api.devices import signing
from merchant_api.devices.auth import DeviceAuthenticator
from merchant_api.telemetry.service import TelemetryService

log = get_logger("onestreet.telemetry.mqtt")


def broker_address(url: str) -> tuple[str, int]:
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 1883


def telemetry_topic(prefix: str, device_id: str) -> str:
    return f"{prefix}/devices/{device_id}/telemetry"


def results_topic(prefix: str, device_id: str) -> str:
    return f"{prefix}/devices/{device_id}/results"


def _properties(pairs: list[tuple[str, str]]) -> Any:
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    properties = Properties(PacketTypes.PUBLISH)
    properties.UserProperty = pairs
    return properties


async def publish_signed(client: Any, prefix: str, device: Any, body: bytes) -> str:
    """Publish a signed batch as a device does; returns the nonce used."""
    topic = telemetry_topic(prefix, device.device_id)
    nonce = device.nonce()
    headers = signing.sign_request(
        device.secret, device.credential_id, signing.MQTT_METHOD, topic, body, nonce
    )
    pairs = [*headers.items(), ("content-type", "application/json")]
    await client.publish(topic, body, qos=1, properties=_properties(pairs))
    return nonce


class MqttIngestor:
    """Verifies and stores one message at a time; a bad message gets an error result."""

    def __init__(
        self, settings: Settings, sessions: async_sessionmaker[AsyncSession], redis: Any
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.prefix = settings.devices.mqtt_topic_prefix
        self.auth = DeviceAuthenticator(sessions, settings, redis)

    async def handle(self, topic: str, payload: bytes, properties: Any) -> tuple[str, bytes] | None:
        parts = topic.split("/")
        if len(parts) < 3 or parts[-1] != "telemetry" or parts[-3] != "devices":
            return None
        device_text = parts[-2]
        headers = {k.lower(): v for k, v in (getattr(properties, "UserProperty", None) or [])}
        answer: dict[str, Any] = {"nonce": headers.get(signing.NONCE_HEADER)}
        try:
            device_id = uuid.UUID(device_text)
            identity = await self.auth.verify(
                signing.MQTT_METHOD, topic, headers, payload, device_id
            )
            async with self.sessions() as session:
                report = await TelemetryService(session, self.settings.devices).ingest(
                    identity.device_id,
                    payload,
                    headers.get("content-type", "application/json"),
                    headers.get("content-encoding"),
                )
                await session.commit()
            answer.update(report.as_dict())
        except ValueError:
            answer["error"] = {"code": "device_mismatch", "message": "Bad device id in topic."}
        except OneStreetError as exc:
            answer["error"] = {"code": exc.code, "message": exc.message}
        return results_topic(self.prefix, device_text), msgspec.json.encode(answer)


async def subscribe_forever(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    redis: Any,
    stop: asyncio.Event | None = None,
    ready: asyncio.Event | None = None,
) -> None:
    import aiomqtt

    ingestor = MqttIngestor(settings, sessions, redis)
    host, port = broker_address(settings.devices.mqtt_url)
    topic = f"{ingestor.prefix}/devices/+/telemetry"
    async with aiomqtt.Client(host, port, protocol=aiomqtt.ProtocolVersion.V5) as client:
        await client.subscribe(topic, qos=1)
        log.info("mqtt_subscribed", broker=f"{host}:{port}", topic=topic)
        if ready is not None:
            ready.set()

        async def consume() -> None:
            async for message in client.messages:
                payload = message.payload if isinstance(message.payload, bytes) else b""
                reply = await ingestor.handle(message.topic.value, payload, message.properties)
                if reply is not None:
                    await client.publish(reply[0], reply[1], qos=1)

        consumer = asyncio.create_task(consume())
        if stop is None:
            await consumer
            return
        await stop.wait()
        consumer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await consumer
