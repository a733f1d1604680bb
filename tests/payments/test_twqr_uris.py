"""TWQR purchase and transfer URIs: what we write parses back, and bad ones are refused."""

from __future__ import annotations

import pytest

from payments.providers.twqr import (
    TwqrError,
    TwqrPurchase,
    TwqrTransfer,
    parse_uri,
    purchase_uri,
    transfer_uri,
)


def test_purchase_round_trip_with_chinese_name():
    uri = purchase_uri(
        "山林茶坊", order_no="A0001", acquirer_code="AeHoYzwSULbZ", amount_minor=12000
    )
    assert uri == (
        "TWQRP://%E5%B1%B1%E6%9E%97%E8%8C%B6%E5%9D%8A/158/01/V1"
        "?D1=12000&D2=A0001&D3=AeHoYzwSULbZ&D10=901"
    )
    assert uri.isascii()
    assert parse_uri(uri) == TwqrPurchase("山林茶坊", "A0001", "AeHoYzwSULbZ", 12000)


def test_transfer_pads_the_account_and_amount_is_optional():
    uri = transfer_uri("個人轉帳", bank_code="812", account="28881001234567")
    assert "D5=812&D6=0028881001234567&D10=901" in uri and "D1=" not in uri
    assert parse_uri(uri) == TwqrTransfer("個人轉帳", "812", "0028881001234567", None)
    with_amount = transfer_uri("個人轉帳", bank_code="812", account="1", amount_minor=25000)
    assert parse_uri(with_amount).amount_minor == 25000


def test_parses_the_public_sample_shape_with_a_raw_name_and_extras():
    sample = (
        "TWQRP://藏藝點/158/01/V1?D1=50000&D2=000123&D3=AeHoYzwSULbZ&D10=901"
        "&D11=00,00400482497653500150010001"
    )
    found = parse_uri(sample)
    assert isinstance(found, TwqrPurchase)
    assert found.merchant_name == "藏藝點" and found.amount_minor == 50000
    assert found.extras == {"D11": "00,00400482497653500150010001"}


@pytest.mark.parametrize(
    "uri",
    [
        "https://example.tw/158/01/V1?D10=901",
        "TWQRP://x/392/01/V1?D2=1&D3=A&D10=901",  # not Taiwan
        "TWQRP://x/158/09/V1?D2=1&D3=A&D10=901",  # unknown type
        "TWQRP://x/158/01/V1?D2=1&D3=A&D10=840",  # not TWD
        "TWQRP://x/158/01/V1?D1=-5&D2=1&D3=A&D10=901",
        "TWQRP://x/158/01/V1?D1=0&D2=1&D3=A&D10=901",
        "TWQRP://x/158/01/V1?D2=1&D2=2&D3=A&D10=901",  # repeated field
        "TWQRP://x/158/02/V1?D5=81&D6=0028881001234567&D10=901",  # bank code
        "TWQRP://x/158/02/V1?D5=812&D6=28881001234567&D10=901",  # account not 16 digits
        "TWQRP://x/158/01/V1?D3=A&D10=901",  # no order number
        "TWQRP://%FF/158/01/V1?D2=1&D3=A&D10=901",  # name not UTF-8
    ],
)
def test_invalid_uris_are_refused(uri):
    with pytest.raises(TwqrError) as caught:
        parse_uri(uri)
    assert caught.value.code == "twqr_invalid"


def test_builder_refuses_what_parser_would():
    with pytest.raises(TwqrError):
        purchase_uri("店", order_no="A 1", acquirer_code="X", amount_minor=100)
    with pytest.raises(TwqrError):
        purchase_uri("店", order_no="A1", acquirer_code="X", amount_minor=0)
