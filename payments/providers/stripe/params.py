"""What we send Stripe for a payment: pure functions of our request and the settings.

Kept apart from the SDK calls so the Connect and Terminal choices can be read (and tested)
in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infra.settings import StripeSettings
from payments.providers.base import IntentRequest
from payments.providers.stripe.errors import UnsupportedPaymentMethod

# Cards, and Apple Pay / Google Pay, which the Payment Element offers as card wallets.
ONLINE_METHODS = frozenset({"card", "apple_pay", "google_pay"})
# A Terminal reader at a counter or kiosk, or tap to pay on the shop's phone.
IN_PERSON_METHODS = frozenset({"card_present"})
STRIPE_METHODS = ONLINE_METHODS | IN_PERSON_METHODS


@dataclass(frozen=True, slots=True)
class StripeCall:
    params: dict[str, Any]
    # The connected account whose Stripe-Account header the call carries (direct charge).
    account: str | None


def application_fee(amount: int, settings: StripeSettings, requested: int) -> int:
    """The caller's fee when it names one, else the configured share, rounded down."""
    if requested:
        return min(requested, amount)
    return amount * settings.application_fee_bps // 10_000


def intent_call(request: IntentRequest, settings: StripeSettings) -> StripeCall:
    if request.method not in STRIPE_METHODS:
        raise UnsupportedPaymentMethod(
            f"Stripe takes {', '.join(sorted(STRIPE_METHODS))}, not {request.method!r}."
        )
    # localstripe (and so our tests) refuses `description`; metadata carries it to the
    # dashboard just as well.
    metadata = {
        **request.metadata,
        "payment_id": str(request.payment_id),
        "shop_id": str(request.shop_id),
        "description": request.description[:500],
    }
    params: dict[str, Any] = {
        "amount": request.amount,
        "currency": request.currency.lower(),
        "metadata": metadata,
    }
    if request.method in IN_PERSON_METHODS:
        params["payment_method_types"] = ["card_present"]
        params["capture_method"] = "automatic"
    else:
        # Explicit "card" rather than automatic_payment_methods: the Payment Element still
        # shows Apple Pay and Google Pay, and no bank-redirect method we cannot settle sneaks in.
        params["payment_method_types"] = ["card"]
    account = request.shop_account if settings.connect_enabled else None
    if account:
        fee = application_fee(request.amount, settings, request.application_fee)
        if fee:
            params["application_fee_amount"] = fee
    return StripeCall(params=params, account=account)


def refund_params(intent_id: str, amount: int, reason: str, connected: bool) -> dict[str, Any]:
    # Stripe's `reason` knows three words only; ours may be any, so it travels as metadata.
    params: dict[str, Any] = {
        "payment_intent": intent_id,
        "amount": amount,
        "metadata": {"reason": reason[:500]},
    }
    if connected:
        # A refunded direct charge gives the platform's fee back too.
        params["refund_application_fee"] = True
    return params
