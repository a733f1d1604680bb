"""With Connect on, a shop's Terminal reader and its payments work on the shop's own Stripe
account (direct charges, with the platform's application fee)."""

from __future__ import annotations

import pytest
import stripe

from tests.payments.stripe.conftest import SECRET_KEY
from tests.payments.stripe.support import (
    TOKEN,
    consumer_pays,
    deliver,
    intent_event,
    relay_outbox,
    signed,
    start_payment,
)
from tests.payments.stripe.support import account_path as path
from tests.support.passwords import use_cheap_hashing

FEE_BPS = 250  # 2.5 %
pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=:DeprecationWarning")


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cheap_hashing(monkeypatch)


@pytest.fixture
def stripe_settings(stripe_settings):  # type: ignore[no-untyped-def]
    return stripe_settings.model_copy(
        update={
            "connect_enabled": True,
            "terminal_location_id": "tml_counter",
            "application_fee_bps": FEE_BPS,
        }
    )


def test_with_connect_the_reader_works_on_the_shops_own_account(caller, world, localstripe):  # type: ignore[no-untyped-def]
    owner = caller("owner.a@test.tw")
    account = owner.post(path(world.shop_a)).json()["account_id"]
    answer = owner.post(TOKEN.format(world.shop_a))
    assert answer.json()["connected_account"] == account
    assert localstripe.terminal_tokens()[-1]["account"] == account
    assert localstripe.terminal_tokens()[-1]["location"] == "tml_counter"


def test_with_connect_a_payment_is_a_direct_charge_with_the_application_fee(
    caller, client, settings, world, localstripe
):  # type: ignore[no-untyped-def]
    owner = caller("owner.a@test.tw")
    account = owner.post(path(world.shop_a)).json()["account_id"]
    payment_id, intent_id = start_payment(caller("consumer@test.tw"), world.shop_a, 18000)
    fee = 18000 * FEE_BPS // 10_000
    assert localstripe.intent_creates()[-1] == {
        "account": account,
        "application_fee_amount": fee,
        "payment_id": payment_id,
    }
    # Stripe's webhook for a connected account names it: the payment is found and paid.
    consumer_pays(localstripe.url, intent_id)
    paid = stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe.url})
    intent = paid.v1.payment_intents.retrieve(intent_id).to_dict()
    event = intent_event("payment_intent.succeeded", intent) | {"account": account}
    assert deliver(client, signed(event)).status_code == 200
    relay_outbox(settings)
    seen = caller("consumer@test.tw").get(f"/api/payments/{payment_id}").json()
    assert seen["state"] == "succeeded" and seen["amount_captured"] == 18000

    # A shop without a connected account is charged on the platform, without a fee.
    start_payment(caller("consumer@test.tw"), world.shop_b, 5000)
    assert localstripe.intent_creates()[-1]["account"] is None
    assert localstripe.intent_creates()[-1]["application_fee_amount"] is None
