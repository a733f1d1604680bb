"""localstripe's own signed webhooks, delivered by us: once, duplicated, reordered, dropped.

Payments start through /api/payments (provider stripe), the consumer's browser confirms at
localstripe, localstripe posts its signed event to the recorder, and the test hands those
exact bytes to our endpoint as often and in whatever order it likes. Effects are counted:
payment events, `payment.succeeded` outbox rows, inbox rows.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from infra.bootstrap.worker import build_worker
from infra.celery_app import task_sessions
from payments.intents.tasks import reconcile_stuck
from payments.providers.registry import build_providers
from payments.webhooks.tasks import CATCH_UP_TASK
from tests.payments.stripe.support import (
    consumer_pays,
    counts,
    deliver,
    intent_event,
    payment_row,
    relay_outbox,
    signed,
    start_payment,
)

pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=:DeprecationWarning")

SUCCEEDED = "outbox:payment.succeeded"
FAILED = "outbox:payment.failed"


def processing_event(intent_id: str, seconds_ago: int = 0) -> dict:  # type: ignore[type-arg]
    import time

    intent = {"id": intent_id, "object": "payment_intent", "status": "processing", "amount": 18000}
    return intent_event("payment_intent.processing", intent, created=int(time.time()) - seconds_ago)


def test_a_succeeded_webhook_delivered_three_times_pays_once(
    client, db, settings, world, localstripe, webhook_recorder
):  # type: ignore[no-untyped-def]
    payment_id, intent_id = start_payment(client, world.shop_a)
    consumer_pays(localstripe.url, intent_id)
    succeeded = webhook_recorder.wait_for("payment_intent.succeeded", intent_id)
    assert succeeded.headers["Stripe-Signature"].startswith("t=")  # localstripe's own

    for _ in range(2):
        assert deliver(client, succeeded).status_code == 200
    relay_outbox(settings)
    assert deliver(client, succeeded).json()["duplicate"] is True
    relay_outbox(settings)

    row = payment_row(db, payment_id)
    assert row.state == "succeeded" and row.amount_captured == 18000
    found = counts(db, payment_id)
    assert found["provider_updates"] == 1
    assert found[SUCCEEDED] == 1
    assert (found["inbox"], found["inbox_unhandled"]) == (1, 0)


@pytest.mark.parametrize(
    "order",
    [
        ["processing", "succeeded"],
        ["succeeded", "processing"],
        ["succeeded", "processing", "succeeded", "processing"],
    ],
)
@pytest.mark.parametrize("relay_each", [True, False])
def test_reordered_and_repeated_deliveries_end_succeeded_with_one_payment_event(
    client, db, settings, world, localstripe, webhook_recorder, order, relay_each
):  # type: ignore[no-untyped-def]
    payment_id, intent_id = start_payment(client, world.shop_a)
    consumer_pays(localstripe.url, intent_id)
    deliveries = {
        "succeeded": webhook_recorder.wait_for("payment_intent.succeeded", intent_id),
        # localstripe never sends processing for cards; Stripe does for some methods.
        "processing": signed(processing_event(intent_id, seconds_ago=5)),
    }
    for name in order:
        assert deliver(client, deliveries[name]).status_code == 200
        if relay_each:
            relay_outbox(settings)
    relay_outbox(settings)

    assert payment_row(db, payment_id).state == "succeeded"
    found = counts(db, payment_id)
    assert found[SUCCEEDED] == 1
    # processing counts only when it came first; a late one is a backward move, ignored.
    assert found["provider_updates"] == (2 if order[0] == "processing" else 1)
    assert (found["inbox"], found["inbox_unhandled"]) == (2, 0)


def test_a_declined_card_fails_once_however_often_it_is_told(
    client, db, settings, world, localstripe, webhook_recorder
):  # type: ignore[no-untyped-def]
    payment_id, intent_id = start_payment(client, world.shop_a)
    consumer_pays(localstripe.url, intent_id, "pm_card_chargeCustomerFail")
    failed = webhook_recorder.wait_for("payment_intent.payment_failed", intent_id)
    for _ in range(3):
        deliver(client, failed)
    relay_outbox(settings)
    row = payment_row(db, payment_id)
    assert (row.state, row.failure_code) == ("failed", "card_declined")
    found = counts(db, payment_id)
    assert found[FAILED] == 1 and found.get(SUCCEEDED, 0) == 0
    assert found["provider_updates"] == 1


def test_reconciliation_recovers_a_success_whose_webhook_never_arrived(
    client, db, settings, world, localstripe, webhook_recorder
):  # type: ignore[no-untyped-def]
    payment_id, intent_id = start_payment(client, world.shop_a)
    consumer_pays(localstripe.url, intent_id)
    lost = webhook_recorder.wait_for("payment_intent.succeeded", intent_id)
    # Only the processing notice arrives; the success is dropped on the way.
    deliver(client, signed(processing_event(intent_id)))
    relay_outbox(settings)
    assert payment_row(db, payment_id).state == "processing"

    async def reconcile():  # type: ignore[no-untyped-def]
        async with task_sessions(settings.database) as sessions:
            return await reconcile_stuck(sessions, build_providers(settings), timedelta(0))

    first = asyncio.run(reconcile())
    assert (first.checked, first.changed, first.errors) == (1, 1, [])
    row = payment_row(db, payment_id)
    assert row.state == "succeeded" and row.amount_captured == 18000
    assert (row.card_brand, row.card_last4) == ("visa", "4242")

    # A second run finds nothing stuck; the lost webhook turning up late changes nothing.
    assert asyncio.run(reconcile()).checked == 0
    deliver(client, lost)
    relay_outbox(settings)
    found = counts(db, payment_id)
    assert found[SUCCEEDED] == 1
    assert found["provider_updates"] == 2  # processing, then the reconciled success


def test_the_catch_up_task_recovers_a_success_whose_webhook_never_arrived(
    client, db, settings, world, localstripe, webhook_recorder
):  # type: ignore[no-untyped-def]
    """The payment never left requires_action (no webhook at all): the beat task lists
    Stripe's recent events, stores the missing one, and the usual processing pays it once."""
    payment_id, intent_id = start_payment(client, world.shop_a)
    consumer_pays(localstripe.url, intent_id)
    lost = webhook_recorder.wait_for("payment_intent.succeeded", intent_id)
    assert payment_row(db, payment_id).state == "requires_action"

    catch_up = build_worker(settings).celery.tasks[CATCH_UP_TASK]
    assert catch_up.apply().get()["stored"] == 1
    relay_outbox(settings)
    row = payment_row(db, payment_id)
    assert row.state == "succeeded" and row.amount_captured == 18000

    assert catch_up.apply().get()["stored"] == 0  # a second run finds nothing new
    assert deliver(client, lost).json()["duplicate"] is True  # nor does the late webhook
    relay_outbox(settings)
    found = counts(db, payment_id)
    assert found[SUCCEEDED] == 1 and found["provider_updates"] == 1
    assert (found["inbox"], found["inbox_unhandled"]) == (1, 0)
