"""1,000 concurrent redemptions against one balance on PostgreSQL never overdraw it, and the
ledger still balances (every transaction sums to zero, cached balances equal the entries, lots
equal the balance)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from infra.db import create_session_factory, utcnow
from merchant_api.shops.payment_directory import ShopMerchantDirectory
from payments.loyalty.audit import LedgerAudit
from payments.loyalty.errors import InsufficientPoints
from payments.loyalty.repository import LoyaltyRepository
from payments.loyalty.service import LoyaltyService, Payment

REDEMPTIONS = 1000
POINTS_EACH = 7
LOTS = 10
LOT_POINTS = 500  # 5,000 points: room for 714 redemptions of 7


def test_concurrent_redemptions_never_overdraw(backend, database_url, world, settings):
    if backend != "postgres":
        pytest.skip("SQLite has one writer at a time; there is nothing to race")
    loyalty = settings.loyalty.model_copy(
        update={"daily_earn_cap": 10**9, "redeem_max_per_hour": 10**6, "first_visit_bonus": 0}
    )
    directory = ShopMerchantDirectory()

    async def race() -> tuple[list[str], int, object]:
        engine = create_async_engine(database_url, pool_size=24, max_overflow=0, pool_timeout=300)
        sessions = create_session_factory(engine)
        try:
            async with sessions() as session:
                service = LoyaltyService(session, loyalty, directory)
                wallet_id = await LoyaltyRepository(session).create_wallet(None, utcnow())
                for _ in range(LOTS):  # several lots, so redemptions walk FIFO across them
                    await service.earn_from_payment(
                        Payment(
                            uuid.uuid4(),
                            world.shop_a,
                            LOT_POINTS * 3000,
                            0,
                            None,
                            None,
                            wallet_id,
                            utcnow(),
                        ),
                        utcnow(),
                    )
                await session.commit()

            async def redeem(i: int) -> str:
                shop = (world.shop_a, world.shop_b, world.shop_c)[i % 3]
                async with sessions() as session:
                    try:
                        await LoyaltyService(session, loyalty, directory).redeem_now(
                            wallet_id, shop, POINTS_EACH, utcnow()
                        )
                        await session.commit()
                        return "ok"
                    except InsufficientPoints:
                        await session.rollback()
                        return "refused"

            outcomes = await asyncio.gather(*(redeem(i) for i in range(REDEMPTIONS)))
            async with sessions() as session:
                left, held = await LoyaltyRepository(session).wallet_balances(wallet_id)
                report = await LedgerAudit(session).run()
            return list(outcomes), left + held, report
        finally:
            await engine.dispose()

    outcomes, left, report = asyncio.run(race())
    won = outcomes.count("ok")
    assert won == (LOTS * LOT_POINTS) // POINTS_EACH
    assert outcomes.count("refused") == REDEMPTIONS - won
    assert left == LOTS * LOT_POINTS - won * POINTS_EACH >= 0
    assert report.ok, report
    assert report.transactions == LOTS + 2 * won  # earns, then a hold and a capture each
