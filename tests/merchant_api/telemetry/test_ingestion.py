"""Batches over HTTP: per-event results, dedupe, late events, formats and bad input."""

from __future__ import annotations

import asyncio
import gzip
import uuid
from datetime import UTC, datetime, timedelta

import msgspec
import pytest
import sqlalchemy as sa

from infra.db import create_engine, create_session_factory
from merchant_api.telemetry.models import TelemetryEvent
from merchant_api.telemetry.repository import ingest_session
from merchant_api.telemetry.service import TelemetryService


def test_mixed_batch_stores_the_good_events_and_explains_the_bad_ones(kiosk):
    good = kiosk.event("kiosk", menu_views=5, carts_started=2, carts_abandoned=1, orders_placed=1)
    bad_range = kiosk.event("heartbeat", cpu_percent=140)
    unknown = kiosk.event("teleport")
    mac = kiosk.event(
        "hotspot",
        connected_clients=3,
        new_sessions=1,
        bytes_up=1,
        bytes_down=2,
        client_ids=["aa:bb:cc:dd:ee:ff"],
    )
    also_good = kiosk.event("interaction", touches=4, dwell_seconds=30)
    sent = kiosk.send([good, bad_range, unknown, mac, also_good])
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert body["results"] == ["accepted", "rejected", "rejected", "rejected", "accepted"]
    assert (body["accepted"], body["duplicate"], body["rejected"]) == (2, 0, 3)
    reasons = {e["index"]: e for e in body["errors"]}
    assert reasons[1]["code"] == "invalid_value" and "cpu_percent" in reasons[1]["message"]
    assert reasons[2]["code"] == "unknown_type"
    assert "client_ids" in reasons[3]["message"]
    # Sending the whole batch again: the stored ones are duplicates, nothing is stored twice.
    again = kiosk.send([good, also_good]).json()
    assert again["results"] == ["duplicate", "duplicate"]
    assert again["accepted"] == 0


def test_a_resend_overlapping_stored_events_stores_only_the_new_ones(kiosk):
    first, second, third = kiosk.event(), kiosk.event(), kiosk.event()
    assert kiosk.send([first, second]).json()["accepted"] == 2
    body = kiosk.send([second, third, first]).json()
    assert body["results"] == ["duplicate", "accepted", "duplicate"]
    assert (body["accepted"], body["duplicate"], body["rejected"]) == (1, 2, 0)
    assert kiosk.send([third]).json()["results"] == ["duplicate"]


def test_the_same_sequence_twice_in_one_batch_is_one_event(kiosk):
    event = kiosk.event()
    body = kiosk.send([event, event]).json()
    assert body["results"] == ["accepted", "duplicate"]


def test_late_events_up_to_seven_days_are_accepted_older_and_future_ones_refused(kiosk):
    now = datetime.now(UTC)
    late = kiosk.event(at=now - timedelta(days=6, hours=23))
    too_old = kiosk.event(at=now - timedelta(days=8))
    future = kiosk.event(at=now + timedelta(hours=1))
    body = kiosk.send([late, too_old, future]).json()
    assert body["results"] == ["accepted", "rejected", "rejected"]
    assert [e["code"] for e in body["errors"]] == ["too_old", "in_future"]


def test_ndjson_gzip_and_envelope_bodies_are_accepted(kiosk):
    lines = b"\n".join(msgspec.json.encode(kiosk.event()) for _ in range(3)) + b"\n"
    ndjson = kiosk.request(
        "POST",
        f"/api/devices/{kiosk.device_id}/telemetry",
        lines,
        headers={"content-type": "application/x-ndjson"},
    )
    assert ndjson.json()["results"] == ["accepted"] * 3
    zipped = kiosk.send([kiosk.event(), kiosk.event()], gzip_body=True)
    assert zipped.json()["accepted"] == 2
    envelope = msgspec.json.encode({"events": [kiosk.event()]})
    sent = kiosk.request(
        "POST",
        f"/api/devices/{kiosk.device_id}/telemetry",
        envelope,
        headers={"content-type": "application/json"},
    )
    assert sent.json()["accepted"] == 1


