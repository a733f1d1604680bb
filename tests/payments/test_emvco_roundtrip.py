"""Build -> parse round trips for each wallet template, and refusal of broken payloads."""

from __future__ import annotations

import pytest

from payments.providers.emvco import (
    AdditionalData,
    BadCrc,
    CurrencyCountryMismatch,
    EmvcoError,
    InvalidValue,
    MalformedTlv,
    MissingTag,
    PaymentRequest,
    PromptPay,
    QrisAcquirer,
    QrisNational,
    VietQR,
    build_payload,
    crc16,
    parse_payload,
)


def _request(accounts, currency, country, amount=None, **kwargs) -> PaymentRequest:
    return PaymentRequest(
        accounts=accounts,
        currency=currency,
        country=country,
        merchant_name=kwargs.pop("name", "山林茶坊 Shan Lin Tea"),
        merchant_city=kwargs.pop("city", "池上鄉"),
        mcc=kwargs.pop("mcc", "5812"),
        amount_minor=amount,
        **kwargs,
    )


def test_vietqr_round_trip_dynamic():
    template = VietQR("970436", "1012345678", "QRIBFTTA")
    extra = AdditionalData(bill_number="ORD-17", reference_label="T12", purpose="tra sua")
    payload = build_payload(_request((template,), "VND", "VN", 45000, additional=extra))
    parsed = parse_payload(payload, strict=True)
    assert VietQR.read(parsed) == template
    assert parsed.initiation == "dynamic"
    assert parsed.amount_minor == 45000
    assert "5405" + "45000" in payload  # VND is written without decimals
    assert parsed.additional == extra
    assert parsed.crc == crc16(payload[:-4]) == payload[-4:]


def test_vietqr_card_service_static():
    template = VietQR("970436", "9704360012345678", "QRIBFTTC")
    parsed = parse_payload(build_payload(_request((template,), "VND", "VN")), strict=True)
    assert VietQR.read(parsed) == template
    assert parsed.initiation == "static" and parsed.amount_minor is None


@pytest.mark.parametrize(
    "proxy",
    [
        PromptPay.mobile("0812345678"),
        PromptPay.national_id("1101700203451"),
        PromptPay.ewallet("004999000288505"),
    ],
)
def test_promptpay_round_trip(proxy):
    payload = build_payload(_request((proxy,), "THB", "TH", 13_850))
    parsed = parse_payload(payload, strict=True)
    assert PromptPay.read(parsed) == proxy
    assert parsed.amount_minor == 13_850
    assert "5406138.50" in payload


def test_qris_round_trip_with_acquirer_template():
    national = QrisNational("ID1020021181745", "UMI")
    acquirer = QrisAcquirer("ID.CO.BANKXYZ.WWW", "936000141234567890", "M123", "UMI")
    extra = AdditionalData(terminal_label="A01")
    payload = build_payload(
        _request(
            (national, acquirer),
            "IDR",
            "ID",
            2_500_000,
            additional=extra,
            name="Warung Bu Sri",
            city="Jakarta",
        )
    )
    parsed = parse_payload(payload, strict=True)
    assert QrisNational.read(parsed) == national
    account = parsed.account("26")
    assert account is not None and account.guid == "ID.CO.BANKXYZ.WWW"
    assert account.fields == {"01": "936000141234567890", "02": "M123", "03": "UMI"}
    assert parsed.amount_minor == 2_500_000 and "540825000.00" in payload
    assert parsed.merchant_name == "Warung Bu Sri"


def test_names_are_transliterated_and_cut_to_emvco_lengths():
    payload = build_payload(
        _request(
            (VietQR("970436", "1012345678"),),
            "VND",
            "VN",
            name="臺東縣池上鄉山林茶坊與部落廚房合作社",
            city="臺東縣池上鄉福原村",
        )
    )
    parsed = parse_payload(payload, strict=True)
    assert parsed.merchant_name is not None and len(parsed.merchant_name) <= 25
    assert parsed.merchant_name.startswith("TaiDongXian")
    assert parsed.merchant_city is not None and len(parsed.merchant_city) <= 15
    assert payload.isascii()


@pytest.mark.parametrize("amount", [0, -5, True])
def test_amount_must_be_positive(amount):
    with pytest.raises(InvalidValue):
        build_payload(_request((PromptPay.mobile("0812345678"),), "THB", "TH", amount))


def test_currency_of_another_country_is_refused():
    with pytest.raises(CurrencyCountryMismatch):
        build_payload(_request((VietQR("970436", "1"),), "THB", "VN"))


GOOD = build_payload(_request((PromptPay.mobile("0812345678"),), "THB", "TH", 4200))


def _recrc(body_without_crc: str) -> str:
    head = body_without_crc + "6304"
    return head + crc16(head)


def test_flipped_character_fails_the_crc():
    broken = GOOD.replace("5802TH", "5802TI")
    with pytest.raises(BadCrc) as caught:
        parse_payload(broken)
    assert caught.value.code == "emvco_bad_crc" and caught.value.status_code == 422


def test_lower_case_crc_is_accepted():
    assert parse_payload(GOOD[:-4] + GOOD[-4:].lower()).crc == GOOD[-4:]


def test_wrong_length_is_malformed():
    body = GOOD[:-8].replace("5303764", "5304764")  # claims four characters
    with pytest.raises(MalformedTlv):
        parse_payload(_recrc(body))


def test_truncated_payload_is_malformed():
    with pytest.raises(MalformedTlv):
        parse_payload(GOOD[:-3])


def test_broken_template_nesting_is_malformed():
    # Template 29's content is re-lengthed so its inner objects overrun by one character.
    body = "000201010211" + "2937" + "0016A000000677010111" + "0114" + "006681234567" + "8"
    body += "5802TH5303764"
    with pytest.raises(MalformedTlv):
        parse_payload(_recrc(body))


def test_missing_currency_is_refused():
    body = "000201010211" + "29370016A000000677010111011300668123456785802TH"
    with pytest.raises(MissingTag):
        parse_payload(_recrc(body))


def test_missing_merchant_account_is_refused():
    with pytest.raises(MissingTag):
        parse_payload(_recrc("0002010102115802TH5303764"))


def test_strict_requires_name_city_and_mcc():
    promptpay = "00020101021129370016A000000677010111011300668123456785802TH530376463045D82"
    parse_payload(promptpay)
    with pytest.raises(MissingTag):
        parse_payload(promptpay, strict=True)


def test_payload_must_start_with_format_indicator():
    with pytest.raises(MissingTag):
        parse_payload(_recrc("01021100020129370016A000000677010111011300668123456785802TH5303764"))


def test_duplicate_root_tag_is_malformed():
    body = "00020101021129370016A000000677010111011300668123456785802TH5802TH5303764"
    with pytest.raises(MalformedTlv):
        parse_payload(_recrc(body))


def test_mismatch_and_bad_amount_when_parsing():
    with pytest.raises(CurrencyCountryMismatch):
        parse_payload(_recrc("00020129370016A000000677010111011300668123456785802VN5303764"))
    for amount in ("54040.00", "5403.50", "5405-1.00", "540512.345", "54031e3"):
        body = "00020129370016A000000677010111011300668123456785802TH5303764" + amount
        with pytest.raises(EmvcoError):
            parse_payload(_recrc(body))
