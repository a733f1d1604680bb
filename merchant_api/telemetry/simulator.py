"""A device simulator that speaks the real protocol: typed events, signed batches over HTTP
(or MQTT), per-event results. `onestreet devices simulate`, the demo seed (hourly events for
90 days) and the benchmark all use it.

Events are plausible rather than random noise: footfall follows the hour of day in Taipei and
is higher at weekends, kiosks turn menu views into carts and some carts into orders, and
hotspot client ids are salted digests, never MAC addresses.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from merchant_api.devices.signing import sign_request

# Relative footfall per hour of day, Asia/Taipei (UTC+8): quiet nights, lunch and evening peaks.
_HOURLY = [0.05, 0.02, 0.01, 0.01, 0.02, 0.05, 0.15, 0.3, 0.5, 0.7, 0.9, 1.0,
           1.0, 0.9, 0.8, 0.8, 0.9, 1.0, 1.0, 0.9, 0.7, 0.4, 0.2, 0.1]  # fmt: skip
_TAIPEI = timedelta(hours=8)
_CONTENT = ("menu", "map", "ar-tryon-hat", "festival", "points")


@dataclass
class SimDevice:
    device_id: str
    credential_id: str
    secret: str
    type: str
    seq: int = 0
    nonces: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def nonce(self) -> str:
        return f"{int(time.time())}-{next(self.nonces)}-{uuid.uuid4().hex[:6]}"


def footfall(hour: datetime) -> float:
    local = hour + _TAIPEI
    weekend = 1.4 if local.weekday() >= 5 else 1.0
    return _HOURLY[local.hour] * weekend


class EventFactory:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def one(
        self, device: SimDevice, at: datetime, kind: str | None = None, scale: float = 1.0
    ) -> dict[str, Any]:
        r = self.rng
        kind = kind or self._kind(device.type)
        event: dict[str, Any] = {"type": kind, "seq": device.next_seq(), "time": at.isoformat()}
        if kind == "heartbeat":
            event.update(
                uptime_seconds=r.randrange(60, 10**6),
                cpu_percent=round(r.uniform(3, 60), 1),
                memory_percent=round(r.uniform(20, 80), 1),
                disk_percent=round(r.uniform(10, 70), 1),
                network=r.choice(("wifi", "ethernet", "cellular")),
                app_version="2.3.1",
            )
        elif kind == "hotspot":
            sessions = int(r.randrange(0, 4) + 30 * scale * r.random())
            event.update(
                connected_clients=int(sessions * 0.6) + r.randrange(0, 3),
                new_sessions=sessions,
                bytes_up=sessions * r.randrange(50_000, 2_000_000),
                bytes_down=sessions * r.randrange(200_000, 20_000_000),
                session_seconds=[r.randrange(30, 3600) for _ in range(min(sessions, 5))],
                client_ids=[
                    hashlib.sha256(r.randbytes(6)).hexdigest()[:32] for _ in range(min(sessions, 3))
                ],
            )
        elif kind == "interaction":
            touches = int(20 * scale * r.random())
            event.update(
                touches=touches,
                scans=int(touches * r.uniform(0, 0.3)),
                dwell_seconds=touches * r.randrange(5, 40),
                ar_try_ons=int(touches * r.uniform(0, 0.1)),
                content_id=r.choice(_CONTENT),
            )
        elif kind == "kiosk":
            views = int(25 * scale * r.random())
            carts = int(views * r.uniform(0.2, 0.5))
            orders = int(carts * r.uniform(0.4, 0.8))
            event.update(
                menu_views=views,
                carts_started=carts,
                carts_abandoned=carts - orders,
                orders_placed=orders,
            )
        elif kind == "sale":
            event.update(amount_minor=r.randrange(50, 3000) * 100, items=r.randrange(1, 5))
        else:
            event.update(
                latitude=round(22.5 + r.random(), 5), longitude=round(120.5 + r.random(), 5)
            )
        return event

    def batch(self, device: SimDevice, size: int, now: datetime) -> list[dict[str, Any]]:
        return [
            self.one(device, now - timedelta(seconds=self.rng.random() * 30)) for _ in range(size)
        ]

    def hour(self, device: SimDevice, hour: datetime) -> list[dict[str, Any]]:
        """One hour of a device's life, aggregated: a heartbeat and its usage events."""
        scale = footfall(hour)
        events = [self.one(device, hour + timedelta(minutes=1), "heartbeat")]
        for kind in _USAGE.get(device.type, ()):
            if scale > 0.04 or kind == "hotspot":
                events.append(
                    self.one(
                        device, hour + timedelta(minutes=self.rng.randrange(2, 59)), kind, scale
                    )
                )
        return events

    def _kind(self, device_type: str) -> str:
        kinds = ("heartbeat", *_USAGE.get(device_type, ("location",)))
        return self.rng.choice(kinds)


