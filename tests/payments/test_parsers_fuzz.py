"""Hypothesis: the EMVCo, TWQR and link-token parsers raise only our typed errors."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra.errors import OneStreetError
from payments.links.errors import LinkMalformed, LinkTampered
from payments.links.tokens import LinkSigner
from payments.providers.emvco import EmvcoError, parse_payload
from payments.providers.emvco.crc import with_crc
from payments.providers.twqr import TwqrError, parse_uri

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SIGNER = LinkSigner("fuzz-secret-key-of-sufficient-length-0123456789")


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


# Near-valid payloads: random data objects (some templates) around a valid CRC, so the fuzzer
# gets past the CRC check and reaches the semantic checks too.
values = st.text(alphabet=string.printable + "é山", min_size=1, max_size=30)
objects = st.lists(st.tuples(st.integers(0, 99).map(lambda n: f"{n:02d}"), values), max_size=8).map(
    lambda pairs: "".join(_tlv(tag, value) for tag, value in pairs)
)
near_valid = objects.map(lambda body: with_crc("000201" + body))


@FUZZ
@given(st.one_of(st.text(max_size=200), near_valid, objects))
def test_emvco_parser_raises_only_typed_errors(payload):
    try:
        parsed = parse_payload(payload)
    except EmvcoError as refused:
        assert refused.code.startswith("emvco_")
    else:
        assert parsed.currency.country == parsed.country


uris = st.builds(
    lambda name, kind, query: f"TWQRP://{name}/158/{kind}/V1?{query}",
    st.text(max_size=12),
    st.sampled_from(["01", "02", "03"]),
    st.text(alphabet="D0123456789=&%AZaz,;", max_size=60),
)


@FUZZ
@given(st.one_of(st.text(max_size=120), uris))
def test_twqr_parser_raises_only_typed_errors(uri):
    try:
        parse_uri(uri)
    except TwqrError as refused:
        assert refused.code == "twqr_invalid"


tokens = st.one_of(
    st.text(max_size=220),
    st.binary(min_size=0, max_size=120).map(
        lambda raw: __import__("base64").urlsafe_b64encode(raw).rstrip(b"=").decode()
    ),
)


@FUZZ
@given(tokens)
def test_token_parser_raises_only_typed_errors(token):
    try:
        SIGNER.verify(token)
    except (LinkMalformed, LinkTampered) as refused:
        assert isinstance(refused, OneStreetError)
