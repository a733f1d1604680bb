"""Voucher codes: random, unguessable, easy to read out and type at a counter."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: staff type codes from a phone screen held up at the counter.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# 16 characters of 31 symbols: about 79 bits, far beyond guessing through the API.
LENGTH = 16
# What the QR code holds; scanners at the counter hand it to the redeem endpoint as it is.
QR_PREFIX = "ONESTREET-VOUCHER:"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def qr_payload(code: str) -> str:
    return f"{QR_PREFIX}{code}"


def display(code: str) -> str:
    """XXXX-XXXX-XXXX-XXXX, for reading aloud."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(entered: str) -> str:
    """A typed or scanned code as stored: prefix, spaces and dashes dropped, upper case."""
    text = entered.strip()
    if text.upper().startswith(QR_PREFIX):
        text = text[len(QR_PREFIX) :]
    return "".join(ch for ch in text.upper() if ch not in " -")
