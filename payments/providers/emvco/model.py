"""Our own dataclasses for EMVCo merchant-presented QR payloads (EMVCo QRCPS-MPM v1.1).

Field IDs (its table "Data Objects under the Root of a QR Code"): 00 payload format indicator,
01 point of initiation method ("11" static, "12" dynamic), 02-51 merchant account information
(26-51 are templates with a globally unique identifier in sub-ID 00), 52 merchant category code,
53 transaction currency, 54 transaction amount, 58 country code, 59 merchant name (<= 25), 60
merchant city (<= 15), 61 postal code, 62 additional data field template, 63 CRC. Sub-IDs of 62
("Additional Data Field Template"): 01 bill number, 03 store label, 05 reference label, 07
terminal label, 08 purpose of transaction, each up to 25 characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from payments.providers.emvco.currencies import Currency

Initiation = Literal["static", "dynamic"]
INITIATION_CODES: dict[str, Initiation] = {"11": "static", "12": "dynamic"}
MAX_NAME = 25
MAX_CITY = 15
MAX_ADDITIONAL_FIELD = 25
MAX_PAYLOAD = 512  # the specification caps a payload at 512 characters

# Sub-IDs of template 62 that have names here; the others are kept in `other`.
ADDITIONAL_IDS = {
    "bill_number": "01",
    "store_label": "03",
    "reference_label": "05",
    "terminal_label": "07",
    "purpose": "08",
}


class AccountTemplate(Protocol):
    """A merchant account information template (IDs 26-51) we know how to write."""

    @property
    def tag(self) -> str: ...

    def content(self) -> str:
        """The template's value: its own data objects, already TLV-encoded."""
        ...


@dataclass(frozen=True, slots=True)
class AdditionalData:
    bill_number: str | None = None
    store_label: str | None = None
    reference_label: str | None = None
    terminal_label: str | None = None
    purpose: str | None = None
    other: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MerchantAccount:
    """A merchant account information object as read: its ID, GUID and sub-objects.

    IDs 02-25 are primitives reserved for card schemes; they have no GUID and no sub-objects.
    """

    tag: str
    guid: str | None
    fields: dict[str, str]
    raw: str


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """What the builder needs for one of our merchants' payloads."""

    accounts: tuple[AccountTemplate, ...]
    currency: str
    country: str
    merchant_name: str
    merchant_city: str
    mcc: str = "0000"  # EMVCo: "0000" when the acquirer does not assign an MCC
    amount_minor: int | None = None
    additional: AdditionalData | None = None
    postal_code: str | None = None


@dataclass(frozen=True, slots=True)
class MerchantPresentedQR:
    """A payload that passed the parser's checks."""

    initiation: Initiation | None
    accounts: tuple[MerchantAccount, ...]
    currency: Currency
    country: str
    amount_minor: int | None
    mcc: str | None
    merchant_name: str | None
    merchant_city: str | None
    postal_code: str | None
    additional: AdditionalData | None
    crc: str

    def account(self, tag: str) -> MerchantAccount | None:
        return next((a for a in self.accounts if a.tag == tag), None)
