"""What makes a voucher offer storable; problems name the field, like request-body errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from infra.errors import ValidationFailed
from merchant_api.i18n import text_problems
from merchant_api.vouchers.models import MAX_VOUCHER_MINOR

MAX_TITLE = 100
MAX_DESCRIPTION = 2000


@dataclass
class OfferFields:
    title: dict[str, str]
    price_minor: int
    face_value_minor: int
    valid_from: datetime
    valid_until: datetime
    description: dict[str, str] = field(default_factory=dict)
    quantity_limit: int | None = None
    per_consumer_limit: int | None = None
    is_active: bool = True


def _problem(key: str, message: str) -> dict[str, str]:
    return {"key": key, "message": message, "source": "body"}


def check_offer(fields: OfferFields, *, sold: int = 0) -> None:
    """Raise 422 listing every problem, or return. `sold` is how many were sold already."""
    problems = text_problems("title", fields.title, required=True, max_length=MAX_TITLE)
    problems += text_problems(
        "description", fields.description, required=False, max_length=MAX_DESCRIPTION
    )
    for key in ("price_minor", "face_value_minor"):
        value = getattr(fields, key)
        if value <= 0:
            problems.append(_problem(key, "Must be more than 0."))
        elif value > MAX_VOUCHER_MINOR:
            problems.append(_problem(key, f"At most {MAX_VOUCHER_MINOR}."))
    if 0 < fields.face_value_minor < fields.price_minor:
        problems.append(_problem("price_minor", "The price cannot exceed the face value."))
    if fields.valid_until <= fields.valid_from:
        problems.append(_problem("valid_until", "Must be after valid_from."))
    if fields.quantity_limit is not None:
        if fields.quantity_limit < 1:
            problems.append(_problem("quantity_limit", "Must be at least 1, or null."))
        elif fields.quantity_limit < sold:
            problems.append(_problem("quantity_limit", f"{sold} are already sold."))
    if fields.per_consumer_limit is not None and fields.per_consumer_limit < 1:
        problems.append(_problem("per_consumer_limit", "Must be at least 1, or null."))
    if problems:
        raise ValidationFailed("The voucher offer is not valid.", details={"problems": problems})
