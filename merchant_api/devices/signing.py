"""The device request signature: HMAC-SHA256 over method, path, timestamp, nonce and body.

Pure functions, shared by the server, the MQTT subscriber and the simulator, so the three
cannot disagree about the canonical form.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping

CREDENTIAL_HEADER = "x-device-credential"
TIMESTAMP_HEADER = "x-device-timestamp"
NONCE_HEADER = "x-device-nonce"
SIGNATURE_HEADER = "x-device-signature"
SIGNED_HEADERS = (CREDENTIAL_HEADER, TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER)
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9._\-]{8,64}$")
MQTT_METHOD = "MQTT"


def canonical(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, timestamp, nonce, digest]).encode()


def signature(
    secret: bytes, method: str, path: str, timestamp: str, nonce: str, body: bytes
) -> str:
    return hmac.new(
        secret, canonical(method, path, timestamp, nonce, body), hashlib.sha256
    ).hexdigest()


def sign_request(
    secret: str | bytes,
    credential_id: str,
    method: str,
    path: str,
    body: bytes,
    nonce: str,
    timestamp: int | None = None,
) -> dict[str, str]:
    """The four headers a device sends with a request."""
    key = secret.encode() if isinstance(secret, str) else secret
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        CREDENTIAL_HEADER: credential_id,
        TIMESTAMP_HEADER: ts,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: signature(key, method, path, ts, nonce, body),
    }


def signature_matches(expected: str, presented: str) -> bool:
    return hmac.compare_digest(expected.encode(), presented.lower().encode())


def pick_headers(headers: Mapping[str, str]) -> dict[str, str | None]:
    return {name: headers.get(name) for name in SIGNED_HEADERS}
