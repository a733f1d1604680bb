"""TWQR, Taiwan's common QR standard (FISC): `TWQRP://` URIs for purchases and transfers.

The field mapping, as seen in public samples of the format (FISC publishes the full
specification to its members only, so these are the fields observed in use):

    TWQRP://<merchant name>/<country>/<type>/<version>?<D fields>

    country  "158"   ISO 3166-1 numeric for Taiwan
    type     "01"    purchase (消費扣款): paying a merchant
             "02"    transfer (轉帳): to a bank account
    version  "V1"
    D1   amount × 100, digits only (NT$120 -> "12000"); optional on transfers
    D2   the merchant's order number (purchase)
    D3   the code the acquirer issued to the merchant for this QR (purchase; letters+digits)
    D5   bank code, 3 digits (transfer)
    D6   account number, 16 digits, zero-padded on the left (transfer)
    D10  currency, ISO 4217 numeric: "901" TWD
    D11  acquirer-specific extras (kept as read, never written here)

Samples show the merchant name both raw and percent-encoded; we percent-encode it (UTF-8, RFC
3986) so the URI is plain ASCII, and accept both when parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl, quote, unquote, urlencode

from infra.errors import ValidationFailed

SCHEME = "TWQRP://"
COUNTRY_TAIWAN = "158"
CURRENCY_TWD = "901"
VERSION = "V1"
PURCHASE, TRANSFER = "01", "02"
TYPES: dict[str, Literal["purchase", "transfer"]] = {PURCHASE: "purchase", TRANSFER: "transfer"}
MAX_NAME = 60
MAX_AMOUNT_MINOR = 10**12  # D1 samples stay far below; a cap keeps parsing bounded
_ORDER_NO = re.compile(r"^[0-9A-Za-z-]{1,20}$")
_ACQUIRER_CODE = re.compile(r"^[0-9A-Za-z]{1,32}$")


class TwqrError(ValidationFailed):
    code = "twqr_invalid"


@dataclass(frozen=True, slots=True)
class TwqrPurchase:
    merchant_name: str
    order_no: str
    acquirer_code: str
    amount_minor: int | None = None  # NT$ cents; D1 is the same number
    extras: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TwqrTransfer:
    merchant_name: str
    bank_code: str
    account: str  # 16 digits
    amount_minor: int | None = None
    extras: dict[str, str] = field(default_factory=dict)


def purchase_uri(
    merchant_name: str, *, order_no: str, acquirer_code: str, amount_minor: int | None
) -> str:
    value = TwqrPurchase(merchant_name, order_no, acquirer_code, amount_minor)
    _check_purchase(value)
    query = [("D1", _amount(amount_minor)), ("D2", order_no), ("D3", acquirer_code)]
    return _uri(merchant_name, PURCHASE, query)


def transfer_uri(
    merchant_name: str, *, bank_code: str, account: str, amount_minor: int | None = None
) -> str:
    account = account.replace("-", "").rjust(16, "0")
    _check_transfer(TwqrTransfer(merchant_name, bank_code, account, amount_minor))
    query = [("D1", _amount(amount_minor)), ("D5", bank_code), ("D6", account)]
    return _uri(merchant_name, TRANSFER, query)


def parse_uri(uri: str) -> TwqrPurchase | TwqrTransfer:
    if not isinstance(uri, str) or not uri.upper().startswith(SCHEME):
        raise TwqrError("not a TWQRP:// URI")
    path, _, query = uri[len(SCHEME) :].partition("?")
    parts = path.split("/")
    if len(parts) != 4:
        raise TwqrError("expected TWQRP://<name>/158/<type>/V1")
    try:
        name = unquote(parts[0], errors="strict")
    except UnicodeDecodeError as exc:
        raise TwqrError("the merchant name is not UTF-8") from exc
    country, kind, version = parts[1:]
    if country != COUNTRY_TAIWAN or version != VERSION or kind not in TYPES:
        raise TwqrError(
            "unsupported country, type or version",
            details={"country": country, "type": kind, "version": version},
        )
    fields = _fields(query)
    if fields.pop("D10", None) != CURRENCY_TWD:
        raise TwqrError("D10 must be 901 (TWD)", details={"field": "D10"})
    amount = _read_amount(fields.pop("D1", None))
    if kind == PURCHASE:
        found: TwqrPurchase | TwqrTransfer = TwqrPurchase(
            name, fields.pop("D2", ""), fields.pop("D3", ""), amount, fields
        )
        _check_purchase(found)  # type: ignore[arg-type]
    else:
        found = TwqrTransfer(name, fields.pop("D5", ""), fields.pop("D6", ""), amount, fields)
        _check_transfer(found)  # type: ignore[arg-type]
    return found


def _uri(name: str, kind: str, query: list[tuple[str, str | None]]) -> str:
    pairs = [(key, value) for key, value in query if value is not None]
    pairs.append(("D10", CURRENCY_TWD))
    encoded_name = quote(name, safe="")
    return f"{SCHEME}{encoded_name}/{COUNTRY_TAIWAN}/{kind}/{VERSION}?{urlencode(pairs)}"


def _amount(amount_minor: int | None) -> str | None:
    return None if amount_minor is None else str(amount_minor)


def _read_amount(text: str | None) -> int | None:
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 13:
        raise TwqrError("D1 must be digits (amount × 100)", details={"field": "D1"})
    return int(text)


def _fields(query: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(
            query,
            keep_blank_values=True,
            strict_parsing=bool(query),
            errors="strict",
            max_num_fields=20,
        )
    except ValueError as exc:
        raise TwqrError("the query is not key=value pairs") from exc
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields or not re.fullmatch(r"D\d{1,2}", key):
            raise TwqrError(f"unknown or repeated field {key!r}", details={"field": key[:8]})
        fields[key] = value
    return fields


def _check_name(name: str) -> None:
    if not name.strip() or len(name) > MAX_NAME or any(ch in name for ch in "/?#\x00"):
        raise TwqrError("the merchant name must be 1-60 characters", details={"field": "name"})


def _check_amount(amount: int | None, required: bool) -> None:
    if amount is None and not required:
        return
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount < MAX_AMOUNT_MINOR:
        raise TwqrError("D1 must be a positive amount", details={"field": "D1"})


def _check_purchase(value: TwqrPurchase) -> None:
    _check_name(value.merchant_name)
    _check_amount(value.amount_minor, required=False)
    if not _ORDER_NO.match(value.order_no):
        raise TwqrError("D2 (order number) must be 1-20 letters/digits", details={"field": "D2"})
    if not _ACQUIRER_CODE.match(value.acquirer_code):
        raise TwqrError("D3 (acquirer code) must be 1-32 letters/digits", details={"field": "D3"})


def _check_transfer(value: TwqrTransfer) -> None:
    _check_name(value.merchant_name)
    _check_amount(value.amount_minor, required=False)
    if not re.fullmatch(r"\d{3}", value.bank_code):
        raise TwqrError("D5 (bank code) must be 3 digits", details={"field": "D5"})
    if not re.fullmatch(r"\d{16}", value.account):
        raise TwqrError("D6 (account) must be 16 digits", details={"field": "D6"})
