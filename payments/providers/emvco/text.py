"""Characters EMVCo allows in root data objects, and how a shop's name gets there.

EMVCo QRCPS-MPM v1.1 ("Data Object Format"): root values use the "Alphanumeric Special" set,
i.e. the printable ASCII range 0x20-0x7E; other scripts go only into the Merchant Information
Language Template (ID 64). Names such as 山林茶坊 or Bánh Mì Cô Ba therefore need an ASCII
transliteration (anyascii: 山林茶坊 -> "ShanLinChaFang", Bánh -> "Banh").
"""

from __future__ import annotations

import re

from anyascii import anyascii

from payments.providers.emvco.errors import InvalidValue

_SPACES = re.compile(r"\s+")


def is_ans(text: str) -> bool:
    return all(0x20 <= ord(ch) <= 0x7E for ch in text)


def ascii_safe(text: str, limit: int, *, tag: str) -> str:
    """Transliterate, keep printable ASCII, squeeze spaces, cut to `limit` characters."""
    flat = "".join(ch for ch in anyascii(text) if 0x20 <= ord(ch) <= 0x7E)
    flat = _SPACES.sub(" ", flat).strip()[:limit].rstrip()
    if not flat:
        raise InvalidValue(
            f"ID {tag} has nothing printable after transliteration: {text!r}",
            details={"tag": tag},
        )
    return flat


def checked_ans(value: str, limit: int, *, tag: str) -> str:
    if not value or len(value) > limit or not is_ans(value):
        raise InvalidValue(
            f"ID {tag} must be 1-{limit} printable ASCII characters",
            details={"tag": tag, "length": len(value)},
        )
    return value