class FastBatches:
    """Batches for load tests: events drawn once from the factory, kept as encoded templates,
    and stamped with a fresh sequence number and time per batch, so the simulator spends its
    CPU on sending rather than on making up numbers."""

    def __init__(self, factory: EventFactory, device_type: str, variety: int = 64) -> None:
        probe = SimDevice("", "", "", device_type)
        self.templates = []
        for _ in range(variety):
            event = factory.one(probe, datetime.now(UTC))
            event["seq"], event["time"] = -1, "@TIME@"
            encoded = msgspec.json.encode(event).replace(b"%", b"%%")
            self.templates.append(
                encoded.replace(b'"seq":-1', b'"seq":%d').replace(b'"@TIME@"', b'"%s"')
            )

    def batch(self, device: SimDevice, size: int, now: datetime) -> bytes:
        stamp = now.isoformat().encode()
        first = device.seq + 1
        device.seq += size
        count = len(self.templates)
        return (
            b"["
            + b",".join(
                self.templates[(first + i) % count] % (first + i, stamp) for i in range(size)
            )
            + b"]"
        )


_USAGE: dict[str, tuple[str, ...]] = {
    "kiosk": ("kiosk", "interaction"),
    "hotspot": ("hotspot",),
    "interactive_display": ("interaction",),
    "signage": ("interaction",),
    "payment_terminal": ("sale",),
    "other": ("location",),
}


@dataclass
class SimStats:
    requests: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    failed_requests: int = 0
    seconds: float = 0.0

    @property
    def events_per_second(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0


async def run_http(
    base_url: str,
    devices: list[SimDevice],
    *,
    duration: float,
    batch_size: int = 500,
    concurrency: int = 8,
    rate: float = 0.0,
    seed: int = 7,
    progress: Callable[[SimStats], None] | None = None,
) -> SimStats:
    """Post signed batches for `duration` seconds from `concurrency` workers; each worker owns
    a share of the devices so sequence numbers stay in order. `rate` > 0 caps events/s."""
    import httpx

    stats = SimStats()
    deadline = time.monotonic() + duration
    interval = (batch_size * concurrency / rate) if rate > 0 else 0.0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(index: int, client: httpx.AsyncClient) -> None:
        mine = devices[index::concurrency] or [devices[index % len(devices)]]
        factory = EventFactory(random.Random(seed + index))
        makers = {kind: FastBatches(factory, kind) for kind in {d.type for d in mine}}
        for device in itertools.cycle(mine):
            started = time.monotonic()
            if started >= deadline:
                return
            path = f"/api/devices/{device.device_id}/telemetry"
            body = makers[device.type].batch(device, batch_size, datetime.now(UTC))
            headers = sign_request(
                device.secret, device.credential_id, "POST", path, body, device.nonce()
            )
            headers["content-type"] = "application/json"
            try:
                response = await client.post(path, content=body, headers=headers)
            except httpx.HTTPError:
                stats.failed_requests += 1
                continue
            stats.requests += 1
            if response.status_code != 200:
                stats.failed_requests += 1
            else:
                answer = msgspec.json.decode(response.content)
                stats.accepted += answer["accepted"]
                stats.duplicate += answer["duplicate"]
                stats.rejected += answer["rejected"]
            if interval:
                await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))

    async def report() -> None:
        while time.monotonic() < deadline and progress:
            await asyncio.sleep(5)
            stats.seconds = duration - max(0.0, deadline - time.monotonic())
            progress(stats)

    began = time.monotonic()
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        reporter = asyncio.create_task(report())
        await asyncio.gather(*(worker(i, client) for i in range(concurrency)))
        reporter.cancel()
    stats.seconds = time.monotonic() - began
    return stats


async def run_mqtt(
    mqtt_url: str,
    prefix: str,
    devices: list[SimDevice],
    *,
    batches: int,
    batch_size: int,
    seed: int = 7,
) -> int:
    """Publish `batches` signed batches per device over MQTT (QoS 1); the events sent."""
    from merchant_api.telemetry.mqtt import broker_address, publish_signed

    host, port = broker_address(mqtt_url)
    factory = EventFactory(random.Random(seed))
    import aiomqtt

    sent = 0
    async with aiomqtt.Client(host, port, protocol=aiomqtt.ProtocolVersion.V5) as client:
        for device in devices:
            for _ in range(batches):
                body = msgspec.json.encode(factory.batch(device, batch_size, datetime.now(UTC)))
                await publish_signed(client, prefix, device, body)
                sent += batch_size
    return sent
