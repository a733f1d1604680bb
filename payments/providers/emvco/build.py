"""Write EMVCo merchant-presented QR payloads for our merchants.

Root objects are written in ascending ID order (00 first and 63 last are the only positions
EMVCo QRCPS-MPM v1.1 fixes). Point of initiation is "12" (dynamic) when the payload
carries an amount, "11" (static) when the payer types it.
"""

from __future__ import annotations

from payments.providers.emvco import tlv
from payments.providers.emvco.crc import with_crc
from payments.providers.emvco.currencies import currency, format_amount
from payments.providers.emvco.errors import CurrencyCountryMismatch, InvalidValue
from payments.providers.emvco.model import (
    ADDITIONAL_IDS,
    MAX_ADDITIONAL_FIELD,
    MAX_CITY,
    MAX_NAME,
    MAX_PAYLOAD,
    AdditionalData,
    PaymentRequest,
)
from payments.providers.emvco.text import ascii_safe, checked_ans

PAYLOAD_FORMAT = "01"  # "Payload Format Indicator": version "01"
STATIC, DYNAMIC = "11", "12"


def build_payload(request: PaymentRequest) -> str:
    """The payload, CRC included, for `request`; refuses what the parser would refuse."""
    cur = currency(request.currency)
    country = request.country.upper()
    if cur.country != country:
        raise CurrencyCountryMismatch(
            f"{cur.alpha} is not the currency of {country}",
            details={"currency": cur.numeric, "country": country},
        )
    if not request.accounts:
        raise InvalidValue(
            "at least one merchant account template is required", details={"tag": "26-51"}
        )
    if len(request.mcc) != 4 or not request.mcc.isdigit():
        raise InvalidValue("ID 52 (MCC) is four digits", details={"tag": "52"})
    amount = None if request.amount_minor is None else format_amount(request.amount_minor, cur)
    accounts = sorted(request.accounts, key=lambda template: template.tag)
    for template in accounts:
        if not 26 <= int(template.tag) <= 51:
            raise InvalidValue("templates use IDs 26-51", details={"tag": template.tag})
    body = tlv.encode_all(
        [
            ("00", PAYLOAD_FORMAT),
            ("01", DYNAMIC if amount else STATIC),
            *[(template.tag, template.content()) for template in accounts],
            ("52", request.mcc),
            ("53", cur.numeric),
            ("54", amount),
            ("58", country),
            ("59", ascii_safe(request.merchant_name, MAX_NAME, tag="59")),
            ("60", ascii_safe(request.merchant_city, MAX_CITY, tag="60")),
            ("61", request.postal_code),
            ("62", additional_content(request.additional)),
        ]
    )
    payload = with_crc(body)
    if len(payload) > MAX_PAYLOAD:
        raise InvalidValue("the payload exceeds 512 characters", details={"length": len(payload)})
    return payload


def additional_content(data: AdditionalData | None) -> str | None:
    """Template 62's value, or None when it would be empty."""
    if data is None:
        return None
    objects = [
        (sub_id, checked_ans(value, MAX_ADDITIONAL_FIELD, tag=f"62.{sub_id}"))
        for name, sub_id in ADDITIONAL_IDS.items()
        if (value := getattr(data, name)) is not None
    ]
    objects += sorted(data.other.items())
    return tlv.encode_all(sorted(objects)) or None
