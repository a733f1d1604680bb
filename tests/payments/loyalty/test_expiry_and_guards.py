"""Expiry by lot, first in first out, with notices 30 days ahead; and the database's own
guards: no consumer balance below zero (both databases), no unbalanced transaction and no
rewriting of ledger rows (PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from infra.db import create_engine, create_session_factory, utcnow
from merchant_api.shops.payment_directory import ShopMerchantDirectory
from payments.loyalty.expiry import ExpiryService, LogNotifier
from payments.loyalty.ledger import wallet_account
from payments.loyalty.models import LoyaltyAccount, LoyaltyEntry, LoyaltyTransaction
from payments.loyalty.repository import LoyaltyRepository
from payments.loyalty.service import LoyaltyService, Payment
from tests.conftest import run_async


def _expiry(settings, now, notifier):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        engine = create_engine(settings.database, for_worker=True)
        try:
            service = ExpiryService(create_session_factory(engine), settings.loyalty, notifier)
            return await service.run(now)
        finally:
            await engine.dispose()

    return run_async(go)


def test_lots_expire_oldest_first_after_a_notice(db, world, settings, payments, audit):
    loyalty = settings.loyalty.model_copy(update={"first_visit_bonus": 0})
    now = utcnow()
    old, new = now - timedelta(days=300), now - timedelta(days=100)

    async def arrange(session):  # type: ignore[no-untyped-def]
        service = LoyaltyService(session, loyalty, ShopMerchantDirectory())
        wallet = await LoyaltyRepository(session).create_wallet(None, old)
        for when, points in ((old, 10), (new, 7)):
            payment = Payment(
                uuid.uuid4(), world.shop_a, points * 3000, 0, None, None, wallet, when
            )
            await service.earn_from_payment(payment, when)
        # Spend 4: first in, first out, so they come from the old lot (10 -> 6 left).
        await service.redeem_now(wallet, world.shop_b, 4, now)
        return wallet

    wallet = db(arrange)
    notifier = LogNotifier()
    # 340 days in: the old lot (valid 365 days) expires within 30 days: one notice, once.
    soon = now + timedelta(days=40)
    assert _expiry(settings, soon, notifier)["notices_sent"] == 1
    assert notifier.sent == [(wallet, 6, old + timedelta(days=365))]
    assert _expiry(settings, soon, notifier)["notices_sent"] == 0
    # After the old lot's date: its 6 points expire, the newer lot's 7 stay.
    after = old + timedelta(days=366)
    assert _expiry(settings, after, notifier)["lots_expired"] == 1
    assert _expiry(settings, after, notifier)["lots_expired"] == 0

    async def balances(session):  # type: ignore[no-untyped-def]
        return await LoyaltyRepository(session).wallet_balances(wallet)

    assert db(balances) == (7, 0)
    audit()


def test_the_database_refuses_a_negative_consumer_balance(db, world):
    async def arrange(session):  # type: ignore[no-untyped-def]
        return await LoyaltyRepository(session).create_wallet(None, utcnow())

    wallet = db(arrange)

    async def overdraw(session):  # type: ignore[no-untyped-def]
        await session.execute(
            sa.update(LoyaltyAccount)
            .where(LoyaltyAccount.id == wallet_account(wallet).id)
            .values(balance=-1)
        )

    with pytest.raises(sa.exc.IntegrityError):
        db(overdraw)


def test_postgres_refuses_an_unbalanced_transaction(db, world, backend):
    if backend != "postgres":
        pytest.skip("SQLite relies on the code and the audit for this")

    async def arrange(session):  # type: ignore[no-untyped-def]
        return await LoyaltyRepository(session).create_wallet(None, utcnow())

    wallet = db(arrange)

    async def unbalanced(session):  # type: ignore[no-untyped-def]
        tx = uuid.uuid4()
        await session.execute(
            sa.insert(LoyaltyTransaction).values(
                id=tx, idempotency_key="forged", reason="adjustment", occurred_at=utcnow()
            )
        )
        await session.execute(
            sa.insert(LoyaltyEntry).values(
                id=uuid.uuid4(), transaction_id=tx, account_id=wallet_account(wallet).id, amount=5
            )
        )

    with pytest.raises(sa.exc.DBAPIError, match="does not sum to zero"):
        db(unbalanced)
