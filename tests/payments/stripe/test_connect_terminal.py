"""With Connect on, a shop's Terminal reader works on the shop's own Stripe account."""

from __future__ import annotations

import pytest

from tests.payments.stripe.support import TOKEN
from tests.payments.stripe.support import account_path as path
from tests.support.passwords import use_cheap_hashing

pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=:DeprecationWarning")


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cheap_hashing(monkeypatch)


@pytest.fixture
def stripe_settings(stripe_settings):  # type: ignore[no-untyped-def]
    return stripe_settings.model_copy(
        update={"connect_enabled": True, "terminal_location_id": "tml_counter"}
    )


def test_with_connect_the_reader_works_on_the_shops_own_account(caller, world, localstripe):  # type: ignore[no-untyped-def]
    owner = caller("owner.a@test.tw")
    account = owner.post(path(world.shop_a)).json()["account_id"]
    answer = owner.post(TOKEN.format(world.shop_a))
    assert answer.json()["connected_account"] == account
    assert localstripe.terminal_tokens()[-1]["account"] == account
    assert localstripe.terminal_tokens()[-1]["location"] == "tml_counter"
