"""Which payment providers this deployment has, built from settings in the composition root.

The sandbox is always there (the demo and tests need nothing else); the TWQR acquirer and the
EMVCo wallets write their QR payloads locally and are confirmed by signed callbacks; Stripe
joins when its secret key is set, imported lazily so deployments without it never load the SDK.
"""

from __future__ import annotations

from infra.settings import Settings
from payments.callbacks.qr_providers import EmvcoAccounts, EmvcoProvider, TwqrProvider
from payments.providers.base import PaymentProvider
from payments.providers.sandbox import SandboxProvider

# Which provider takes which method; card methods go to Stripe when configured.
QR_METHOD_PROVIDERS = {
    "sandbox": "sandbox",
    "twqr": "twqr",
    "vietqr": "emvco",
    "promptpay": "emvco",
    "qris": "emvco",
}
CARD_METHODS = frozenset({"card", "card_present"})


def build_providers(settings: Settings) -> dict[str, PaymentProvider]:
    payments = settings.payments
    providers: dict[str, PaymentProvider] = {
        "sandbox": SandboxProvider(settings.app.public_url),
        "twqr": TwqrProvider(payments.twqr_acquirer_code),
        "emvco": EmvcoProvider(
            EmvcoAccounts(
                payments.vietqr_acquirer_bin,
                payments.vietqr_account,
                payments.promptpay_mobile,
                payments.qris_nmid,
            )
        ),
    }
    if settings.stripe.secret_key:
        from payments.providers.stripe import build_stripe_provider

        providers["stripe"] = build_stripe_provider(settings.stripe)
    return providers


def provider_for_method(
    method: str, providers: dict[str, PaymentProvider], mode: str
) -> str | None:
    """The provider name for a method, or None when this deployment cannot take it.

    In sandbox mode card payments run on the sandbox too, so the demo can show them.
    """
    if method in QR_METHOD_PROVIDERS:
        return QR_METHOD_PROVIDERS[method]
    if method in CARD_METHODS:
        if "stripe" in providers and mode == "stripe":
            return "stripe"
        if mode == "sandbox":
            return "sandbox"
    return None
