"""Recording a street's WiFi hotspots. Never commits."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound, ValidationFailed
from merchant_api.i18n import text_problems
from merchant_api.streets.hotspot_repository import HotspotRepository
from merchant_api.streets.hotspot_schemas import HotspotIn, HotspotUpdate
from merchant_api.streets.models import HotspotStatus, StreetHotspot
from merchant_api.streets.repository import StreetRepository

STATUSES = tuple(status.value for status in HotspotStatus)


class HotspotService:
    def __init__(self, session: AsyncSession) -> None:
        self.hotspots = HotspotRepository(session)
        self.streets = StreetRepository(session)

    async def list(self, street_id: uuid.UUID) -> list[StreetHotspot]:
        await self._street(street_id)
        return await self.hotspots.for_street(street_id)

    async def add(self, street_id: uuid.UUID, body: HotspotIn) -> StreetHotspot:
        await self._street(street_id)
        fields = {f: getattr(body, f) for f in body.__struct_fields__}
        _check(fields, creating=True)
        hotspot = StreetHotspot(street_id=street_id, **_cleaned(fields))
        self.hotspots.add(hotspot)
        await self.hotspots.flush()
        return hotspot

    async def update(
        self, street_id: uuid.UUID, hotspot_id: uuid.UUID, body: HotspotUpdate
    ) -> StreetHotspot:
        await self._street(street_id)
        hotspot = await self.hotspots.get(street_id, hotspot_id)
        if hotspot is None:
            raise NotFound(f"This street has no hotspot {hotspot_id}.")
        fields = {
            f: getattr(body, f)
            for f in body.__struct_fields__
            if getattr(body, f) is not msgspec.UNSET
        }
        _check(fields, creating=False)
        for field, value in _cleaned(fields).items():
            if field in ("name", "location"):
                merged = {**getattr(hotspot, field), **value}
                value = {lang: text for lang, text in merged.items() if text}
            setattr(hotspot, field, value)
        await self.hotspots.flush()
        return hotspot

    async def _street(self, street_id: uuid.UUID) -> None:
        if await self.streets.get(street_id) is None:
            raise NotFound(f"There is no street {street_id}.")


def _check(fields: dict[str, Any], *, creating: bool) -> None:
    problems: list[dict[str, str]] = []

    def problem(key: str, message: str) -> None:
        problems.append({"key": key, "message": message, "source": "body"})

    if "name" in fields:
        problems += text_problems("name", fields["name"], required=creating, max_length=80)
    if "location" in fields:
        problems += text_problems("location", fields["location"], required=False, max_length=200)
    if "ssid" in fields:
        ssid = fields["ssid"].strip()
        # 802.11 allows 32 bytes; printable text keeps it typeable on a phone.
        if not ssid or len(ssid.encode()) > 32 or not ssid.isprintable():
            problem("ssid", "1 to 32 bytes of printable text.")
    if "status" in fields and fields["status"] not in STATUSES:
        problem("status", f"Use one of {', '.join(STATUSES)}.")
    for key, bound in (("latitude", 90.0), ("longitude", 180.0)):
        value = fields.get(key)
        if value is not None and not -bound <= value <= bound:
            problem(key, f"Between -{bound:g} and {bound:g}.")
    if problems:
        raise ValidationFailed("The hotspot cannot be saved.", details={"problems": problems})


def _cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    for key in ("name", "location"):
        if key in cleaned:
            cleaned[key] = {lang: text.strip() for lang, text in cleaned[key].items()}
    if "ssid" in cleaned:
        cleaned["ssid"] = cleaned["ssid"].strip()
    return cleaned
