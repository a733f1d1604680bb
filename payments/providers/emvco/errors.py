"""Why an EMVCo merchant-presented QR payload was refused, each with a stable code."""

from __future__ import annotations

from infra.errors import ValidationFailed


class EmvcoError(ValidationFailed):
    """Base of every refusal; callers may catch this one class."""

    code = "emvco_invalid"


class MalformedTlv(EmvcoError):
    """IDs/lengths are not two digits, a length runs past the end, or a template's
    content is not itself valid TLV."""

    code = "emvco_malformed_tlv"


class BadCrc(EmvcoError):
    code = "emvco_bad_crc"


class MissingTag(EmvcoError):
    code = "emvco_missing_tag"


class InvalidValue(EmvcoError):
    code = "emvco_invalid_value"


class CurrencyCountryMismatch(EmvcoError):
    code = "emvco_currency_country_mismatch"
