"""NFC tag bytes decode back (with ndeflib) to the link we wrote."""

from __future__ import annotations

import ndef

from payments.nfc import ndef_message, read_uri, type2_tag_bytes

URL = "https://onestreet.example.tw/p/AQE9n-Qy2shKxbsRDnx6JB-rAgIxMtkN5NVOyUV1C96G3mM2uOs"


def test_ndef_message_decodes_to_the_uri():
    records = list(ndef.message_decoder(ndef_message(URL)))
    assert len(records) == 1
    assert isinstance(records[0], ndef.UriRecord) and records[0].iri == URL
    assert read_uri(ndef_message(URL)) == URL


def test_type2_tag_memory_wraps_the_message_in_tlvs():
    message = ndef_message(URL)
    memory = type2_tag_bytes(URL)
    assert memory[0] == 0x03 and memory[1] == len(message) and memory[-1] == 0xFE
    assert read_uri(memory[2:-1]) == URL
    assert len(memory) <= 144  # fits the smallest NTAG213


def test_long_uri_uses_three_byte_length():
    long_url = "https://onestreet.example.tw/p/" + "A" * 300
    memory = type2_tag_bytes(long_url)
    assert memory[1] == 0xFF
    length = int.from_bytes(memory[2:4], "big")
    assert read_uri(memory[4 : 4 + length]) == long_url