def test_malformed_bodies_are_refused_as_a_whole(kiosk):
    path = f"/api/devices/{kiosk.device_id}/telemetry"
    cases = {
        b"[{not json": {"content-type": "application/json"},
        b"not gzip at all": {"content-type": "application/json", "content-encoding": "gzip"},
        gzip.compress(b"[]")[:-6]: {"content-type": "application/json", "content-encoding": "gzip"},
    }
    for body, headers in cases.items():
        refused = kiosk.request("POST", path, body, headers=headers)
        assert (refused.status_code, refused.json()["error"]["code"]) == (400, "body_malformed")
    # A bad NDJSON line is one rejected event, not a failed batch.
    lines = msgspec.json.encode(kiosk.event()) + b"\n{oops\n"
    mixed = kiosk.request("POST", path, lines, headers={"content-type": "application/x-ndjson"})
    assert mixed.json()["results"] == ["accepted", "rejected"]
    assert mixed.json()["errors"][0]["code"] == "malformed_json"


def test_oversized_batches_and_events_are_refused(kiosk):
    too_many = kiosk.send([kiosk.event() for _ in range(1001)])
    assert (too_many.status_code, too_many.json()["error"]["code"]) == (413, "batch_too_large")
    huge = kiosk.event("interaction", content_id="x" * 100)
    huge["padding"] = "y" * 20_000
    body = kiosk.send([huge, kiosk.event()]).json()
    assert body["results"] == ["rejected", "accepted"]
    assert body["errors"][0]["code"] == "event_too_large"


def _stored_seqs(db, device_id: str) -> list[int]:  # type: ignore[no-untyped-def]
    async def seqs(session):  # type: ignore[no-untyped-def]
        e = TelemetryEvent
        query = sa.select(e.seq).where(e.device_id == uuid.UUID(device_id)).order_by(e.seq)
        return list((await session.scalars(query)).all())

    return db(seqs)


def test_a_resend_with_another_device_time_is_still_a_duplicate(kiosk, db):
    # Firmware that re-stamps events when it resends them: dedupe goes by the sequence
    # number alone, even when the new time is days away (another month's partition, early
    # in a month).
    now = datetime.now(UTC)
    event = kiosk.event(at=now - timedelta(days=6, hours=20))
    assert kiosk.send([event]).json()["results"] == ["accepted"]
    for at in (now, now - timedelta(days=2), now + timedelta(minutes=2)):
        resent = {**event, "time": at.isoformat()}
        body = kiosk.send([resent, kiosk.event()]).json()
        assert body["results"] == ["duplicate", "accepted"], body
    # The first copy and the three new events, each stored once.
    assert _stored_seqs(db, kiosk.device_id) == list(range(event["seq"], kiosk.seq + 1))


def _heartbeat(seq: int, at: datetime) -> dict[str, object]:
    return {
        "type": "heartbeat",
        "seq": seq,
        "time": at.isoformat(),
        "uptime_seconds": 60,
        "cpu_percent": 1.0,
        "memory_percent": 2.0,
    }


def test_concurrent_overlapping_batches_of_one_device_store_each_sequence_once(
    kiosk, backend, settings, db
):
    if backend != "postgres":
        pytest.skip("SQLite has a single writer; the race needs PostgreSQL")
    now = datetime.now(UTC)
    # Eight batches of 100 events, each overlapping the next by half and stamped with device
    # times of its own (a device retrying with re-stamped events), posted all at once.
    batches = [
        msgspec.json.encode(
            [_heartbeat(seq, now - timedelta(minutes=n)) for seq in range(50 * n, 50 * n + 100)]
        )
        for n in range(8)
    ]

    async def post_all() -> list[int]:
        engine = create_engine(settings.database, for_worker=True)
        sessions = create_session_factory(engine)

        async def post(body: bytes) -> int:
            async with ingest_session(engine, sessions) as session:
                report = await TelemetryService(session, settings.devices).ingest(
                    uuid.UUID(kiosk.device_id), body, "application/json", None
                )
            assert report.accepted + report.duplicate == 100
            return report.accepted

        try:
            return await asyncio.gather(*(post(body) for body in batches))
        finally:
            await engine.dispose()

    assert sum(asyncio.run(post_all())) == 450
    assert _stored_seqs(db, kiosk.device_id) == list(range(450))
