"""Checks on the details a shop edits itself: contact, payment methods, staff languages.
Each problem names the field, in the shape of request-body errors."""

from __future__ import annotations

import re

from merchant_api.shops.vocabulary import (
    PAYMENT_METHODS,
    normalise_language,
    staff_language_problem,
)

# Landlines with area codes, mobiles, extensions: "(089) 781-234", "0912-345-678 #12".
PHONE = re.compile(r"^\+?[0-9()\- #]{6,24}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# LINE ids: 4-20 of a-z 0-9 . - _, official accounts start with @.
LINE_ID = re.compile(r"^@?[a-z0-9._-]{4,20}$", re.IGNORECASE)
WEBSITE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
MAX_STAFF_LANGUAGES = 20

Problems = list[dict[str, str]]


def _problem(key: str, message: str) -> dict[str, str]:
    return {"key": key, "message": message, "source": "body"}


def cleaned_optional(
    field: str, value: str | None, pattern: re.Pattern[str], max_length: int, problems: Problems
) -> str | None:
    """The trimmed value (blank clears it: None), or a problem when it does not fit."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > max_length or not pattern.match(value):
        problems.append(_problem(field, _MESSAGES[field]))
    return value


_MESSAGES = {
    "phone": "Not a phone number.",
    "contact_email": "Not an e-mail address.",
    "line_id": "Not a LINE id (4-20 of a-z, 0-9, '.', '-', '_'; official accounts start with @).",
    "website": "Not a web address; start it with https://.",
}


def payment_methods(values: list[str], problems: Problems) -> list[str]:
    chosen: list[str] = []
    for index, value in enumerate(values):
        if value not in PAYMENT_METHODS:
            problems.append(
                _problem(
                    f"payment_methods[{index}]",
                    f"Unknown payment method {value!r}; use {', '.join(PAYMENT_METHODS)}.",
                )
            )
        elif value not in chosen:
            chosen.append(value)
    return chosen


def staff_languages(values: list[str], problems: Problems) -> list[str]:
    if len(values) > MAX_STAFF_LANGUAGES:
        problems.append(_problem("staff_languages", f"At most {MAX_STAFF_LANGUAGES} languages."))
        return []
    chosen: list[str] = []
    for index, value in enumerate(values):
        reason = staff_language_problem(value.strip())
        if reason:
            problems.append(_problem(f"staff_languages[{index}]", reason))
            continue
        language = normalise_language(value.strip())
        if language not in chosen:
            chosen.append(language)
    return chosen
