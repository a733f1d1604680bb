"""How the pages write money, categories, payment methods and localized names."""

from __future__ import annotations

from collections.abc import Callable

from merchant_api.i18n import DEFAULT_LANGUAGE, pick
from storefront.i18n import N_

# msgids of the plan's categories, translated by the catalogues; order is the page order.
CATEGORY_LABELS: dict[str, str] = {
    "agriculture_produce": N_("Farm and sea produce"),
    "food_and_drink": N_("Food and drink"),
    "handicrafts": N_("Handicrafts"),
    "tourism": N_("Tourism and travel"),
    "retail": N_("Shops"),
}

# Wallet and brand names are the same in every language; only the generic ones are translated.
PAYMENT_LABELS: dict[str, str] = {
    "cash": N_("Cash"),
    "card": N_("Card"),
    "apple_google_pay": "Apple Pay / Google Pay",
    "twqr": "TWQR",
    "line_pay": "LINE Pay",
    "jkopay": "JKOPay 街口",
    "vietqr": "VietQR",
    "promptpay": "PromptPay",
    "qris": "QRIS",
    "points": N_("Points"),
}


def format_twd(amount_minor: int) -> str:
    """12000 -> "NT$120"; 123456 -> "NT$1,234.56". Shops quote whole dollars, so cents are
    only shown when there are some."""
    sign = "-" if amount_minor < 0 else ""
    dollars, cents = divmod(abs(amount_minor), 100)
    if cents:
        return f"{sign}NT${dollars:,}.{cents:02d}"
    return f"{sign}NT${dollars:,}"


def names(texts: dict[str, str] | None, language: str) -> tuple[str, str]:
    """(the name in the visitor's language, a second line): the English name under Chinese for
    visitors, the Chinese name under any other language, so a shop sign can be matched."""
    main = pick(texts, language)
    other = "en" if language == DEFAULT_LANGUAGE else DEFAULT_LANGUAGE
    second = pick(texts, other)
    return main, ("" if second == main else second)


def payment_labels(methods: list[str], gettext: Callable[..., str]) -> list[str]:
    return [gettext(PAYMENT_LABELS.get(method, method)) for method in methods]
