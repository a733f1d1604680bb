"""Short signed tokens for `/p/<token>` links: compact binary, HMAC-SHA256, base64url.

Layout (version 1), all integers big-endian:

    0       version = 1
    1       kind: 1 static (payer enters the amount), 2 dynamic (bound to order and amount)
    2-17    shop id (UUID bytes)
    static:  1 byte spot kind (0 shop, 1 counter, 2 table, 3 kiosk), 1 byte label length,
             the label in UTF-8 (<= 32 bytes)
    dynamic: 16 bytes link id (random; the single-use key), 6 bytes amount in minor units,
             2 bytes ISO 4217 numeric currency, 4 bytes expiry (Unix seconds),
             1 byte order-reference length, the reference in ASCII (<= 32 bytes)
    last 16 HMAC-SHA256 over everything before it, truncated to 128 bits (RFC 2104; NIST
            SP 800-107r1 permits truncated HMAC output; 128 bits keeps a forgery at 2^-128)

A static link for table 12 is 38 bytes (51 characters); a dynamic one with a 12-character
order reference 75 bytes (100 characters). Behind https://onestreet.example.tw/p/ they make
QR versions 7 and 10 at error correction Q (45 and 57 modules a side; on the 55 mm codes
of the table-tent sheet, about 1 mm per module).
The MAC is checked before any field is read, so a flipped byte, another shop's id or another
amount is refused as tampered; no field of an unauthenticated token is ever interpreted.
The key is derived from the app secret with a purpose label, so a session signature can never
be replayed as a link signature.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from payments.links.errors import LinkMalformed, LinkTampered

VERSION = 1
MAC_BYTES = 16
MAX_LABEL_BYTES = 32
MAX_REFERENCE = 32
MAX_AMOUNT = 2**48 - 1
MAX_TOKEN_CHARS = 200
SpotKind = Literal["shop", "counter", "table", "kiosk"]
SPOT_KINDS: tuple[SpotKind, ...] = ("shop", "counter", "table", "kiosk")
_STATIC, _DYNAMIC = 1, 2
_HEAD = struct.Struct(">BB16s")
_STATIC_BODY = struct.Struct(">BB")
_DYNAMIC_BODY = struct.Struct(">16s6sHIB")
_KEY_PURPOSE = b"onestreet/payment-links/v1"


@dataclass(frozen=True, slots=True)
class StaticLink:
    shop_id: uuid.UUID
    spot: SpotKind = "shop"
    label: str = ""  # "12" for table 12, "A" for kiosk A; empty for the shop itself


@dataclass(frozen=True, slots=True)
class DynamicLink:
    shop_id: uuid.UUID
    link_id: uuid.UUID
    amount_minor: int
    currency: str  # ISO 4217 numeric, "901" for TWD
    expires_at: datetime
    order_reference: str


Link = StaticLink | DynamicLink


class LinkSigner:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("payment links need the app secret key")
        self._key = hmac.new(secret.encode(), _KEY_PURPOSE, hashlib.sha256).digest()

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()[:MAC_BYTES]

    def sign(self, link: Link) -> str:
        body = _encode(link)
        return base64.urlsafe_b64encode(body + self._mac(body)).rstrip(b"=").decode("ascii")

    def verify(self, token: str) -> Link:
        """The link a token stands for; LinkMalformed or LinkTampered otherwise. Expiry and
        single use are the service's business (they need a clock and the database)."""
        raw = _unbase64(token)
        body, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(body)):
            raise LinkTampered("This payment link is not valid.")
        return _decode(body)


def _encode(link: Link) -> bytes:
    if isinstance(link, StaticLink):
        label = link.label.encode("utf-8")
        if len(label) > MAX_LABEL_BYTES or link.spot not in SPOT_KINDS:
            raise ValueError(f"label up to {MAX_LABEL_BYTES} bytes, spot one of {SPOT_KINDS}")
        head = _HEAD.pack(VERSION, _STATIC, link.shop_id.bytes)
        return head + _STATIC_BODY.pack(SPOT_KINDS.index(link.spot), len(label)) + label
    reference = link.order_reference.encode("ascii")
    if not 0 < link.amount_minor <= MAX_AMOUNT or len(reference) > MAX_REFERENCE:
        raise ValueError("amount must be positive; order reference up to 32 ASCII characters")
    expires = int(link.expires_at.timestamp())
    head = _HEAD.pack(VERSION, _DYNAMIC, link.shop_id.bytes)
    body = _DYNAMIC_BODY.pack(
        link.link_id.bytes,
        link.amount_minor.to_bytes(6, "big"),
        int(link.currency),
        expires,
        len(reference),
    )
    return head + body + reference


def _unbase64(token: str) -> bytes:
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_CHARS:
        raise LinkMalformed("This payment link is incomplete.")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError) as exc:
        raise LinkMalformed("This payment link is incomplete.") from exc
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != token:
        # Only the canonical spelling is accepted, so one link has exactly one token.
        raise LinkMalformed("This payment link is incomplete.")
    if len(raw) < _HEAD.size + MAC_BYTES:
        raise LinkMalformed("This payment link is incomplete.")
    return raw


def _decode(body: bytes) -> Link:
    # Only signed bodies get here; a failure means our own format changed, still refused.
    try:
        version, kind, shop = _HEAD.unpack_from(body)
        if version != VERSION:
            raise ValueError("unknown version")
        rest = body[_HEAD.size :]
        if kind == _STATIC:
            spot, size = _STATIC_BODY.unpack_from(rest)
            label = rest[_STATIC_BODY.size :]
            if len(label) != size:
                raise ValueError("label length")
            return StaticLink(uuid.UUID(bytes=shop), SPOT_KINDS[spot], label.decode("utf-8"))
        if kind == _DYNAMIC:
            link_id, amount, cur, expires, size = _DYNAMIC_BODY.unpack_from(rest)
            reference = rest[_DYNAMIC_BODY.size :]
            if len(reference) != size:
                raise ValueError("reference length")
            return DynamicLink(
                shop_id=uuid.UUID(bytes=shop),
                link_id=uuid.UUID(bytes=link_id),
                amount_minor=int.from_bytes(amount, "big"),
                currency=f"{cur:03d}",
                expires_at=datetime.fromtimestamp(expires, UTC),
                order_reference=reference.decode("ascii"),
            )
        raise ValueError("unknown kind")
    except (ValueError, IndexError, struct.error, UnicodeDecodeError) as exc:
        raise LinkMalformed("This payment link is not in a format we know.") from exc
