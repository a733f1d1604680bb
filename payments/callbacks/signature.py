"""HMAC-SHA256 signatures of wallet and acquirer callbacks.

The acquirer signs the raw request body with the shared secret and sends
`X-Signature: sha256=<hex>`; we recompute it over the bytes as received (never a re-encoded
body) and compare in constant time. The secret comes from settings, never from the request.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Signature"
PREFIX = "sha256="


def sign(secret: bytes, body: bytes) -> str:
    return PREFIX + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(secret: bytes, body: bytes, header: str | None) -> bool:
    if not header or not secret:
        return False
    return hmac.compare_digest(sign(secret, body), header.strip())
