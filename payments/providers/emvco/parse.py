"""Read and validate EMVCo merchant-presented QR payloads into our dataclasses.

Checks, in order (EMVCo QRCPS-MPM v1.1): the whole text is TLV ("Data Objects"), templates
are TLV too, ID 00 = "01" comes first and ID 63 with length 04 last, the CRC matches
("Cyclic Redundancy Check"), the mandatory objects are present (the "M" rows of "Data
Objects under the Root of a QR Code": 00, a merchant account 02-51, 53, 58, 63; with
`strict`, also 52, 59 and 60), values have their formats, and the currency belongs to the
country. Thai QR credit-transfer payloads (PromptPay P2P) omit 52/59/60, hence `strict=False`
by default. Every refusal is an EmvcoError subclass with a stable code.
"""

from __future__ import annotations

from payments.providers.emvco import tlv
from payments.providers.emvco.crc import CRC_PREFIX, crc16
from payments.providers.emvco.currencies import CURRENCIES, Currency, parse_amount
from payments.providers.emvco.errors import (
    BadCrc,
    CurrencyCountryMismatch,
    InvalidValue,
    MalformedTlv,
    MissingTag,
)
from payments.providers.emvco.model import (
    ADDITIONAL_IDS,
    INITIATION_CODES,
    MAX_CITY,
    MAX_NAME,
    MAX_PAYLOAD,
    AdditionalData,
    MerchantAccount,
    MerchantPresentedQR,
)
from payments.providers.emvco.text import checked_ans

STRICT_MANDATORY = ("52", "59", "60")


def parse_payload(payload: str, *, strict: bool = False) -> MerchantPresentedQR:
    if not isinstance(payload, str) or not payload:
        raise MalformedTlv("the payload is empty")
    if len(payload) > MAX_PAYLOAD:
        raise MalformedTlv("the payload exceeds 512 characters", details={"length": len(payload)})
    objects = tlv.decode(payload)
    if objects[0].tag != "00" or objects[0].value != "01":
        raise MissingTag(
            'ID 00 (payload format indicator "01") must come first', details={"tag": "00"}
        )
    if objects[-1].tag != "63" or len(objects[-1].value) != 4:
        raise MissingTag("ID 63 (CRC, 4 characters) must come last", details={"tag": "63"})
    _check_crc(payload, objects[-1].value)
    root = tlv.decode_unique(payload)
    for tag in STRICT_MANDATORY if strict else ():
        if tag not in root:
            raise MissingTag(f"ID {tag} is mandatory", details={"tag": tag})
    for tag in ("53", "58"):
        if tag not in root:
            raise MissingTag(f"ID {tag} is mandatory", details={"tag": tag})
    accounts = _accounts(root)
    cur = _currency(root["53"], root["58"])
    return MerchantPresentedQR(
        initiation=_initiation(root.get("01")),
        accounts=accounts,
        currency=cur,
        country=root["58"],
        amount_minor=parse_amount(root["54"], cur) if "54" in root else None,
        mcc=_mcc(root.get("52")),
        merchant_name=_optional_ans(root, "59", MAX_NAME),
        merchant_city=_optional_ans(root, "60", MAX_CITY),
        postal_code=_optional_ans(root, "61", 10),
        additional=_additional(root.get("62")),
        crc=objects[-1].value.upper(),
    )


def _check_crc(payload: str, declared: str) -> None:
    expected = crc16(payload[:-4])
    if payload[-8:-4] != CRC_PREFIX or declared.upper() != expected:
        raise BadCrc(
            "the CRC in ID 63 does not match the payload",
            details={"declared": declared, "computed": expected},
        )


def _initiation(code: str | None):  # type: ignore[no-untyped-def]
    if code is None:
        return None
    if code not in INITIATION_CODES:
        raise InvalidValue("ID 01 must be 11 (static) or 12 (dynamic)", details={"tag": "01"})
    return INITIATION_CODES[code]


def _accounts(root: dict[str, str]) -> tuple[MerchantAccount, ...]:
    found: list[MerchantAccount] = []
    for tag in sorted(root):
        number = int(tag)
        if 2 <= number <= 25:
            found.append(MerchantAccount(tag, None, {}, root[tag]))
        elif 26 <= number <= 51:
            fields = tlv.decode_unique(root[tag], where=f"template {tag}")
            guid = fields.pop("00", None)
            if guid is None:
                raise MissingTag(
                    f"template {tag} has no GUID (sub-ID 00)", details={"tag": f"{tag}.00"}
                )
            found.append(MerchantAccount(tag, guid, fields, root[tag]))
    for tag in ("64", *(str(n) for n in range(80, 100))):
        if tag in root:
            tlv.decode(root[tag], where=f"template {tag}")
    if not found:
        raise MissingTag(
            "at least one merchant account (IDs 02-51) is mandatory", details={"tag": "02-51"}
        )
    return tuple(found)


def _currency(numeric: str, country: str) -> Currency:
    cur = CURRENCIES.get(numeric)
    if cur is None:
        raise InvalidValue(f"unsupported currency {numeric!r} in ID 53", details={"tag": "53"})
    if len(country) != 2 or not country.isascii() or not country.isupper():
        raise InvalidValue("ID 58 is an ISO 3166-1 alpha-2 code", details={"tag": "58"})
    if cur.country != country:
        raise CurrencyCountryMismatch(
            f"{cur.alpha} is not the currency of {country}",
            details={"currency": numeric, "country": country},
        )
    return cur


def _mcc(value: str | None) -> str | None:
    if value is not None and (len(value) != 4 or not value.isascii() or not value.isdigit()):
        raise InvalidValue("ID 52 (MCC) is four digits", details={"tag": "52"})
    return value


def _optional_ans(root: dict[str, str], tag: str, limit: int) -> str | None:
    return checked_ans(root[tag], limit, tag=tag) if tag in root else None


def _additional(value: str | None) -> AdditionalData | None:
    if value is None:
        return None
    fields = tlv.decode_unique(value, where="template 62")
    named = {name: fields.pop(sub_id, None) for name, sub_id in ADDITIONAL_IDS.items()}
    return AdditionalData(**named, other=fields)
