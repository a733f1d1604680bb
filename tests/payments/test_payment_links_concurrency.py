"""Concurrent uses of one dynamic link on PostgreSQL: exactly one wins."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from infra.db import create_engine, create_session_factory
from infra.settings import DatabaseSettings
from merchant_api.shops.payment_directory import ShopMerchantDirectory
from payments.links.config import LinkConfig
from payments.links.errors import LinkUsed
from payments.links.models import PaymentLinkUse
from payments.links.service import PaymentLinkService

CONCURRENT_USES = 8


def test_concurrent_redemptions_record_exactly_one_use(backend, database_url, world, settings):
    if backend != "postgres":
        pytest.skip("SQLite has one writer at a time; there is no concurrent insert to race")
    config = LinkConfig.build(settings.auth.secret_key, 10, settings.app.public_url)
    directory = ShopMerchantDirectory()

    async def race() -> tuple[list[object], int]:
        engine = create_engine(DatabaseSettings(url=database_url), for_worker=True)
        sessions = create_session_factory(engine)
        try:
            async with sessions() as session:
                token = (
                    await PaymentLinkService(session, config, directory).issue_dynamic(
                        world.shop_a, amount_minor=18000, order_reference="RACE"
                    )
                ).token

            async def use() -> object:
                async with sessions() as session:
                    try:
                        await PaymentLinkService(session, config, directory).redeem(token)
                        await asyncio.sleep(0.05)  # hold the row while the others arrive
                        await session.commit()
                        return "won"
                    except LinkUsed as refused:
                        await session.rollback()
                        return refused.code

            outcomes = await asyncio.gather(*(use() for _ in range(CONCURRENT_USES)))
            async with sessions() as session:
                rows = await session.scalar(select(func.count()).select_from(PaymentLinkUse))
            return list(outcomes), int(rows or 0)
        finally:
            await engine.dispose()

    outcomes, rows = asyncio.run(race())
    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("payment_link_used") == CONCURRENT_USES - 1
    assert rows == 1
