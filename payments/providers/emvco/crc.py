"""The checksum in ID "63" of an EMVCo merchant-presented QR payload.

EMVCo QRCPS-MPM v1.1, "Cyclic Redundancy Check (CRC)": ISO/IEC 13239 CRC-16, polynomial 0x1021,
initial value 0xFFFF, computed over every data object *including* the ID "63" and length "04" of
the CRC object itself, shown as four hexadecimal characters. That is CRC-16/CCITT-FALSE, which
the standard library's binascii.crc_hqx computes (check value 0x29B1 for b"123456789").
"""

from __future__ import annotations

import binascii

CRC_PREFIX = "6304"


def crc16(data: str) -> str:
    """Four upper-case hex digits of CRC-16/CCITT-FALSE over the UTF-8 bytes of `data`."""
    return f"{binascii.crc_hqx(data.encode('utf-8'), 0xFFFF):04X}"


def with_crc(body_without_crc: str) -> str:
    """Append "6304" and the checksum computed over everything up to and including it."""
    head = body_without_crc + CRC_PREFIX
    return head + crc16(head)
