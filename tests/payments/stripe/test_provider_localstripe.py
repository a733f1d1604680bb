"""The Stripe adapter against localstripe: create, confirm (as the consumer's browser or the
Terminal reader would), retrieve, cancel and refund, in our own dataclasses."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import stripe

from infra.settings import StripeSettings
from payments.providers.base import IntentRequest, ProviderStatus, RefundRequest
from payments.providers.stripe import build_stripe_provider
from payments.providers.stripe.errors import (
    StripeRefused,
    StripeUnavailable,
    UnsupportedPaymentMethod,
)
from tests.payments.stripe.conftest import SECRET_KEY
from tests.payments.stripe.support import consumer_pays

# The SDK's httpx client posts form bytes with `data=`, which httpx deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=:DeprecationWarning")


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def request(method: str = "card", amount: int = 35000) -> IntentRequest:
    payment_id = uuid.uuid4()
    return IntentRequest(
        payment_id=payment_id,
        amount=amount,
        currency="TWD",
        method=method,
        shop_id=uuid.uuid4(),
        description="小米 600g ×2",
        idempotency_key=f"payment-{payment_id}",
    )


@pytest.fixture
def provider(localstripe, stripe_settings: StripeSettings):  # type: ignore[no-untyped-def]
    return build_stripe_provider(stripe_settings)


def test_a_card_intent_gives_the_payment_element_its_client_secret(provider, localstripe):  # type: ignore[no-untyped-def]
    new = request()
    intent = run(provider.create_intent(new))
    assert intent.provider_ref.startswith("pi_")
    assert intent.status is ProviderStatus.requires_action
    assert intent.amount == 35000 and intent.amount_received == 0
    assert intent.client_secret and intent.client_secret.startswith(intent.provider_ref)
    raw = stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe.url})
    stored = raw.v1.payment_intents.retrieve(intent.provider_ref)
    assert stored.currency == "twd"
    assert stored.metadata["payment_id"] == str(new.payment_id)
    assert stored.metadata["shop_id"] == str(new.shop_id)


def test_a_confirmed_card_is_retrieved_as_succeeded_with_brand_and_last4_only(
    provider, localstripe
):  # type: ignore[no-untyped-def]
    intent = run(provider.create_intent(request()))
    consumer_pays(localstripe.url, intent.provider_ref)
    paid = run(provider.retrieve_intent(intent.provider_ref))
    assert paid.status is ProviderStatus.succeeded
    assert paid.amount_received == 35000
    assert (paid.card_brand, paid.card_last4) == ("visa", "4242")
    assert "4242424242424242" not in repr(paid)


def test_a_declined_card_is_retrieved_as_failed_with_its_code(provider, localstripe):  # type: ignore[no-untyped-def]
    intent = run(provider.create_intent(request()))
    consumer_pays(localstripe.url, intent.provider_ref, "pm_card_chargeCustomerFail")
    failed = run(provider.retrieve_intent(intent.provider_ref))
    assert failed.status is ProviderStatus.failed
    assert failed.failure_code == "card_declined"
    assert failed.amount_received == 0


def test_a_terminal_intent_is_card_present_and_collected_by_the_reader(provider, localstripe):  # type: ignore[no-untyped-def]
    intent = run(provider.create_intent(request("card_present", 12000)))
    raw = stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe.url})
    stored = raw.v1.payment_intents.retrieve(intent.provider_ref)
    # localstripe drops payment_method_types; test_stripe_params checks we send card_present.
    assert stored.capture_method == "automatic"
    assert intent.client_secret  # the Terminal SDK on the counter or kiosk collects with it


def test_refund_and_cancel(provider, localstripe):  # type: ignore[no-untyped-def]
    paid = run(provider.create_intent(request(amount=50000)))
    consumer_pays(localstripe.url, paid.provider_ref)
    refund = run(
        provider.refund(
            RefundRequest(provider_ref=paid.provider_ref, amount=20000, idempotency_key="r-1")
        )
    )
    assert refund.provider_ref.startswith("re_")
    assert refund.amount == 20000 and refund.succeeded
    raw = stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe.url})
    charge = raw.v1.payment_intents.retrieve(paid.provider_ref).latest_charge
    assert charge["amount_refunded"] == 20000

    open_intent = run(provider.create_intent(request()))
    cancelled = run(provider.cancel_intent(open_intent.provider_ref))
    assert cancelled.status is ProviderStatus.cancelled


def test_stripe_refusals_and_outages_become_typed_errors(provider, localstripe, stripe_settings):  # type: ignore[no-untyped-def]
    with pytest.raises(UnsupportedPaymentMethod):
        run(provider.create_intent(request("twqr")))
    with pytest.raises(StripeRefused) as refused:
        run(provider.retrieve_intent("pi_doesnotexist"))
    assert refused.value.code == "stripe_refused"
    unreachable = stripe_settings.model_copy(update={"api_base": "http://127.0.0.1:9"})
    with pytest.raises(StripeUnavailable) as down:
        run(build_stripe_provider(unreachable).retrieve_intent("pi_x"))
    assert down.value.status_code == 503
    assert SECRET_KEY not in str(down.value) and SECRET_KEY not in str(refused.value)
