"""Opaque keyset cursors: the sort key values of a page's last row, and the sort they
belong to (a cursor from another sort order is refused rather than misread)."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import datetime
from typing import Any

from infra.errors import ValidationFailed


def encode(sort: str, values: tuple[Any, ...]) -> str:
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    plain = [str(value) if isinstance(value, uuid.UUID) else value for value in plain]
    raw = json.dumps({"sort": sort, "after": plain}, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, sort: str) -> tuple[Any, ...]:
    """The key values to continue after; the last one is always the row's id."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if data["sort"] != sort:
            raise _invalid("The cursor belongs to another sort order; start again without it.")
        *keys, row_id = data["after"]
        if sort == "newest":
            keys = [datetime.fromisoformat(keys[0])]
        return (*keys, uuid.UUID(row_id))
    except ValidationFailed:
        raise
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise _invalid("The cursor is not one this API gave out.") from exc


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(
        message, details={"problems": [{"key": "cursor", "message": message, "source": "query"}]}
    )
