"""POST /api/devices/{id}/telemetry (signed by the device) and the per-shop hourly view."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import shop_guard
from infra.errors import ValidationFailed
from infra.http.openapi import SIGNED_IN as SECURITY
from infra.settings import Settings
from merchant_api.devices.auth import verify_request
from merchant_api.telemetry.repository import ingest_session
from merchant_api.telemetry.schemas import IngestOut, ShopHour
from merchant_api.telemetry.service import TelemetryService

MAX_REPORT_DAYS = 92


class TelemetryController(Controller):
    path = "/api"
    tags = ["telemetry"]  # noqa: RUF012

    @post(
        "/devices/{device_id:uuid}/telemetry",
        summary="A device's signed batch of events (JSON array or NDJSON, gzip allowed)",
        description="Up to ONESTREET_DEVICES__MAX_BATCH_EVENTS events. Each event gets its own "
        "result; good events of a mixed batch are stored. See merchant_api.devices for signing "
        "and merchant_api.telemetry.events for the event types.",
        status_code=200,
    )
    async def ingest(
        self, request: Request[Any, Any, Any], device_id: FromPath[uuid.UUID]
    ) -> Response[IngestOut]:
        identity, body = await verify_request(request, device_id)
        state = request.app.state
        settings: Settings = state.settings
        async with ingest_session(state.engine, state.session_factory) as session:
            report = await TelemetryService(session, settings.devices).ingest(
                identity.device_id,
                body,
                request.headers.get("content-type", "application/json"),
                request.headers.get("content-encoding"),
            )
        return Response(IngestOut(**report.as_dict()))

    @get(
        "/shops/{shop_id:uuid}/telemetry/hourly",
        guards=[shop_guard()],
        security=SECURITY,
        summary="Per hour: footfall, interactions, kiosk funnel, orders and payments",
    )
    async def shop_hourly(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        start: FromQuery[datetime | None] = None,
        end: FromQuery[datetime | None] = None,
    ) -> list[ShopHour]:
        end = _aware(end, "end") or datetime.now(UTC)
        start = _aware(start, "start") or end - timedelta(days=7)
        if not timedelta(0) < end - start <= timedelta(days=MAX_REPORT_DAYS):
            raise ValidationFailed(
                f"start must be before end and at most {MAX_REPORT_DAYS} days apart.",
                details={"field": "start"},
            )
        settings: Settings = request.app.state.settings
        rows = await TelemetryService(db_session, settings.devices).shop_hours(shop_id, start, end)
        return [ShopHour(**row) for row in rows]


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValidationFailed(f"{name} needs a time zone offset.", details={"field": name})
    return value
