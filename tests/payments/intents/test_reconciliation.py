"""The reconciliation task recovers a confirmation that never arrived, exactly once."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import sqlalchemy as sa

from infra.db import utcnow
from payments.intents.models import PaymentIntent
from tests.payments.intents.conftest import CONSUMER, confirm, pay
from tests.support.cli import onestreet


def test_a_payment_stuck_in_processing_is_settled_by_reconciliation(
    caller, world, db, database_url, tmp_path, count, outbox, outbox_payloads
):  # type: ignore[no-untyped-def]
    payment = pay(
        caller(CONSUMER), {"shop_id": str(world.shop_a), "amount": 7000, "method": "sandbox"}
    ).json()
    # The wallet took the money but its final confirmation never arrives.
    assert confirm(caller(None), payment["id"], "delay").json()["state"] == "processing"

    def reconcile() -> dict:  # type: ignore[type-arg]
        env = {"ONESTREET_DATABASE_URL": database_url, "ONESTREET_APP__LOG_LEVEL": "ERROR"}
        done = onestreet("payments", "reconcile", cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert reconcile() == {"checked": 0, "changed": 0, "errors": []}  # not stuck yet

    async def age(session):  # type: ignore[no-untyped-def]
        await session.execute(
            sa.update(PaymentIntent)
            .where(PaymentIntent.id == uuid.UUID(payment["id"]))
            .values(state_changed_at=utcnow() - timedelta(minutes=20))
        )

    db(age)
    assert reconcile() == {"checked": 1, "changed": 1, "errors": []}
    assert reconcile() == {"checked": 0, "changed": 0, "errors": []}

    seen = caller(CONSUMER).get(f"/api/payments/{payment['id']}").json()
    assert seen["state"] == "succeeded" and seen["amount_captured"] == 7000
    assert [e["to_state"] for e in seen["events"]][-2:] == ["processing", "succeeded"]
    [event] = outbox_payloads("payment.succeeded")
    assert event["payment_id"] == payment["id"]
    # A late callback after reconciliation changes nothing.
    assert confirm(caller(None), payment["id"], "succeed").json()["state"] == "succeeded"
    assert count("outbox_events", event_type="payment.succeeded") == 1
