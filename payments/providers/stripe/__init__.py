"""Stripe: the one package that imports the stripe SDK (import-linter holds it to that).

PaymentIntents for cards and wallets (Payment Element), Terminal card_present intents,
refunds, and one connected account per shop for Connect direct charges. The SDK is imported
only when a provider is built, so models, payload mapping and webhooks never load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infra.settings import StripeSettings
    from payments.providers.stripe.provider import StripeProvider


def build_stripe_provider(settings: StripeSettings) -> StripeProvider:
    from payments.providers.stripe.provider import StripeProvider

    return StripeProvider(settings)


__all__ = ["build_stripe_provider"]
