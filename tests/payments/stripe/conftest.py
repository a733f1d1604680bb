"""Stripe tests: localstripe as the real peer (one process per test session), its webhooks
recorded, and settings pointing the app at it with a test key and a webhook secret."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.settings import CelerySettings, Settings, StripeSettings
from tests.merchant_api.conftest import World, caller, world  # noqa: F401
from tests.payments.stripe.localstripe_peer import LocalStripe, WebhookRecorder

WEBHOOK_SECRET = "whsec_onestreet_test_0123456789abcdef"
SECRET_KEY = "sk_test_onestreet_0123456789"


@pytest.fixture(scope="session")
def localstripe_server() -> Iterator[LocalStripe]:
    server = LocalStripe()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def webhook_recorder(localstripe_server: LocalStripe) -> Iterator[WebhookRecorder]:
    recorder = WebhookRecorder()
    recorder.start()
    localstripe_server.register_webhook("onestreet-tests", recorder.url, WEBHOOK_SECRET)
    try:
        yield recorder
    finally:
        recorder.stop()


@pytest.fixture
def localstripe(
    localstripe_server: LocalStripe, webhook_recorder: WebhookRecorder
) -> Iterator[LocalStripe]:
    """localstripe with an empty store and no recorded deliveries."""
    localstripe_server.reset()
    webhook_recorder.clear()
    yield localstripe_server


@pytest.fixture
def stripe_settings(request: pytest.FixtureRequest) -> StripeSettings:
    api_base = ""
    if "localstripe" in request.fixturenames:
        api_base = request.getfixturevalue("localstripe").url
    return StripeSettings(api_base=api_base, secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET)


@pytest.fixture
def settings(settings: Settings, stripe_settings: StripeSettings) -> Settings:
    """The suite's settings with Stripe configured; outbox events are relayed by the test
    (`relay_outbox`) rather than by a background thread, so effects are observed in order."""
    return settings.model_copy(
        update={
            "stripe": stripe_settings,
            "celery": CelerySettings(embedded_relay=False),
            "payments": settings.payments.model_copy(update={"provider": "stripe"}),
        }
    )
