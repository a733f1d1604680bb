"""Ingesting a device's batch, recomputing rollups, and the per-shop hourly view with sales."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.settings import DeviceSettings
from merchant_api.telemetry import ingest
from merchant_api.telemetry.repository import TelemetryRepository


@dataclass(frozen=True)
class IngestReport:
    accepted: int
    duplicate: int
    rejected: int
    results: list[str]
    errors: list[dict[str, object]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "results": self.results,
            "errors": self.errors,
        }


class TelemetryService:
    def __init__(self, session: AsyncSession, settings: DeviceSettings | None = None) -> None:
        self.session = session
        self.settings = settings
        self.repo = TelemetryRepository(session)

    async def ingest(
        self, device_id: uuid.UUID, body: bytes, content_type: str, encoding: str | None
    ) -> IngestReport:
        """Validate each event, store the good ones in one round trip, report on each."""
        plain = ingest.decompress(body, encoding, self.settings.max_body_bytes)
        raw_events = ingest.split_events(plain, content_type, self.settings.max_batch_events)
        now = datetime.now(UTC)
        batch = ingest.validate(raw_events, self.settings, now)
        inserted = await self.repo.insert_events(
            device_id,
            now,
            ingest.dedupe_window(self.settings, now),
            batch.seqs,
            batch.times,
            batch.types,
            batch.payloads,
        )
        if len(inserted) != len(batch.seqs):
            ingest.mark_duplicates(batch, inserted)
        duplicates = batch.results.count(ingest.DUPLICATE)
        return IngestReport(
            accepted=len(inserted),
            duplicate=duplicates,
            rejected=len(batch.errors),
            results=batch.results,
            errors=batch.errors,
        )

    async def recompute(self, start: datetime, end: datetime) -> int:
        """Rollups for whole hours covering [start, end); idempotent."""
        first = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        last = end.astimezone(UTC)
        if last != last.replace(minute=0, second=0, microsecond=0):
            last = last.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        return await self.repo.recompute_hours(first, last)

    async def shop_hours(
        self, shop_id: uuid.UUID, start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """Per hour: footfall (hotspot sessions), interactions, the kiosk funnel, orders and
        payments of the shop; hours with neither telemetry nor orders are left out."""
        hours: dict[datetime, dict[str, Any]] = {}
        for row in await self.repo.shop_hours(shop_id, start, end):
            entry = _empty(row.hour)
            entry.update({k: int(v or 0) for k, v in row._mapping.items() if k != "hour"})
            hours[_utc(row.hour)] = entry
        for hour, orders, value, paid, paid_value in await self.repo.shop_order_hours(
            shop_id, start, end
        ):
            entry = hours.setdefault(_utc(hour), _empty(hour))
            entry.update(
                orders=int(orders),
                orders_minor=int(value),
                paid_orders=int(paid or 0),
                paid_minor=int(paid_value or 0),
            )
        return [hours[h] for h in sorted(hours)]


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _empty(hour: datetime) -> dict[str, Any]:
    keys = (
        "events",
        "hotspot_sessions",
        "hotspot_clients_peak",
        "touches",
        "scans",
        "dwell_seconds",
        "ar_try_ons",
        "menu_views",
        "carts_started",
        "carts_abandoned",
        "kiosk_orders",
        "pos_sales",
        "pos_sales_minor",
        "orders",
        "orders_minor",
        "paid_orders",
        "paid_minor",
    )
    return {"hour": _utc(hour), **dict.fromkeys(keys, 0)}
