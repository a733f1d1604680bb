"""The known vocabularies for a shop's accepted payment methods and staff languages.

Search filters on these values ("accepts points" is "points" in a shop's payment methods), so
they are stable strings, never display texts.
"""

from __future__ import annotations

import re
from enum import StrEnum


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"  # international cards, through Stripe
    APPLE_GOOGLE_PAY = "apple_google_pay"
    TWQR = "twqr"  # FISC's common QR standard
    LINE_PAY = "line_pay"
    JKOPAY = "jkopay"  # 街口支付
    VIETQR = "vietqr"  # EMVCo QR read by Vietnamese wallets
    PROMPTPAY = "promptpay"  # Thai
    QRIS = "qris"  # Indonesian
    POINTS = "points"  # the programme's shared loyalty points


PAYMENT_METHODS = tuple(method.value for method in PaymentMethod)

# Languages staff commonly speak on the programme's streets. Indigenous languages (Paiwan
# "pwn", Amis "ami", Tsou "tsu", ...) are accepted as any well-formed BCP 47 code.
KNOWN_STAFF_LANGUAGES = ("zh-Hant-TW", "nan", "hak", "en", "vi", "id", "th", "ja")
_BCP47 = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


def staff_language_problem(code: str) -> str | None:
    """Why `code` is not a usable language tag, or None when it is."""
    if not _BCP47.match(code):
        return "Not a BCP 47 language tag (like zh-Hant-TW, nan, vi or pwn)."
    return None


def normalise_language(code: str) -> str:
    """The known spelling for known languages ("ZH-hant-tw" -> "zh-Hant-TW"), else as given
    with a lower-case primary subtag."""
    for known in KNOWN_STAFF_LANGUAGES:
        if known.lower() == code.lower():
            return known
    primary, _, rest = code.partition("-")
    return primary.lower() + (f"-{rest}" if rest else "")
