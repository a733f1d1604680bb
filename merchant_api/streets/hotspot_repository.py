"""All SQL about a street's WiFi hotspots."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.streets.models import StreetHotspot


class HotspotRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_street(self, street_id: uuid.UUID) -> list[StreetHotspot]:
        rows = await self.session.scalars(
            select(StreetHotspot)
            .where(StreetHotspot.street_id == street_id)
            .order_by(StreetHotspot.ssid, StreetHotspot.id)
        )
        return list(rows)

    async def get(self, street_id: uuid.UUID, hotspot_id: uuid.UUID) -> StreetHotspot | None:
        return await self.session.scalar(
            select(StreetHotspot).where(
                StreetHotspot.id == hotspot_id, StreetHotspot.street_id == street_id
            )
        )

    def add(self, hotspot: StreetHotspot) -> None:
        self.session.add(hotspot)

    async def flush(self) -> None:
        await self.session.flush()
