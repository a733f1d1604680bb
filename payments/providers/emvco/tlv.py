"""ID-length-value data objects, the wire format of EMVCo QR payloads.

EMVCo QRCPS-MPM v1.1 ("Data Objects"): an ID of two digits "00"-"99", a length of two digits
"01"-"99" counting characters of the value, then the value. Templates (IDs "26"-"51" merchant
account information, "62" additional data, "64" language, "80"-"99" unreserved) hold data
objects of the same format inside their value.
"""

from __future__ import annotations

from dataclasses import dataclass

from payments.providers.emvco.errors import InvalidValue, MalformedTlv

MAX_LENGTH = 99


@dataclass(frozen=True, slots=True)
class DataObject:
    tag: str
    value: str


def encode(tag: str, value: str) -> str:
    """One data object; refuses IDs that are not two digits and values of 0 or > 99 chars."""
    if len(tag) != 2 or not tag.isdigit():
        raise InvalidValue(f"EMVCo IDs are two digits, got {tag!r}", details={"tag": tag})
    if not 1 <= len(value) <= MAX_LENGTH:
        raise InvalidValue(
            f"value of ID {tag} must be 1-{MAX_LENGTH} characters, got {len(value)}",
            details={"tag": tag, "length": len(value)},
        )
    return f"{tag}{len(value):02d}{value}"


def encode_all(objects: list[tuple[str, str | None]]) -> str:
    """Concatenate data objects in the order given, skipping those whose value is None."""
    return "".join(encode(tag, value) for tag, value in objects if value is not None)


def decode(text: str, *, where: str = "payload") -> list[DataObject]:
    """Split `text` into data objects; every byte must belong to exactly one."""
    objects: list[DataObject] = []
    position = 0
    while position < len(text):
        header = text[position : position + 4]
        if len(header) < 4 or not header.isascii() or not header.isdigit():
            raise MalformedTlv(
                f"{where}: expected a two-digit ID and length at offset {position}",
                details={"where": where, "offset": position},
            )
        tag, length = header[:2], int(header[2:])
        if length == 0:
            raise MalformedTlv(
                f"{where}: ID {tag} has length 00", details={"where": where, "tag": tag}
            )
        end = position + 4 + length
        if end > len(text):
            raise MalformedTlv(
                f"{where}: ID {tag} says {length} characters but only {len(text) - position - 4}"
                " remain",
                details={"where": where, "tag": tag, "offset": position},
            )
        objects.append(DataObject(tag, text[position + 4 : end]))
        position = end
    return objects


def decode_unique(text: str, *, where: str = "payload") -> dict[str, str]:
    """Like `decode`, as a mapping; an ID that appears twice is malformed."""
    found: dict[str, str] = {}
    for item in decode(text, where=where):
        if item.tag in found:
            raise MalformedTlv(
                f"{where}: ID {item.tag} appears twice", details={"where": where, "tag": item.tag}
            )
        found[item.tag] = item.value
    return found
