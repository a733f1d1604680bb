"""Stripe-Signature: `t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]`, verified by hand.

The v1 signature is HMAC-SHA256 over "<t>.<raw body>" with the endpoint's signing secret.
Several v1 values appear while a secret is being rolled; one match is enough. Other schemes
(v0 is Stripe's test-mode legacy one) are ignored. Parsing never raises anything but our
typed errors, whatever the header holds (a hypothesis test feeds it arbitrary text).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from payments.webhooks.errors import (
    WebhookSignatureInvalid,
    WebhookSignatureMalformed,
    WebhookSignatureMissing,
    WebhookTimestampStale,
)

# Far more than Stripe ever sends; bounds the work a hostile header can cause.
MAX_HEADER_LENGTH = 4096
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class SignatureHeader:
    timestamp: int
    v1: tuple[str, ...]


def parse_signature_header(header: str | None) -> SignatureHeader:
    if not header or not header.strip():
        raise WebhookSignatureMissing("The Stripe-Signature header is missing.")
    if len(header) > MAX_HEADER_LENGTH:
        raise WebhookSignatureMalformed("The Stripe-Signature header is too long.")
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, separator, value = item.strip().partition("=")
        if not separator:
            raise WebhookSignatureMalformed("Stripe-Signature items are key=value pairs.")
        if key == "t":
            if timestamp is not None or not value.isascii() or not value.isdigit():
                raise WebhookSignatureMalformed("Stripe-Signature needs one numeric t=.")
            timestamp = int(value)
        elif key == "v1":
            value = value.lower()
            if len(value) != 64 or not set(value) <= _HEX:
                raise WebhookSignatureMalformed("A v1 signature is 64 hexadecimal digits.")
            signatures.append(value)
    if timestamp is None:
        raise WebhookSignatureMalformed("Stripe-Signature has no t= timestamp.")
    if not signatures:
        raise WebhookSignatureMalformed("Stripe-Signature has no v1= signature.")
    return SignatureHeader(timestamp=timestamp, v1=tuple(signatures))


def expected_signature(secret: str, timestamp: int, payload: bytes) -> str:
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, payload: bytes) -> str:
    """A header as Stripe would send it (for tests and local tooling)."""
    return f"t={timestamp},v1={expected_signature(secret, timestamp, payload)}"


def verify_signature(
    payload: bytes, header: str | None, secret: str, *, tolerance_seconds: int, now: float
) -> SignatureHeader:
    """Return the parsed header when one v1 matches and the timestamp is fresh; else raise."""
    parsed = parse_signature_header(header)
    expected = expected_signature(secret, parsed.timestamp, payload)
    # Compare against every candidate, without stopping early, in constant time each.
    matched = False
    for candidate in parsed.v1:
        matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise WebhookSignatureInvalid("The Stripe-Signature does not match the body.")
    # Checked after the signature, so a stale error only ever describes a genuine delivery.
    if abs(now - parsed.timestamp) > tolerance_seconds:
        raise WebhookTimestampStale(
            "The webhook's signed timestamp is too far from now; it may be a replay.",
            details={"tolerance_seconds": tolerance_seconds},
        )
    return parsed
