"""The registry of event types a device may send, as msgspec Structs.

Every event carries `type`, the device's sequence number `seq` (unique per device; what
dedupe goes by) and the device's clock `time` (RFC 3339 with an offset). Unknown fields are
refused, so what is stored is exactly what was validated. Hotspots never send MAC addresses:
`client_ids` are hex digests of the MAC salted with the street's current salt (from
GET /api/devices/{id}/config), at least 16 hex characters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

Count = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
Bytes = Annotated[int, msgspec.Meta(ge=0, le=10**13)]
Percent = Annotated[float, msgspec.Meta(ge=0, le=100)]
Seconds = Annotated[int, msgspec.Meta(ge=0, le=7 * 86400)]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
HashedClient = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{16,64}$")]
Money = Annotated[int, msgspec.Meta(ge=0, le=10**10)]


class _Event(msgspec.Struct, tag_field="type", forbid_unknown_fields=True, frozen=True):
    seq: Annotated[int, msgspec.Meta(ge=0, le=2**62)]
    time: Annotated[datetime, msgspec.Meta(tz=True)]


class Heartbeat(_Event, tag="heartbeat"):
    uptime_seconds: Annotated[int, msgspec.Meta(ge=0, le=10**9)]
    cpu_percent: Percent
    memory_percent: Percent
    disk_percent: Percent | None = None
    network: Literal["wifi", "ethernet", "cellular", "offline"] | None = None
    signal_dbm: Annotated[int, msgspec.Meta(ge=-150, le=0)] | None = None
    app_version: Annotated[str, msgspec.Meta(max_length=50)] | None = None


class Hotspot(_Event, tag="hotspot"):
    connected_clients: Count
    new_sessions: Count
    bytes_up: Bytes
    bytes_down: Bytes
    session_seconds: Annotated[list[Seconds], msgspec.Meta(max_length=1000)] = []
    client_ids: Annotated[list[HashedClient], msgspec.Meta(max_length=1000)] = []


class Interaction(_Event, tag="interaction"):
    touches: Count = 0
    scans: Count = 0
    dwell_seconds: Seconds = 0
    ar_try_ons: Count = 0
    content_id: Label | None = None


class Kiosk(_Event, tag="kiosk"):
    menu_views: Count = 0
    carts_started: Count = 0
    carts_abandoned: Count = 0
    orders_placed: Count = 0


class Sale(_Event, tag="sale"):
    """A sale rung up on an outside POS (our own orders are already in the orders table)."""

    amount_minor: Money
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")] = "TWD"
    items: Count = 1
    reference: Label | None = None


class Location(_Event, tag="location"):
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)]
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)]
    accuracy_m: Annotated[float, msgspec.Meta(ge=0, le=100_000)] | None = None


Event = Heartbeat | Hotspot | Interaction | Kiosk | Sale | Location
EVENT_TYPES = ("heartbeat", "hotspot", "interaction", "kiosk", "sale", "location")
EVENT_DECODER = msgspec.json.Decoder(Event)
BATCH_DECODER = msgspec.json.Decoder(list[Event])
EVENT_TAGS: dict[type, str] = {cls: cls.__struct_config__.tag for cls in Event.__args__}  # type: ignore[attr-defined,misc]
