"""Stripe's JSON (API answers and webhook objects) mapped onto our dataclasses.

Plain dicts in, our dataclasses out: the webhook handler and the SDK adapter share these, and
nothing here talks to Stripe. Only the card's brand and last four digits are kept.
"""

from __future__ import annotations

from typing import Any

from payments.providers.base import ProviderIntent, ProviderRefund, ProviderStatus

# Stripe's PaymentIntent statuses, as ours. requires_capture means authorised but not yet
# captured: still undecided for us.
_STATUS = {
    "requires_payment_method": ProviderStatus.requires_action,
    "requires_confirmation": ProviderStatus.requires_action,
    "requires_action": ProviderStatus.requires_action,
    "requires_capture": ProviderStatus.processing,
    "processing": ProviderStatus.processing,
    "succeeded": ProviderStatus.succeeded,
    "canceled": ProviderStatus.cancelled,
}

# A PaymentIntent on a shop's connected account is only reachable with that account's header,
# so its reference carries the account: "acct_…:pi_…".
_ACCOUNT_SEPARATOR = ":"


def provider_ref(intent_id: str, account: str | None) -> str:
    return f"{account}{_ACCOUNT_SEPARATOR}{intent_id}" if account else intent_id


def split_provider_ref(ref: str) -> tuple[str | None, str]:
    """(connected account or None, Stripe object id)."""
    account, separator, object_id = ref.rpartition(_ACCOUNT_SEPARATOR)
    return (account or None, object_id) if separator else (None, ref)


def intent_status(intent: dict[str, Any]) -> ProviderStatus:
    status = intent.get("status")
    # A failed attempt sends the intent back to requires_payment_method with the error kept;
    # for us that attempt failed (payment_intent.payment_failed says the same).
    if status == "requires_payment_method" and intent.get("last_payment_error"):
        return ProviderStatus.failed
    return _STATUS.get(str(status), ProviderStatus.requires_action)


def amount_received(intent: dict[str, Any], status: ProviderStatus) -> int:
    received = intent.get("amount_received")
    if isinstance(received, int):
        return received
    # Older API versions (and localstripe) do not say; a succeeded intent received it all.
    return int(intent.get("amount") or 0) if status is ProviderStatus.succeeded else 0


def card_of(intent: dict[str, Any]) -> tuple[str | None, str | None]:
    """(brand, last4) from the charge's payment details or an expanded payment method."""
    candidates: list[Any] = []
    charge = intent.get("latest_charge")
    if isinstance(charge, dict):
        details = charge.get("payment_method_details") or {}
        candidates += [details.get("card"), details.get("card_present")]
    method = intent.get("payment_method")
    if isinstance(method, dict):
        candidates += [method.get("card"), method.get("card_present")]
    for card in candidates:
        if isinstance(card, dict) and card.get("last4"):
            return (str(card.get("brand") or "") or None, str(card["last4"]))
    return None, None


def failure_code(intent: dict[str, Any]) -> str | None:
    error = intent.get("last_payment_error")
    if isinstance(error, dict):
        return str(error.get("decline_code") or error.get("code") or "payment_failed")
    return None


def intent_from_payload(intent: dict[str, Any], account: str | None = None) -> ProviderIntent:
    status = intent_status(intent)
    brand, last4 = card_of(intent)
    return ProviderIntent(
        provider_ref=provider_ref(str(intent["id"]), account),
        status=status,
        amount=int(intent.get("amount") or 0),
        amount_received=amount_received(intent, status),
        client_secret=intent.get("client_secret"),
        card_brand=brand,
        card_last4=last4,
        failure_code=failure_code(intent) if status is ProviderStatus.failed else None,
    )


def refund_from_payload(refund: dict[str, Any], account: str | None = None) -> ProviderRefund:
    status = refund.get("status")
    return ProviderRefund(
        provider_ref=provider_ref(str(refund["id"]), account),
        amount=int(refund.get("amount") or 0),
        # "pending" refunds settle later; only "succeeded" is money back for certain.
        succeeded=status == "succeeded",
        failure_code=refund.get("failure_reason") if status in ("failed", "canceled") else None,
    )
