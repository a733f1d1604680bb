"""NFC tags for payment links: an NDEF message with one URI record, ready to write.

NFC Forum URI Record Type Definition (RTD-URI 1.0): the record's payload is a one-byte prefix
code ("https://" = 0x04) and the rest of the URI; ndeflib encodes and decodes it. Phone apps
and Android's Ndef.writeNdefMessage take the NDEF message bytes as they are; writers that
address raw NFC Forum Type 2 tag memory (NTAG213/215/216) need it inside an NDEF Message TLV
(type 0x03, one-byte length, or 0xFF and two bytes from 255 on) followed by the Terminator TLV
0xFE (NFC Forum Type 2 Tag specification, "TLV blocks").
"""

from __future__ import annotations

import ndef

NDEF_MESSAGE_TLV = 0x03
TERMINATOR_TLV = 0xFE
NTAG213_USER_BYTES = 144  # the smallest common tag; a static link fits comfortably


def ndef_message(url: str) -> bytes:
    """The NDEF message (one URI record, MB and ME set) for `url`."""
    return b"".join(ndef.message_encoder([ndef.UriRecord(url)]))


def type2_tag_bytes(url: str) -> bytes:
    """The bytes to write from block 4 of a Type 2 tag: Message TLV, message, Terminator."""
    message = ndef_message(url)
    if len(message) < 0xFF:
        length = bytes([len(message)])
    else:
        length = b"\xff" + len(message).to_bytes(2, "big")
    return bytes([NDEF_MESSAGE_TLV]) + length + message + bytes([TERMINATOR_TLV])


def read_uri(message: bytes) -> str:
    """The URI of the first URI record in an NDEF message (for tests and tag checks)."""
    for record in ndef.message_decoder(message):
        if isinstance(record, ndef.UriRecord):
            return str(record.iri)
    raise ValueError("no URI record in this NDEF message")
