"""What the adapter asks Stripe for: methods, Terminal, Connect direct charges and fees."""

from __future__ import annotations

import uuid

import pytest

from infra.settings import StripeSettings
from payments.providers.base import IntentRequest
from payments.providers.stripe.errors import UnsupportedPaymentMethod
from payments.providers.stripe.params import intent_call, refund_params
from payments.providers.stripe.payloads import provider_ref, split_provider_ref

PLATFORM = StripeSettings(secret_key="sk_test_x")
CONNECT = StripeSettings(secret_key="sk_test_x", connect_enabled=True, application_fee_bps=250)


def request(method: str = "card", account: str | None = None, fee: int = 0) -> IntentRequest:
    return IntentRequest(
        payment_id=uuid.uuid4(),
        amount=10_001,
        currency="TWD",
        method=method,
        shop_id=uuid.uuid4(),
        description="茶葉",
        idempotency_key="k",
        shop_account=account,
        application_fee=fee,
    )


@pytest.mark.parametrize("method", ["card", "apple_pay", "google_pay"])
def test_online_methods_use_the_payment_element_card_type(method):  # type: ignore[no-untyped-def]
    call = intent_call(request(method), PLATFORM)
    assert call.params["payment_method_types"] == ["card"]
    assert call.params["currency"] == "twd" and call.account is None
    assert "capture_method" not in call.params


def test_card_present_is_for_terminal_readers_with_automatic_capture():
    call = intent_call(request("card_present"), PLATFORM)
    assert call.params["payment_method_types"] == ["card_present"]
    assert call.params["capture_method"] == "automatic"


def test_qr_methods_are_not_stripes():
    with pytest.raises(UnsupportedPaymentMethod):
        intent_call(request("twqr"), PLATFORM)


def test_connect_off_charges_the_platform_even_for_a_shop_with_an_account():
    call = intent_call(request(account="acct_shop"), PLATFORM)
    assert call.account is None and "application_fee_amount" not in call.params


def test_connect_on_makes_a_direct_charge_with_the_configured_fee_rounded_down():
    call = intent_call(request(account="acct_shop"), CONNECT)
    assert call.account == "acct_shop"
    assert call.params["application_fee_amount"] == 250  # 2.5 % of 10,001, rounded down


def test_a_fee_named_by_the_caller_wins_and_never_exceeds_the_amount():
    assert (
        intent_call(request(account="acct_s", fee=77), CONNECT).params["application_fee_amount"]
        == 77
    )
    assert (
        intent_call(request(account="acct_s", fee=99_999), CONNECT).params["application_fee_amount"]
        == 10_001
    )


def test_connect_on_without_an_account_is_a_platform_charge():
    call = intent_call(request(), CONNECT)
    assert call.account is None and "application_fee_amount" not in call.params


def test_refunds_of_direct_charges_return_the_fee():
    assert refund_params("pi_1", 5, "wrong item", connected=True)["refund_application_fee"]
    assert "refund_application_fee" not in refund_params("pi_1", 5, "x", connected=False)


def test_a_connected_reference_carries_its_account():
    assert split_provider_ref(provider_ref("pi_1", "acct_9")) == ("acct_9", "pi_1")
    assert split_provider_ref(provider_ref("pi_1", None)) == (None, "pi_1")
