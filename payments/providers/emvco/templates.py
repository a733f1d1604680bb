"""Merchant account templates of the wallets our visitors carry, written and read back.

VietQR (NAPAS, "QR Code Specification for Payment Services" IBFT v1.5.2): template 38, GUID
"A000000727"; sub-ID 01 is the beneficiary organisation, itself a template {00 acquirer BIN
(6 digits), 01 account or card number (up to 19)}; sub-ID 02 the service code, "QRIBFTTA" for a
transfer to an account, "QRIBFTTC" to a card.

PromptPay (Bank of Thailand, "Thai QR Code Payment Standard"): template 29, AID
"A000000677010111"; exactly one of 01 mobile number ("0066" + the number without its leading 0,
13 characters), 02 national ID or tax ID (13 digits), 03 e-wallet ID (15 digits).

QRIS (Bank Indonesia / ASPI, "QRIS standard" based on EMVCo MPM): template 51, GUID
"ID.CO.QRIS.WWW", with 02 the national merchant ID (NMID) and 03 the merchant criteria (UMI,
UKE, UME, UBE, URE); and the acquirer's (PJSP's) template in 26-45, GUID its reverse domain
name, with 01 merchant PAN, 02 merchant ID, 03 merchant criteria.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from payments.providers.emvco import tlv
from payments.providers.emvco.crc import with_crc
from payments.providers.emvco.currencies import currency, format_amount
from payments.providers.emvco.errors import InvalidValue, MissingTag
from payments.providers.emvco.model import MerchantAccount, MerchantPresentedQR

VIETQR_TAG, VIETQR_GUID = "38", "A000000727"
VIETQR_SERVICES = ("QRIBFTTA", "QRIBFTTC")
PROMPTPAY_TAG, PROMPTPAY_AID = "29", "A000000677010111"
PROMPTPAY_IDS = {"mobile": "01", "national_id": "02", "ewallet": "03"}
QRIS_TAG, QRIS_GUID = "51", "ID.CO.QRIS.WWW"
QRIS_CRITERIA = ("UMI", "UKE", "UME", "UBE", "URE")
_DIGITS = re.compile(r"\d+")


def _need(condition: bool, message: str, tag: str) -> None:
    if not condition:
        raise InvalidValue(message, details={"tag": tag})


def _digits(value: str, lengths: range, tag: str, what: str) -> str:
    _need(
        bool(_DIGITS.fullmatch(value)) and len(value) in lengths,
        f"{what} must be {lengths.start}-{lengths.stop - 1} digits",
        tag,
    )
    return value


@dataclass(frozen=True, slots=True)
class VietQR:
    acquirer_bin: str
    account: str
    service: Literal["QRIBFTTA", "QRIBFTTC"] = "QRIBFTTA"
    tag: str = VIETQR_TAG

    def content(self) -> str:
        _digits(self.acquirer_bin, range(6, 7), "38.01.00", "the acquirer BIN")
        _need(
            1 <= len(self.account) <= 19 and self.account.isalnum() and self.account.isascii(),
            "the account is 1-19 letters or digits",
            "38.01.01",
        )
        _need(self.service in VIETQR_SERVICES, "service code QRIBFTTA or QRIBFTTC", "38.02")
        beneficiary = tlv.encode_all([("00", self.acquirer_bin), ("01", self.account)])
        return tlv.encode_all([("00", VIETQR_GUID), ("01", beneficiary), ("02", self.service)])

    @classmethod
    def read(cls, qr: MerchantPresentedQR) -> VietQR:
        account = _template(qr, VIETQR_TAG, VIETQR_GUID)
        beneficiary = tlv.decode_unique(account.fields.get("01", ""), where="template 38.01")
        if "00" not in beneficiary or "01" not in beneficiary:
            raise MissingTag("VietQR needs the acquirer BIN and account", details={"tag": "38.01"})
        found = cls(beneficiary["00"], beneficiary["01"], account.fields.get("02", "QRIBFTTA"))  # type: ignore[arg-type]
        found.content()  # the same checks as when writing
        return found


@dataclass(frozen=True, slots=True)
class PromptPay:
    kind: Literal["mobile", "national_id", "ewallet"]
    value: str  # as it appears in the payload
    tag: str = PROMPTPAY_TAG

    @classmethod
    def mobile(cls, number: str) -> PromptPay:
        """A Thai mobile number, local ("081-234-5678") or international ("+66 81 234 5678")."""
        digits = "".join(ch for ch in number if ch.isdigit())
        national = digits[2:] if digits.startswith("66") else digits.removeprefix("0")
        _need(8 <= len(national) <= 9, "a Thai mobile number has 9 digits after 0", "29.01")
        return cls("mobile", ("66" + national).rjust(13, "0"))

    @classmethod
    def national_id(cls, number: str) -> PromptPay:
        digits = "".join(ch for ch in number if ch.isdigit())
        return cls("national_id", _digits(digits, range(13, 14), "29.02", "the ID"))

    @classmethod
    def ewallet(cls, number: str) -> PromptPay:
        digits = "".join(ch for ch in number if ch.isdigit())
        return cls("ewallet", _digits(digits, range(15, 16), "29.03", "the e-wallet ID"))

    def content(self) -> str:
        sub_id = PROMPTPAY_IDS[self.kind]
        _digits(self.value, range(13, 16), f"29.{sub_id}", "the PromptPay proxy")
        return tlv.encode_all([("00", PROMPTPAY_AID), (sub_id, self.value)])

    @classmethod
    def read(cls, qr: MerchantPresentedQR) -> PromptPay:
        account = _template(qr, PROMPTPAY_TAG, PROMPTPAY_AID)
        kinds = [kind for kind, sub_id in PROMPTPAY_IDS.items() if sub_id in account.fields]
        if len(kinds) != 1:
            raise InvalidValue(
                "PromptPay needs exactly one proxy (01, 02 or 03)", details={"tag": "29"}
            )
        found = cls(kinds[0], account.fields[PROMPTPAY_IDS[kinds[0]]])  # type: ignore[arg-type]
        found.content()
        return found


def promptpay_transfer_payload(proxy: PromptPay, amount_minor: int | None = None) -> str:
    """The Thai QR credit-transfer layout (00, 01, 29, 58, 53, 54, 63), which carries no MCC,
    name or city; byte-for-byte what Thai banking apps are given by the widely used
    promptpay-qr library, so its published test vectors apply."""
    thb = currency("THB")
    amount = None if amount_minor is None else format_amount(amount_minor, thb)
    body = tlv.encode_all(
        [
            ("00", "01"),
            ("01", "12" if amount else "11"),
            (PROMPTPAY_TAG, proxy.content()),
            ("58", "TH"),
            ("53", thb.numeric),
            ("54", amount),
        ]
    )
    return with_crc(body)


@dataclass(frozen=True, slots=True)
class QrisNational:
    nmid: str  # "ID" + 13 digits
    criteria: str = "UMI"
    tag: str = QRIS_TAG

    def content(self) -> str:
        _need(
            len(self.nmid) == 15 and self.nmid.startswith("ID") and self.nmid[2:].isdigit(),
            "the NMID is 'ID' and 13 digits",
            "51.02",
        )
        _need(self.criteria in QRIS_CRITERIA, f"criteria one of {QRIS_CRITERIA}", "51.03")
        return tlv.encode_all([("00", QRIS_GUID), ("02", self.nmid), ("03", self.criteria)])

    @classmethod
    def read(cls, qr: MerchantPresentedQR) -> QrisNational:
        account = _template(qr, QRIS_TAG, QRIS_GUID)
        if "02" not in account.fields:
            raise MissingTag("QRIS template 51 needs the NMID", details={"tag": "51.02"})
        found = cls(account.fields["02"], account.fields.get("03", "UMI"))
        found.content()
        return found


@dataclass(frozen=True, slots=True)
class QrisAcquirer:
    guid: str  # the acquirer's reverse domain, e.g. "ID.CO.BANKNAME.WWW"
    merchant_pan: str  # 16-19 digits, "9360" + the acquirer's code ...
    merchant_id: str
    criteria: str = "UMI"
    tag: str = "26"

    def content(self) -> str:
        _need(0 < len(self.guid) <= 32 and self.guid.isascii(), "GUID up to 32 chars", "26.00")
        _digits(self.merchant_pan, range(16, 20), f"{self.tag}.01", "the merchant PAN")
        _need(0 < len(self.merchant_id) <= 15, "merchant ID up to 15 chars", f"{self.tag}.02")
        _need(self.criteria in QRIS_CRITERIA, f"criteria one of {QRIS_CRITERIA}", f"{self.tag}.03")
        return tlv.encode_all(
            [
                ("00", self.guid),
                ("01", self.merchant_pan),
                ("02", self.merchant_id),
                ("03", self.criteria),
            ]
        )


def _template(qr: MerchantPresentedQR, tag: str, guid: str) -> MerchantAccount:
    account = qr.account(tag)
    if account is None or (account.guid or "").upper() != guid:
        raise MissingTag(f"no template {tag} with GUID {guid}", details={"tag": tag})
    return account
