"""Link tokens: short, and any change to a signed token is refused with its own code."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import pytest

from payments.links.errors import LinkMalformed, LinkTampered
from payments.links.tokens import DynamicLink, LinkSigner, StaticLink

SIGNER = LinkSigner("test-secret-key-of-sufficient-length-0123456789")
SHOP_A, SHOP_B = uuid.uuid4(), uuid.uuid4()
DYNAMIC = DynamicLink(
    SHOP_A, uuid.uuid4(), 12000, "901", datetime(2026, 11, 26, 14, 0, tzinfo=UTC), "ORD-20261126"
)


def _raw(token: str) -> bytearray:
    return bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


def _token(raw: bytes) -> str:
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_round_trip_and_size():
    static = StaticLink(SHOP_A, "table", "12")
    static_token = SIGNER.sign(static)
    dynamic_token = SIGNER.sign(DYNAMIC)
    assert SIGNER.verify(static_token) == static
    assert SIGNER.verify(dynamic_token) == DYNAMIC
    assert len(static_token) <= 60 and len(dynamic_token) <= 110
    assert SIGNER.sign(static) == static_token  # deterministic: reprints match


def test_every_flipped_byte_is_refused():
    raw = _raw(SIGNER.sign(DYNAMIC))
    for index in range(len(raw)):
        changed = bytearray(raw)
        changed[index] ^= 0x01
        with pytest.raises(LinkTampered) as caught:
            SIGNER.verify(_token(changed))
        assert caught.value.code == "payment_link_tampered"


def test_swapped_shop_and_changed_amount_are_refused():
    raw = _raw(SIGNER.sign(DYNAMIC))
    other_shop = bytearray(raw)
    other_shop[2:18] = SHOP_B.bytes
    with pytest.raises(LinkTampered):
        SIGNER.verify(_token(other_shop))
    cheaper = bytearray(raw)
    cheaper[34:40] = (100).to_bytes(6, "big")  # the amount field
    with pytest.raises(LinkTampered):
        SIGNER.verify(_token(cheaper))


def test_another_secret_does_not_verify():
    with pytest.raises(LinkTampered):
        LinkSigner("another-secret-of-sufficient-length-999").verify(SIGNER.sign(DYNAMIC))


@pytest.mark.parametrize("token", ["", "!!!!", "AQE", "A" * 201, "AQE9n-Qy2shKxbsR=="])
def test_malformed_tokens(token):
    with pytest.raises(LinkMalformed) as caught:
        SIGNER.verify(token)
    assert caught.value.code == "payment_link_malformed"
