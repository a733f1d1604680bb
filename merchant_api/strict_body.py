"""Request bodies with money in them are decoded strictly, once.

Litestar converts bodies leniently (the string "18000" becomes the integer 18000), which would
hide a client that sends prices as formatted text. Hot routes declare `dto=StrictBody[Schema]`
so the framework decodes the raw bytes once, with JSON types enforced and unknown fields
refused (`forbid_unknown_fields=True` on the Struct); other routes still call
`decode_strictly`, which decodes the raw body a second time.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Generic, TypeVar

import msgspec
from litestar import Request
from litestar.dto import MsgspecDTO

from infra.errors import ValidationFailed

T = TypeVar("T")
S = TypeVar("S", bound=msgspec.Struct)

_AT = re.compile(r"at `\$\.?([^`]*)`")


def _refused(exc: msgspec.MsgspecError) -> ValidationFailed:
    found = _AT.search(str(exc))
    problem = {"key": found.group(1) if found else "", "message": str(exc), "source": "body"}
    return ValidationFailed("The request body is not valid.", details={"problems": [problem]})


@cache
def _decoder(schema: type[Any]) -> msgspec.json.Decoder[Any]:
    # Built once per schema: a Decoder reuses its compiled type information on every call.
    return msgspec.json.Decoder(schema, strict=True)


def decode_bytes_strictly(raw: bytes, schema: type[T]) -> T:
    try:
        return _decoder(schema).decode(raw)  # type: ignore[no-any-return]
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise _refused(exc) from None


async def decode_strictly(request: Request[Any, Any, Any], schema: type[T]) -> T:
    return decode_bytes_strictly(await request.body(), schema)


class StrictBody(MsgspecDTO[S], Generic[S]):
    """`@post(..., dto=StrictBody[Schema], return_dto=None)`: `data` arrives decoded strictly.

    The OpenAPI schema still comes from the Struct; only decoding is replaced.
    """

    def decode_bytes(self, value: bytes) -> Any:
        return decode_bytes_strictly(value, self.model_type)

    def decode_builtins(self, value: dict[str, Any]) -> Any:
        try:
            return msgspec.convert(value, self.model_type, strict=True)
        except msgspec.ValidationError as exc:
            raise _refused(exc) from None
