"""Random credentials and the hashes we keep of them.

Clients hold the secret; the database holds only a hash; lookups go by the hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# "ost_" marks OneStreet API tokens, so secret scanners and people recognise a leaked one.
API_TOKEN_PREFIX = "ost_"  # noqa: S105 (a marker, not a secret)
API_TOKEN_DISPLAY_LENGTH = 12
_CSRF_SECRET_BYTES = 32


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def session_token_hash(secret_key: str, token: str) -> str:
    return hmac.new(secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def api_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_display_prefix(token: str) -> str:
    return token[:API_TOKEN_DISPLAY_LENGTH]


def new_csrf_secret() -> str:
    return secrets.token_hex(_CSRF_SECRET_BYTES)


def mask_csrf(secret_hex: str) -> str:
    """A fresh-looking token for the same secret: random pad + (pad XOR secret)."""
    secret = bytes.fromhex(secret_hex)
    pad = secrets.token_bytes(len(secret))
    masked = bytes(a ^ b for a, b in zip(pad, secret, strict=True))
    return base64.urlsafe_b64encode(pad + masked).decode().rstrip("=")


def csrf_matches(secret_hex: str, token: str | None) -> bool:
    if not token:
        return False
    secret = bytes.fromhex(secret_hex)
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError):
        return False
    if len(raw) != 2 * len(secret):
        return False
    pad, masked = raw[: len(secret)], raw[len(secret) :]
    unmasked = bytes(a ^ b for a, b in zip(pad, masked, strict=True))
    return hmac.compare_digest(unmasked, secret)
