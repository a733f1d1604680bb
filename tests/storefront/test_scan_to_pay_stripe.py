"""The pay page with Stripe configured, against localstripe: cards are offered, the page
carries the Payment Element's mount point with the publishable key and the Stripe.js address
from settings, and the payment the page starts has the client secret Stripe.js confirms."""

from __future__ import annotations

import html
import re
import uuid

import httpx
import pytest

from infra.settings import StripeSettings
from tests.merchant_api.conftest import caller, world  # noqa: F401  (fixtures)
from tests.payments.stripe.conftest import (  # noqa: F401  (fixtures)
    SECRET_KEY,
    WEBHOOK_SECRET,
    localstripe,
    localstripe_server,
    settings,
    webhook_recorder,
)
from tests.support.passwords import use_cheap_hashing

PUBLISHABLE_KEY = "pk_test_onestreet_0123456789"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cheap_hashing(monkeypatch)


@pytest.fixture
def stripe_settings(localstripe) -> StripeSettings:  # type: ignore[no-untyped-def]  # noqa: F811
    return StripeSettings(
        api_base=localstripe.url,
        secret_key=SECRET_KEY,
        webhook_secret=WEBHOOK_SECRET,
        publishable_key=PUBLISHABLE_KEY,
        js_url=f"{localstripe.url}/js.stripe.com/v3/",
    )


def test_cards_mount_the_payment_element(caller, world, stripe_settings):  # type: ignore[no-untyped-def]  # noqa: F811
    owner, consumer = caller("owner.a@test.tw"), caller("consumer@test.tw")
    links = owner.get(f"/api/shops/{world.shop_a}/payment-links/static").json()["links"]
    token = links[0]["token"]
    page = consumer.get(f"/p/{token}?lang=en").text
    assert 'value="card"' in page
    mount = re.search(r'<div id="stripe-element" data-key="([^"]*)" data-script="([^"]*)"', page)
    assert mount is not None
    assert mount.group(1) == PUBLISHABLE_KEY
    script = html.unescape(mount.group(2))
    assert script == stripe_settings.js_url
    served = httpx.get(script, timeout=10)
    assert served.status_code == 200 and "Stripe" in served.text

    # What pay.js sends for the card choice: the answer carries Stripe's client secret.
    started = consumer.post(
        "/api/payments",
        json={"shop_id": str(world.shop_a), "amount": 5000, "method": "card", "link_token": token},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert started.status_code == 201, started.text
    assert started.json()["provider"] == "stripe"
    assert "_secret_" in (started.json()["provider_client_secret"] or "")
