"""WiFi hotspot requests and answers."""

from __future__ import annotations

import uuid
from datetime import date

import msgspec

from merchant_api.i18n import pick
from merchant_api.streets.models import StreetHotspot


class HotspotIn(msgspec.Struct, forbid_unknown_fields=True):
    name: dict[str, str]
    ssid: str
    location: dict[str, str] = msgspec.field(default_factory=dict)
    latitude: float | None = None
    longitude: float | None = None
    installed_on: date | None = None
    status: str = "planned"


class HotspotUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Omitted fields stay; `name` and `location` replace the languages given."""

    name: dict[str, str] | msgspec.UnsetType = msgspec.UNSET
    ssid: str | msgspec.UnsetType = msgspec.UNSET
    location: dict[str, str] | msgspec.UnsetType = msgspec.UNSET
    latitude: float | msgspec.UnsetType | None = msgspec.UNSET
    longitude: float | msgspec.UnsetType | None = msgspec.UNSET
    installed_on: date | msgspec.UnsetType | None = msgspec.UNSET
    status: str | msgspec.UnsetType = msgspec.UNSET


class HotspotOut(msgspec.Struct):
    id: uuid.UUID
    street_id: uuid.UUID
    name: str
    ssid: str
    location: str
    latitude: float | None
    longitude: float | None
    installed_on: date | None
    status: str


def hotspot_out(hotspot: StreetHotspot, language: str) -> HotspotOut:
    return HotspotOut(
        id=hotspot.id,
        street_id=hotspot.street_id,
        name=pick(hotspot.name, language),
        ssid=hotspot.ssid,
        location=pick(hotspot.location, language),
        latitude=hotspot.latitude,
        longitude=hotspot.longitude,
        installed_on=hotspot.installed_on,
        status=hotspot.status,
    )
