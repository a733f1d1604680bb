"""The currencies our wallets' QR codes carry, and how amounts are written in ID "54".

Numeric codes and minor units from ISO 4217 (the SIX maintenance agency's list one): VND 704
(exponent 0), THB 764 (2), IDR 360 (2), TWD 901 (2). EMVCo QRCPS-MPM v1.1 ("Transaction
Currency") uses the numeric code; "Transaction Amount" writes the amount as digits with
"." as decimal mark, up to 13 characters, at most as many decimals as the currency's exponent.
The country each currency belongs to (ISO 3166-1 alpha-2, ID "58") lets the parser refuse a
Vietnamese dong payload that claims to be from Thailand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from payments.providers.emvco.errors import InvalidValue

MAX_AMOUNT_CHARS = 13
_AMOUNT = re.compile(r"^(\d+)(?:\.(\d*))?$")


@dataclass(frozen=True, slots=True)
class Currency:
    numeric: str
    alpha: str
    exponent: int
    country: str


CURRENCIES: dict[str, Currency] = {
    c.numeric: c
    for c in (
        Currency("704", "VND", 0, "VN"),
        Currency("764", "THB", 2, "TH"),
        Currency("360", "IDR", 2, "ID"),
        Currency("901", "TWD", 2, "TW"),
    )
}
BY_ALPHA = {c.alpha: c for c in CURRENCIES.values()}


def currency(code: str) -> Currency:
    """By numeric ("764") or alphabetic ("THB") code."""
    found = CURRENCIES.get(code) or BY_ALPHA.get(code.upper())
    if found is None:
        raise InvalidValue(
            f"unsupported currency {code!r}; known: {sorted(BY_ALPHA)}",
            details={"tag": "53", "currency": code},
        )
    return found


def format_amount(minor_units: int, cur: Currency) -> str:
    """Integer minor units to the ID "54" string: 422 THB -> "4.22", 180000 VND -> "180000"."""
    if isinstance(minor_units, bool) or not isinstance(minor_units, int) or minor_units <= 0:
        raise InvalidValue(
            "the amount must be a positive integer of minor units", details={"tag": "54"}
        )
    if cur.exponent == 0:
        text = str(minor_units)
    else:
        whole, fraction = divmod(minor_units, 10**cur.exponent)
        text = f"{whole}.{fraction:0{cur.exponent}d}"
    if len(text) > MAX_AMOUNT_CHARS:
        raise InvalidValue(
            "the amount is too large for ID 54 (13 characters)", details={"tag": "54"}
        )
    return text


def parse_amount(text: str, cur: Currency) -> int:
    """The ID "54" string back to minor units; refuses zero, signs, exponents, extra decimals."""
    match = _AMOUNT.match(text) if len(text) <= MAX_AMOUNT_CHARS else None
    if match is None or not text.isascii():
        raise InvalidValue(f"ID 54 is not a decimal amount: {text!r}", details={"tag": "54"})
    whole, fraction = match.group(1), match.group(2) or ""
    if len(fraction) > cur.exponent:
        raise InvalidValue(
            f"{cur.alpha} has {cur.exponent} decimals; ID 54 has {len(fraction)}",
            details={"tag": "54"},
        )
    minor = int(whole) * 10**cur.exponent + int(fraction.ljust(cur.exponent, "0") or "0")
    if minor <= 0:
        raise InvalidValue("ID 54 must be greater than zero", details={"tag": "54"})
    return minor
