"""Request bodies with money in them are decoded strictly.

Litestar converts bodies leniently (the string "18000" becomes the integer 18000), which would
hide a client that sends prices as formatted text. Routes that take prices or phone numbers
decode the raw body again with JSON types enforced.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec
from litestar import Request

from infra.errors import ValidationFailed

T = TypeVar("T")

_AT = re.compile(r"at `\$\.?([^`]*)`")


async def decode_strictly(request: Request[Any, Any, Any], schema: type[T]) -> T:
    try:
        return msgspec.json.decode(await request.body(), type=schema, strict=True)
    except msgspec.ValidationError as exc:
        found = _AT.search(str(exc))
        problem = {"key": found.group(1) if found else "", "message": str(exc), "source": "body"}
        raise ValidationFailed(
            "The request body is not valid.", details={"problems": [problem]}
        ) from None
