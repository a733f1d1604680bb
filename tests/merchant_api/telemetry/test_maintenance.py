"""Partitions made ahead, raw events past retention removed, rollups kept."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from infra.settings import DeviceSettings
from merchant_api.telemetry.tasks import run_maintenance


def test_maintenance_drops_expired_raw_events_keeps_rollups_and_prepares_months(
    kiosk, settings, db, backend
):
    assert kiosk.send([kiosk.event()]).json()["accepted"] == 1
    old = datetime.now(UTC) - timedelta(days=40)
    device = uuid.UUID(kiosk.device_id)

    async def arrange(session):  # type: ignore[no-untyped-def]
        # An event from before the retention (written directly: ingestion refuses its age).
        await session.execute(
            sa.text(
                "INSERT INTO telemetry_events (device_id, seq, device_time, received_at, type, "
                "payload) VALUES (:d, 999, :t, :t, 'heartbeat', '{}')"
            ).bindparams(
                sa.bindparam("d", type_=sa.Uuid()),
                sa.bindparam("t", type_=sa.DateTime(timezone=True)),
            ),
            {"d": device, "t": old},
        )

    db(arrange)
    short = settings.model_copy(update={"devices": DeviceSettings(raw_retention_days=30)})
    # The old hour's rollup exists before the raw events go.
    from merchant_api.telemetry.tasks import run_rollup

    asyncio.run(run_rollup(short, old - timedelta(hours=1), old + timedelta(hours=1)))
    result = asyncio.run(run_maintenance(short))
    assert result["expired"] >= 1

    async def state(session):  # type: ignore[no-untyped-def]
        seqs = (await session.scalars(sa.text("SELECT seq FROM telemetry_events"))).all()
        rollups = await session.scalar(sa.text("SELECT COUNT(*) FROM telemetry_hourly"))
        partitions = []
        if backend == "postgres":
            partitions = (
                await session.scalars(
                    sa.text(
                        "SELECT c.relname FROM pg_inherits i JOIN pg_class c "
                        "ON c.oid = i.inhrelid WHERE i.inhparent = 'telemetry_events'::regclass"
                    )
                )
            ).all()
        return seqs, rollups, partitions

    seqs, rollups, partitions = db(state)
    assert 999 not in seqs and len(seqs) == 1
    assert rollups >= 2  # the old hour's rollup stayed, the recent hour's was computed
    if backend == "postgres":
        ahead = datetime.now(UTC).replace(day=1) + timedelta(days=62)
        assert f"telemetry_events_{ahead.year:04d}_{ahead.month:02d}" in partitions
