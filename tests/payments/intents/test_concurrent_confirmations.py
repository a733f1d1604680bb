"""Wallet callback tasks racing on PostgreSQL: acquirer transactions confirming one payment at
the same moment (and one task delivered twice) capture it once; the rest are no-ops."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import msgspec
import pytest

from infra.db import create_engine, create_session_factory
from infra.settings import DatabaseSettings
from payments.callbacks.schemas import WalletCallback
from payments.callbacks.service import process_callback, receive_callback
from payments.callbacks.signature import sign
from payments.intents.config import derived_secret
from payments.providers.twqr import parse_uri
from tests.payments.intents.conftest import CONSUMER, pay

RACERS = 6


def test_racing_wallet_callbacks_capture_once(
    backend, database_url, caller, world, settings, count, outbox_payloads
):  # type: ignore[no-untyped-def]
    if backend != "postgres":
        pytest.skip("SQLite has one writer at a time; there is no concurrent capture to race")
    created = pay(
        caller(CONSUMER), {"shop_id": str(world.shop_a), "amount": 9000, "method": "twqr"}
    )
    assert created.status_code == 201, created.text
    payment = created.json()
    order_no = parse_uri(payment["qr_payload"]).order_no
    secret = derived_secret(
        settings.payments.twqr_callback_secret, settings.auth.secret_key, "twqr-callback"
    )

    async def race() -> list[bool]:
        engine = create_engine(DatabaseSettings(url=database_url), for_worker=True)
        sessions = create_session_factory(engine)
        start = asyncio.Event()
        keys = []
        for n in range(RACERS):
            # Distinct acquirer transactions: the inbox does not dedupe them, the lock must.
            body = msgspec.json.encode(
                WalletCallback(
                    transaction_id=f"RACE-{n}",
                    order_no=order_no,
                    status="succeeded",
                    amount=9000,
                    occurred_at=datetime.now(UTC),
                )
            )
            async with sessions() as session:
                received = await receive_callback(session, "twqr", secret, body, sign(secret, body))
                await session.commit()
            keys.append(received.external_id)

        async def process(key: str) -> bool:
            async with sessions() as session:
                await start.wait()
                changed = await process_callback(session, "twqr", key)
                await asyncio.sleep(0.05)  # hold the lock while the others arrive
                await session.commit()
                return changed

        try:
            # Every callback's task at once, and the first one's task delivered twice.
            tasks = [asyncio.create_task(process(key)) for key in [*keys, keys[0]]]
            await asyncio.sleep(0.05)
            start.set()
            return list(await asyncio.gather(*tasks))
        finally:
            await engine.dispose()

    outcomes = asyncio.run(race())
    assert outcomes.count(True) == 1, outcomes
    seen = caller(CONSUMER).get(f"/api/payments/{payment['id']}").json()
    assert seen["state"] == "succeeded" and seen["amount_captured"] == 9000
    assert [e["to_state"] for e in seen["events"]] == ["requires_action", "succeeded"]
    assert len(outbox_payloads("payment.succeeded")) == 1
    assert count("provider_inbox") == RACERS
    assert count("payment_events", to_state="succeeded") == 1
    assert count("provider_inbox", handled_at=None) == 0
