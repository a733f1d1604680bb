"""Stripe events as ProviderUpdates: which move a payment, with what, and which do not."""

from __future__ import annotations

from datetime import UTC, datetime

from payments.providers.base import ProviderStatus
from payments.webhooks.stripe_events import update_from_event

CREATED = 1_795_000_000


def event(kind: str, intent: dict, **extra) -> dict:  # type: ignore[type-arg,no-untyped-def]
    return {"id": "evt_1", "type": kind, "created": CREATED, "data": {"object": intent}, **extra}


def test_a_success_carries_the_amount_and_the_card_when_stripe_sends_them():
    intent = {
        "id": "pi_1",
        "status": "succeeded",
        "amount": 500,
        "amount_received": 500,
        "latest_charge": {"payment_method_details": {"card": {"brand": "jcb", "last4": "0005"}}},
    }
    update = update_from_event(event("payment_intent.succeeded", intent))
    assert update is not None
    assert (update.provider, update.external_event_id, update.provider_ref) == (
        "stripe",
        "evt_1",
        "pi_1",
    )
    assert update.status is ProviderStatus.succeeded
    assert update.amount_received == 500
    assert (update.card_brand, update.card_last4) == ("jcb", "0005")
    assert update.occurred_at == datetime.fromtimestamp(CREATED, UTC)


def test_a_tap_on_a_terminal_reader_reports_the_card_present_details():
    intent = {
        "id": "pi_2",
        "status": "succeeded",
        "amount": 120,
        "latest_charge": {
            "payment_method_details": {"card_present": {"brand": "visa", "last4": "4242"}}
        },
    }
    update = update_from_event(event("payment_intent.succeeded", intent))
    assert update is not None and (update.card_brand, update.card_last4) == ("visa", "4242")
    assert update.amount_received == 120  # older API versions omit amount_received


def test_a_failure_keeps_the_decline_code():
    intent = {
        "id": "pi_3",
        "status": "requires_payment_method",
        "amount": 10,
        "last_payment_error": {"code": "card_declined", "decline_code": "insufficient_funds"},
    }
    update = update_from_event(event("payment_intent.payment_failed", intent))
    assert update is not None and update.status is ProviderStatus.failed
    assert update.failure_code == "insufficient_funds" and update.amount_received == 0


def test_processing_and_canceled_map_to_ours():
    processing = update_from_event(event("payment_intent.processing", {"id": "pi_4"}))
    canceled = update_from_event(event("payment_intent.canceled", {"id": "pi_4"}))
    assert processing is not None and processing.status is ProviderStatus.processing
    assert canceled is not None and canceled.status is ProviderStatus.cancelled


def test_an_event_from_a_shops_connected_account_names_the_account():
    update = update_from_event(
        event("payment_intent.succeeded", {"id": "pi_5", "amount": 9}, account="acct_shop")
    )
    assert update is not None and update.provider_ref == "acct_shop:pi_5"


def test_refunds_unknown_types_and_malformed_objects_move_no_payment():
    assert update_from_event(event("charge.refunded", {"id": "ch_1"})) is None
    assert update_from_event(event("customer.created", {"id": "cus_1"})) is None
    assert update_from_event(event("payment_intent.succeeded", {"no": "id"})) is None
    assert update_from_event({"id": "evt_2", "type": "payment_intent.succeeded"}) is None
