"""One Stripe connected account per shop: created once by its owner, read by its people."""

from __future__ import annotations

import pytest

from tests.payments.stripe.support import TOKEN
from tests.payments.stripe.support import account_path as path
from tests.support.passwords import use_cheap_hashing

pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=:DeprecationWarning")


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cheap_hashing(monkeypatch)


def test_the_owner_creates_the_account_once_and_repeats_get_the_same(caller, world, localstripe):  # type: ignore[no-untyped-def]
    owner = caller("owner.a@test.tw")
    assert owner.get(path(world.shop_a)).json()["account_id"] is None

    first = owner.post(path(world.shop_a))
    assert first.status_code == 200, first.text
    account = first.json()["account_id"]
    assert account.startswith("acct_") and first.json()["created"] is True
    again = owner.post(path(world.shop_a))
    assert again.json() == {**first.json(), "created": False}
    assert localstripe.accounts_created() == 1

    staff = caller("staff.a@test.tw")
    assert staff.get(path(world.shop_a)).json()["account_id"] == account
    # Another shop gets its own.
    other = caller("owner.b@test.tw").post(path(world.shop_b)).json()["account_id"]
    assert other.startswith("acct_") and other != account
    assert localstripe.accounts_created() == 2


def test_staff_and_outsiders_cannot_create_one(caller, world, localstripe):  # type: ignore[no-untyped-def]
    assert caller("staff.a@test.tw").post(path(world.shop_a)).status_code == 403
    assert caller("owner.b@test.tw").post(path(world.shop_a)).status_code == 403
    assert caller(None).post(path(world.shop_a)).status_code == 401
    assert caller("owner.b@test.tw").get(path(world.shop_a)).status_code == 403
    assert localstripe.accounts_created() == 0


def test_a_lost_answer_retried_reaches_the_same_stripe_account(
    caller, world, localstripe, db, settings
):  # type: ignore[no-untyped-def]
    """Stripe created the account but our row never committed: the retry's idempotency key
    (derived from the shop) brings back the same account instead of a second one."""
    import asyncio

    from payments.providers.stripe import build_stripe_provider

    provider = build_stripe_provider(settings.stripe)
    lost = asyncio.run(provider.create_connected_account(shop_id=str(world.shop_a), email=None))
    created = caller("owner.a@test.tw").post(path(world.shop_a)).json()
    assert created["account_id"] == lost
    assert localstripe.accounts_created() == 1


def test_the_counter_reader_gets_a_terminal_token_on_the_platform_account(
    caller, world, localstripe
):  # type: ignore[no-untyped-def]
    answer = caller("staff.a@test.tw").post(TOKEN.format(world.shop_a))
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    assert answer.json()["secret"].startswith("pst_")
    assert answer.json()["connected_account"] is None
    assert [token["account"] for token in localstripe.terminal_tokens()] == [None]
    assert caller("owner.b@test.tw").post(TOKEN.format(world.shop_a)).status_code == 403
    assert caller("consultant.x@test.tw").post(TOKEN.format(world.shop_a)).status_code == 403
