"""EMVCo merchant-presented QR codes: build, parse and validate (VietQR, PromptPay, QRIS)."""

from payments.providers.emvco.build import build_payload
from payments.providers.emvco.crc import crc16
from payments.providers.emvco.errors import (
    BadCrc,
    CurrencyCountryMismatch,
    EmvcoError,
    InvalidValue,
    MalformedTlv,
    MissingTag,
)
from payments.providers.emvco.model import (
    AdditionalData,
    MerchantAccount,
    MerchantPresentedQR,
    PaymentRequest,
)
from payments.providers.emvco.parse import parse_payload
from payments.providers.emvco.templates import (
    PromptPay,
    QrisAcquirer,
    QrisNational,
    VietQR,
    promptpay_transfer_payload,
)

__all__ = [
    "AdditionalData",
    "BadCrc",
    "CurrencyCountryMismatch",
    "EmvcoError",
    "InvalidValue",
    "MalformedTlv",
    "MerchantAccount",
    "MerchantPresentedQR",
    "MissingTag",
    "PaymentRequest",
    "PromptPay",
    "QrisAcquirer",
    "QrisNational",
    "VietQR",
    "build_payload",
    "crc16",
    "parse_payload",
    "promptpay_transfer_payload",
]
