"""A refund whose points were already spent: the shortfall is forgiven once and recorded, so
neither the same refund delivered again nor a later refund of the payment takes it out of
points earned since, also when the deliveries race."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from infra.db import create_session_factory, utcnow
from merchant_api.shops.payment_directory import ShopMerchantDirectory
from payments.loyalty.audit import LedgerAudit
from payments.loyalty.repository import LoyaltyRepository
from payments.loyalty.service import LoyaltyService, Payment
from tests.payments.loyalty.conftest import CONSUMER, balance, hold


def test_a_forgiven_shortfall_is_never_taken_from_later_earnings(caller, world, payments, audit):
    def refund(refund_id: str, total: int) -> None:
        payments.publish(
            "payment.refunded",
            payments.payload(first, world.shop_a, CONSUMER, 30000, total, refund_id=refund_id),
        )

    def points() -> tuple[int, int]:
        wallet = balance(caller)
        return wallet["balance"], wallet["held"]

    first = payments.succeeded(world.shop_a, CONSUMER, 30000)  # 10 + 10 first visit
    assert hold(caller, world.shop_b, 18).status_code == 201  # spent (held) elsewhere
    assert points() == (2, 18)
    half, three_quarters = str(uuid.uuid4()), str(uuid.uuid4())
    refund(half, 15000)  # owes 10: takes the 2 left, forgives 8
    assert points() == (0, 18)
    refund(three_quarters, 22500)  # owes 5 more: nothing left, all 5 forgiven
    assert points() == (0, 18)

    payments.succeeded(world.shop_a, CONSUMER, 30000)  # 10 new points
    assert points() == (10, 18)
    refund(three_quarters, 22500)  # delivered again: it took nothing and takes nothing now
    refund(half, 15000)
    assert points() == (10, 18)
    refund(str(uuid.uuid4()), 30000)  # the last quarter owes its own 5 only
    assert points() == (5, 18)
    refund(str(uuid.uuid4()), 30000)  # a refund beyond the whole payment owes nothing more
    assert points() == (5, 18)
    audit()


def test_a_refund_delivered_many_times_at_once_falls_short_once(
    backend, database_url, world, settings
):
    if backend != "postgres":
        pytest.skip("SQLite has one writer at a time; there is nothing to race")
    loyalty = settings.loyalty.model_copy(update={"first_visit_bonus": 0})
    directory = ShopMerchantDirectory()
    payment_id = uuid.uuid4()

    def payment(wallet_id: uuid.UUID, refunded: int, refund_id: str | None) -> Payment:
        return Payment(
            payment_id, world.shop_a, 60000, refunded, refund_id, None, wallet_id, utcnow()
        )

    async def race() -> tuple[list[int], list[int], tuple[int, int], object]:
        engine = create_async_engine(database_url, pool_size=10, max_overflow=0)
        sessions = create_session_factory(engine)

        async def deliver(wallet_id: uuid.UUID, refunded: int, refund_id: str) -> int:
            async with sessions() as session:
                taken = await LoyaltyService(session, loyalty, directory).claw_back(
                    payment(wallet_id, refunded, refund_id), utcnow()
                )
                await session.commit()
                return taken

        try:
            async with sessions() as session:
                service = LoyaltyService(session, loyalty, directory)
                wallet_id = await LoyaltyRepository(session).create_wallet(None, utcnow())
                await service.earn_from_payment(payment(wallet_id, 0, None), utcnow())  # 20
                await service.redeem_now(wallet_id, world.shop_b, 18, utcnow())
                await session.commit()
            # Owes 10, finds 2: takes 2, forgives 8, once.
            first = await asyncio.gather(*(deliver(wallet_id, 30000, "r1") for _ in range(8)))
            async with sessions() as session:
                service = LoyaltyService(session, loyalty, directory)
                later = Payment(
                    uuid.uuid4(), world.shop_a, 30000, 0, None, None, wallet_id, utcnow()
                )
                await service.earn_from_payment(later, utcnow())  # 10 new points
                await session.commit()
            # Three quarters refunded: owes 5 more (15 - 2 taken - 8 forgiven), once.
            second = await asyncio.gather(*(deliver(wallet_id, 45000, "r2") for _ in range(8)))
            async with sessions() as session:
                balances = await LoyaltyRepository(session).wallet_balances(wallet_id)
                report = await LedgerAudit(session).run()
            return list(first), list(second), balances, report
        finally:
            await engine.dispose()

    first, second, balances, report = asyncio.run(race())
    assert sorted(first) == [0] * 7 + [2]
    assert sorted(second) == [0] * 7 + [5]
    assert balances == (10 - 5, 0)
    assert report.ok, report  # type: ignore[attr-defined]


def test_a_refund_racing_its_earn_is_never_lost(backend, database_url, world, settings):
    if backend != "postgres":
        pytest.skip("SQLite has one writer at a time; there is nothing to race")
    loyalty = settings.loyalty.model_copy(update={"first_visit_bonus": 0})
    directory = ShopMerchantDirectory()
    payments = [uuid.uuid4() for _ in range(12)]

    async def race() -> tuple[tuple[int, int], object]:
        engine = create_async_engine(database_url, pool_size=30, max_overflow=0)
        sessions = create_session_factory(engine)

        async def deliver(wallet_id: uuid.UUID, payment_id: uuid.UUID, refund: bool) -> None:
            paid = Payment(
                payment_id,
                world.shop_a,
                30000,
                30000 if refund else 0,
                "all" if refund else None,
                None,
                wallet_id,
                utcnow(),
            )
            async with sessions() as session:
                service = LoyaltyService(session, loyalty, directory)
                if refund:
                    await service.claw_back(paid, utcnow())
                else:
                    await service.earn_from_payment(paid, utcnow())
                await session.commit()

        try:
            async with sessions() as session:
                wallet_id = await LoyaltyRepository(session).create_wallet(None, utcnow())
                await session.commit()
            # Each payment's earn and its whole refund, delivered at the same moment.
            await asyncio.gather(
                *(deliver(wallet_id, p, refund) for p in payments for refund in (True, False))
            )
            async with sessions() as session:
                balances = await LoyaltyRepository(session).wallet_balances(wallet_id)
                report = await LedgerAudit(session).run()
            return balances, report
        finally:
            await engine.dispose()

    balances, report = asyncio.run(race())
    assert balances == (0, 0)  # every payment's 10 points earned and taken back
    assert report.ok, report  # type: ignore[attr-defined]
