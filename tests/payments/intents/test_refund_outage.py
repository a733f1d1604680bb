"""Refunds ask the provider with the payment row unlocked, and a provider outage mid-refund
neither loses nor doubles money: the pending refund holds its amount back and a retry with the
same Idempotency-Key finishes it, with the same provider key."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from infra.db import create_engine, create_session_factory
from infra.errors import ServiceUnavailable
from infra.settings import DatabaseSettings
from payments.intents.tasks import settle_pending_refunds
from payments.providers.base import ProviderRefund, RefundRequest
from tests.payments.intents.conftest import CONSUMER, OWNER, confirm, pay


class FlakySandbox:
    """The sandbox provider, down for its first refund; checks the payment row is unlocked."""

    def __init__(self, inner, database_url: str, backend: str) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.url, self.backend = inner, database_url, backend
        self.name = inner.name
        self.keys: list[str] = []
        self.unlocked: list[bool] = []

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.inner, name)

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        self.keys.append(request.idempotency_key)
        if self.backend == "postgres":
            self.unlocked.append(await self._row_unlocked(request.provider_ref))
        if len(self.keys) == 1:
            raise ServiceUnavailable("the provider is down")
        return await self.inner.refund(request)

    async def _row_unlocked(self, provider_ref: str) -> bool:
        engine = create_async_engine(self.url, poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                await connection.execute(
                    sa.text(
                        "SELECT id FROM payment_intents WHERE provider_ref = :ref FOR UPDATE NOWAIT"
                    ),
                    {"ref": provider_ref},
                )
                await connection.rollback()
            return True
        except sa.exc.DBAPIError:
            return False
        finally:
            await engine.dispose()


def test_an_outage_mid_refund_neither_loses_nor_doubles_money(
    app, backend, database_url, caller, world, count, outbox_payloads
):  # type: ignore[no-untyped-def]
    payment = pay(
        caller(CONSUMER), {"shop_id": str(world.shop_a), "amount": 5000, "method": "sandbox"}
    ).json()
    assert confirm(caller(None), payment["id"]).json()["state"] == "succeeded"
    providers = app.state.payments.providers
    flaky = FlakySandbox(providers["sandbox"], database_url, backend)
    providers["sandbox"] = flaky
    url = f"/api/payments/{payment['id']}/refunds"

    def refund(amount: int | None, key: str):  # type: ignore[no-untyped-def]
        return caller(OWNER).post(url, json={"amount": amount}, headers={"Idempotency-Key": key})

    down = refund(3000, "k1")
    assert down.status_code == 502 and down.json()["error"]["code"] == "provider_error"
    seen = caller(OWNER).get(f"/api/payments/{payment['id']}").json()
    assert seen["state"] == "succeeded" and seen["amount_refunded"] == 0
    assert [r["state"] for r in seen["refunds"]] == ["pending"]

    # The pending 3000 is held back: another refund gets at most the other 2000.
    assert refund(2001, "k2").json()["error"]["code"] == "refund_exceeds_captured"
    rest = refund(None, "k3")
    assert rest.status_code == 201 and rest.json()["refund"]["amount"] == 2000

    retried = refund(3000, "k1")
    assert retried.status_code == 201, retried.text
    assert retried.json()["payment"]["state"] == "refunded"
    assert retried.json()["payment"]["amount_refunded"] == 5000
    assert refund(3000, "k1").json() == retried.json()  # replayed, not refunded again
    assert flaky.keys[0] == flaky.keys[2] and len(set(flaky.keys)) == 2
    assert all(flaky.unlocked) and len(flaky.unlocked) == (3 if backend == "postgres" else 0)
    assert [e["refund_amount"] for e in outbox_payloads("payment.refunded")] == [2000, 3000]
    assert count("payment_refunds", state="succeeded") == 2
    assert count("payment_refunds", state="pending") == 0


def test_reconciliation_finishes_a_refund_left_pending(
    app, backend, database_url, caller, world, count, outbox_payloads
):  # type: ignore[no-untyped-def]
    payment = pay(
        caller(CONSUMER), {"shop_id": str(world.shop_a), "amount": 4000, "method": "sandbox"}
    ).json()
    confirm(caller(None), payment["id"])
    providers = app.state.payments.providers
    flaky = FlakySandbox(providers["sandbox"], database_url, backend)
    providers["sandbox"] = flaky
    url = f"/api/payments/{payment['id']}/refunds"
    down = caller(OWNER).post(url, json={"amount": 1500}, headers={"Idempotency-Key": "gone"})
    assert down.status_code == 502  # and the client never comes back

    async def sweep():  # type: ignore[no-untyped-def]
        engine = create_engine(DatabaseSettings(url=database_url), for_worker=True)
        try:
            sessions = create_session_factory(engine)
            first = await settle_pending_refunds(sessions, providers, timedelta(0))
            again = await settle_pending_refunds(sessions, providers, timedelta(0))
            return first, again
        finally:
            await engine.dispose()

    first, again = asyncio.run(sweep())
    assert (first.checked, first.changed, first.errors) == (1, 1, [])
    assert again.checked == 0
    seen = caller(OWNER).get(f"/api/payments/{payment['id']}").json()
    assert seen["state"] == "partially_refunded" and seen["amount_refunded"] == 1500
    assert flaky.keys[0] == flaky.keys[1] and len(flaky.keys) == 2
    assert [e["refund_amount"] for e in outbox_payloads("payment.refunded")] == [1500]
