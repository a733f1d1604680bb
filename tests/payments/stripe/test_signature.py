"""The Stripe-Signature check: what passes, what is refused with which code, and a fuzz test
that the header parser only ever answers with our typed errors."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra.errors import OneStreetError
from payments.webhooks.errors import (
    WebhookSignatureInvalid,
    WebhookSignatureMalformed,
    WebhookSignatureMissing,
    WebhookTimestampStale,
)
from payments.webhooks.signature import (
    expected_signature,
    parse_signature_header,
    sign,
    verify_signature,
)

SECRET = "whsec_signature_test"
BODY = b'{"id": "evt_1", "type": "payment_intent.succeeded"}'
NOW = 1_795_000_000


def verify(header: str | None, body: bytes = BODY, now: float = NOW, secret: str = SECRET):  # type: ignore[no-untyped-def]
    return verify_signature(body, header, secret, tolerance_seconds=300, now=now)


def test_a_signature_stripe_would_send_verifies():
    parsed = verify(sign(SECRET, NOW, BODY))
    assert parsed.timestamp == NOW


def test_one_matching_v1_among_several_and_v0_is_enough():
    good = expected_signature(SECRET, NOW, BODY)
    header = f"t={NOW},v1={'0' * 64},v1={good},v0=legacy"
    assert verify(header).v1 == ("0" * 64, good)


def test_within_the_tolerance_either_side_passes_and_beyond_it_is_stale():
    assert verify(sign(SECRET, NOW - 300, BODY))
    assert verify(sign(SECRET, NOW + 300, BODY))
    for stamp in (NOW - 301, NOW + 301):
        with pytest.raises(WebhookTimestampStale) as refused:
            verify(sign(SECRET, stamp, BODY))
        assert refused.value.code == "webhook_timestamp_stale"


@pytest.mark.parametrize(
    ("header", "error", "code"),
    [
        (None, WebhookSignatureMissing, "webhook_signature_missing"),
        ("  ", WebhookSignatureMissing, "webhook_signature_missing"),
        ("garbage", WebhookSignatureMalformed, "webhook_signature_malformed"),
        (f"v1={'a' * 64}", WebhookSignatureMalformed, "webhook_signature_malformed"),
        (f"t={NOW}", WebhookSignatureMalformed, "webhook_signature_malformed"),
        (f"t=soon,v1={'a' * 64}", WebhookSignatureMalformed, "webhook_signature_malformed"),
        (
            f"t={NOW},t={NOW},v1={'a' * 64}",
            WebhookSignatureMalformed,
            "webhook_signature_malformed",
        ),
        (f"t={NOW},v1=abc", WebhookSignatureMalformed, "webhook_signature_malformed"),
        (f"t={NOW},v1={'z' * 64}", WebhookSignatureMalformed, "webhook_signature_malformed"),
        (f"t={NOW},v1={'a' * 64}", WebhookSignatureInvalid, "webhook_signature_invalid"),
    ],
)
def test_bad_headers_are_refused_with_a_stable_code(header, error, code):  # type: ignore[no-untyped-def]
    with pytest.raises(error) as refused:
        verify(header)
    assert refused.value.code == code
    assert refused.value.status_code == 400


def test_a_changed_body_or_another_secret_does_not_verify():
    header = sign(SECRET, NOW, BODY)
    with pytest.raises(WebhookSignatureInvalid):
        verify(header, body=BODY + b" ")
    with pytest.raises(WebhookSignatureInvalid):
        verify(header, secret="whsec_other")


def test_a_stale_timestamp_is_reported_only_for_a_genuine_signature():
    # A forged header with an old timestamp says "invalid", never hints at the clock.
    with pytest.raises(WebhookSignatureInvalid):
        verify(f"t={NOW - 10_000},v1={'b' * 64}")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_any_header_text_gives_a_result_or_a_typed_error(header):  # type: ignore[no-untyped-def]
    try:
        parsed = parse_signature_header(header)
    except OneStreetError as error:
        assert error.status_code == 400
        assert error.code.startswith("webhook_signature_")
    else:
        assert parsed.timestamp >= 0 and parsed.v1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["t", "v1", "v0", "x", "", " t", "T"]),
            st.one_of(st.text(max_size=70), st.integers(-5, 10**12).map(str)),
        ),
        max_size=6,
    ),
    st.binary(max_size=200),
)
def test_fuzz_structured_headers_never_crash_verification(items, body):  # type: ignore[no-untyped-def]
    header = ",".join(f"{key}={value}" for key, value in items)
    try:
        verify(header, body=body, now=time.time())
    except OneStreetError as error:
        assert error.code.startswith("webhook_")
