"""Turning a request body into rows and per-event results: the lean part of the hot path.

The body is JSON (an array, or {"events": [...]}) or NDJSON, optionally gzip-compressed. It is
split into raw events without building Python objects for them, and each event is decoded and
validated on its own by msgspec, so one bad event costs only itself: it gets a reason, the
others are stored. Results keep the order of the events in the batch.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import msgspec

from infra.errors import OneStreetError
from infra.settings import DeviceSettings
from merchant_api.telemetry.events import BATCH_DECODER, EVENT_DECODER, EVENT_TAGS

ACCEPTED, DUPLICATE, REJECTED = "accepted", "duplicate", "rejected"
NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")


class BodyMalformed(OneStreetError):
    status_code = 400
    code = "body_malformed"


class BatchTooLarge(OneStreetError):
    status_code = 413
    code = "batch_too_large"


class _Envelope(msgspec.Struct, forbid_unknown_fields=True):
    events: list[msgspec.Raw]


_ARRAY_DECODER = msgspec.json.Decoder(list[msgspec.Raw] | _Envelope)


@dataclass
class Batch:
    """Validated rows ready for the bulk insert, and a result slot per event."""

    seqs: list[int] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    payloads: list[bytes] = field(default_factory=list)
    # The index in the batch of each row, to write its result back.
    positions: list[int] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    errors: list[dict[str, object]] = field(default_factory=list)

    def reject(self, index: int, seq: int | None, code: str, message: str) -> None:
        self.results[index] = REJECTED
        self.errors.append({"index": index, "seq": seq, "code": code, "message": message})


def decompress(body: bytes, encoding: str | None, limit: int) -> bytes:
    if not encoding or encoding.lower() == "identity":
        if len(body) > limit:
            raise BatchTooLarge(f"The body is larger than {limit} bytes.")
        return body
    if encoding.lower() != "gzip":
        raise BodyMalformed(f"Content-Encoding {encoding!r} is not supported; use gzip.")
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise BodyMalformed(f"The gzip body is corrupt: {exc}.") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise BatchTooLarge(f"The body is larger than {limit} bytes uncompressed.")
    if not inflater.eof:
        raise BodyMalformed("The gzip body is truncated.")
    return out


def split_events(body: bytes, content_type: str, max_events: int) -> list[bytes]:
    if content_type.split(";")[0].strip().lower() in NDJSON_TYPES:
        raw = [line for line in body.split(b"\n") if line.strip()]
    else:
        try:
            decoded = _ARRAY_DECODER.decode(body)
        except msgspec.DecodeError as exc:
            raise BodyMalformed(
                f'The body is not a JSON array of events or {{"events": [...]}}: {exc}'
            ) from None
        raw = decoded.events if isinstance(decoded, _Envelope) else decoded  # type: ignore[assignment]
    if not raw:
        raise BodyMalformed("The batch has no events.")
    if len(raw) > max_events:
        raise BatchTooLarge(
            f"A batch may carry at most {max_events} events; this one has {len(raw)}."
        )
    return raw  # type: ignore[return-value]


def validate(raw_events: list[bytes], settings: DeviceSettings, now: datetime) -> Batch:
    """The batch's rows and results: in one decode when every event is good (the common
    case), else event by event so each bad one gets its own reason."""
    return _all_good(raw_events, settings, now) or _one_by_one(raw_events, settings, now)


def _all_good(raw_events: list[bytes], settings: DeviceSettings, now: datetime) -> Batch | None:
    if max(map(len, raw_events)) > settings.max_event_bytes:
        return None
    try:
        events = BATCH_DECODER.decode(b"[" + b",".join(raw_events) + b"]")
    except msgspec.DecodeError:  # ValidationError included
        return None
    seqs = [event.seq for event in events]
    times = [event.time for event in events]
    oldest = now - timedelta(days=settings.late_event_days)
    newest = now + timedelta(seconds=settings.clock_tolerance_seconds)
    if len(set(seqs)) != len(seqs) or min(times) < oldest or max(times) > newest:
        return None
    tags = EVENT_TAGS
    return Batch(
        seqs=seqs,
        times=times,
        types=[tags[type(event)] for event in events],
        payloads=raw_events,
        positions=list(range(len(events))),
        results=[ACCEPTED] * len(events),
    )


def _one_by_one(raw_events: list[bytes], settings: DeviceSettings, now: datetime) -> Batch:
    """Decode and check each event; the loop is kept tight."""
    batch = Batch(results=[ACCEPTED] * len(raw_events))
    oldest = now - timedelta(days=settings.late_event_days)
    newest = now + timedelta(seconds=settings.clock_tolerance_seconds)
    max_bytes = settings.max_event_bytes
    decode, tags, seen = EVENT_DECODER.decode, EVENT_TAGS, set()
    seqs, times, types, payloads, positions = (
        batch.seqs, batch.times, batch.types, batch.payloads, batch.positions,
    )  # fmt: skip
    for index, raw in enumerate(raw_events):
        raw = bytes(raw)
        if len(raw) > max_bytes:
            batch.reject(
                index, None, "event_too_large", f"An event may be at most {max_bytes} bytes."
            )
            continue
        try:
            event = decode(raw)
        except msgspec.ValidationError as exc:
            code = "unknown_type" if "`$.type`" in str(exc) else "invalid_value"
            batch.reject(index, None, code, str(exc))
            continue
        except msgspec.DecodeError as exc:
            batch.reject(index, None, "malformed_json", str(exc))
            continue
        seq, at = event.seq, event.time
        if oldest <= at <= newest and seq not in seen:
            seen.add(seq)
            seqs.append(seq)
            times.append(at)
            types.append(tags[type(event)])
            payloads.append(raw)
            positions.append(index)
        elif seq in seen:
            batch.results[index] = DUPLICATE
        elif at < oldest:
            days = settings.late_event_days
            batch.reject(index, seq, "too_old", f"Events older than {days} days are not accepted.")
        else:
            batch.reject(
                index, seq, "in_future", "The event's time is ahead of the server's clock."
            )
    return batch


def dedupe_window(settings: DeviceSettings, now: datetime) -> tuple[datetime, datetime]:
    """Where a stored event with the seq of an event accepted now can lie: a resend may carry
    another device time, but the first copy was accepted within the lateness allowance of
    its own arrival (a day's slack for resends that come a while later) and at most the
    clock tolerance ahead."""
    return (
        now - timedelta(days=settings.late_event_days + 1),
        now + timedelta(seconds=settings.clock_tolerance_seconds),
    )


def mark_duplicates(batch: Batch, inserted_seqs: set[int]) -> None:
    for seq, index in zip(batch.seqs, batch.positions, strict=True):
        if seq not in inserted_seqs:
            batch.results[index] = DUPLICATE
