"""On PostgreSQL an earn and a counter redemption run as database functions; everywhere else
(and with `database_functions=False`) as Python steps. These tests hold the two to one
behaviour: the earning rule on many inputs, and a whole scripted day of earning, capping,
bonuses, spending and refusals, compared ledger row for ledger row."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import timedelta

import asyncpg
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from infra.db import create_session_factory, utcnow
from merchant_api.shops.payment_directory import ShopMerchantDirectory
from payments.loyalty.audit import LedgerAudit
from payments.loyalty.bonus_models import LoyaltyBonusRule
from payments.loyalty.earning import EarnInputs, earn_lines
from payments.loyalty.errors import InsufficientPoints, VelocityLimited
from payments.loyalty.models import (
    LoyaltyAccount,
    LoyaltyCampaign,
    LoyaltyEarnRule,
    LoyaltyEntry,
    LoyaltyHold,
    LoyaltyLot,
    LoyaltyTransaction,
)
from payments.loyalty.repository import LoyaltyRepository
from payments.loyalty.service import LoyaltyService, Payment


@pytest.fixture
def postgres_only(backend: str) -> None:
    if backend != "postgres":
        pytest.skip("the database functions are PostgreSQL's")


def _random_inputs(rng: random.Random) -> EarnInputs:
    listing = tuple(
        (rng.choice([-500, 0, 2999, 3000, rng.randint(0, 200_000)]), rng.choice([50, 100, 150]))
        for _ in range(rng.randint(0, 3))
    )
    campaign = rng.choice([None, uuid.uuid4()])
    return EarnInputs(
        amount_minor=rng.choice([-100, 0, 1, 2999, 3000, rng.randint(0, 500_000)]),
        shop_id=uuid.uuid4(),
        street_id=rng.choice([None, uuid.uuid4()]),
        minor_per_point=rng.choice([1, 30, 3000, rng.randint(1, 10_000)]),
        funded_by=rng.choice(["shop", "street", "programme"]),
        campaign_id=campaign,
        campaign_multiplier_pct=rng.choice([50, 100, 150, 300]),
        first_visit=rng.random() < 0.5,
        first_visit_bonus=rng.choice([0, 10, 50]),
        cap_left=rng.choice([-20, 0, 5, 30, 10**9, rng.randint(0, 400)]),
        category_multiplier_pct=rng.choice([80, 100, 120, 200]),
        listing_bonuses=listing,
    )


def test_the_database_earning_rule_is_the_python_one(postgres_only, database_url):
    rng = random.Random(20261127)
    cases = [_random_inputs(rng) for _ in range(1500)]

    async def compare() -> list[tuple[EarnInputs, object, object]]:
        conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
        try:
            differences = []
            for case in cases:
                rows = await conn.fetch(
                    "SELECT funder, points FROM loyalty_earn_lines($1, $2, $3, $4, $5, $6, $7, "
                    "$8, $9, $10, $11, $12, $13)",
                    case.amount_minor,
                    case.shop_id,
                    case.street_id,
                    case.minor_per_point,
                    case.funded_by,
                    case.campaign_id,
                    case.campaign_multiplier_pct,
                    case.category_multiplier_pct,
                    [paid for paid, _pct in case.listing_bonuses],
                    [pct for _paid, pct in case.listing_bonuses],
                    case.first_visit,
                    case.first_visit_bonus,
                    case.cap_left,
                )
                in_database = [(row["funder"], row["points"]) for row in rows]
                in_python = [(funder.id, points) for funder, points in earn_lines(case)]
                if in_database != in_python:
                    differences.append((case, in_database, in_python))
            return differences
        finally:
            await conn.close()

    differences = asyncio.run(compare())
    assert not differences, differences[:3]
    assert sum(1 for case in cases if earn_lines(case)) > 500  # most cases earn something


def _a_day_at_the_shops(database_url, world, settings, database_functions: bool):  # type: ignore[no-untyped-def]
    """Earnings with a campaign, a category bonus, a shop rule, the first-visit bonus and the
    daily cap; spending over several lots; refusals; replays. Returns the wallet's ledger,
    lots and holds with every id that differs between runs taken out."""
    loyalty = settings.loyalty.model_copy(
        update={"daily_earn_cap": 120, "first_visit_bonus": 10, "redeem_max_per_hour": 4}
    )
    directory = ShopMerchantDirectory()
    now = utcnow()

    async def run():  # type: ignore[no-untyped-def]
        engine = create_async_engine(database_url)
        sessions = create_session_factory(engine)

        async def step(fn):  # type: ignore[no-untyped-def]
            async with sessions() as session:
                service = LoyaltyService(
                    session, loyalty, directory, database_functions=database_functions
                )
                try:
                    result = await fn(service)
                except Exception as refused:
                    await session.rollback()
                    return type(refused).__name__
                await session.commit()
                if isinstance(result, LoyaltyHold):
                    return (result.shop_id, result.points, result.value_minor, result.status)
                return result

        def earn(wallet, shop, amount, minute, payment=None):  # type: ignore[no-untyped-def]
            # Payments a minute apart: their lots expire in that order, so first-in first-out
            # has one answer (lots of one payment expire together, in no particular order).
            paid_at = now + timedelta(minutes=minute)
            paid = Payment(payment or uuid.uuid4(), shop, amount, 0, None, None, wallet, paid_at)
            return step(lambda service: service.earn_from_payment(paid, now))

        def redeem(wallet, shop, points):  # type: ignore[no-untyped-def]
            return step(lambda service: service.redeem_now(wallet, shop, points, now))

        try:
            async with sessions() as session:
                wallet = await LoyaltyRepository(session).create_wallet(None, now)
                await session.commit()
            replayed = uuid.uuid4()
            # Spending takes whole payments' lots, or from a payment with one lot: which of
            # one payment's lots goes first is the database's choice, in both paths.
            outcomes = [
                # 15 by the shop's rule, 7 category bonus, 10 first visit
                await earn(wallet, world.shop_a, 30000, 0, replayed),
                await earn(wallet, world.shop_a, 30000, 0, replayed),  # the same payment again
                # 15 + 15 campaign on street y + 7 category + 10 first visit
                await earn(wallet, world.shop_b, 45000, 1),
                await earn(wallet, world.shop_c, 2999, 2),  # under one point: nothing, no bonus
                await redeem(wallet, world.shop_c, 32),  # the first payment's lots
                await redeem(wallet, world.shop_b, 10_000),  # more than the balance
                await earn(wallet, world.shop_c, 300000, 3),  # the cap leaves 41 of 100 base
                await earn(wallet, world.shop_c, 30000, 4),  # capped: nothing
                await redeem(wallet, world.shop_a, 47),  # the second payment's lots
                await redeem(wallet, world.shop_a, 1),  # from the capped payment's one lot
                await redeem(wallet, world.shop_b, 1),
                await redeem(wallet, world.shop_b, 1),  # the fifth this hour
            ]
            async with sessions() as session:
                ledger = await _ledger_of(session, wallet)
                audit = await LedgerAudit(session).run()
            return outcomes, ledger, audit
        finally:
            await engine.dispose()

    return asyncio.run(run())


async def _ledger_of(session, wallet):  # type: ignore[no-untyped-def]
    accounts = {
        row.id: (row.kind, "wallet" if row.owner_id == wallet else row.owner_id, row.balance)
        for row in (await session.execute(select(LoyaltyAccount))).scalars()
    }
    transactions = (
        await session.execute(
            select(LoyaltyTransaction)
            .where(LoyaltyTransaction.wallet_id == wallet)
            .order_by(LoyaltyTransaction.occurred_at, LoyaltyTransaction.idempotency_key)
        )
    ).scalars()
    ledger = []
    for transaction in transactions:
        entries = (
            await session.execute(
                select(LoyaltyEntry).where(LoyaltyEntry.transaction_id == transaction.id)
            )
        ).scalars()
        ledger.append(
            (
                transaction.reason,
                transaction.idempotency_key.split(":")[0],
                transaction.shop_id,
                transaction.amount_minor,
                sorted(
                    (
                        accounts[e.account_id][:2],
                        e.amount,
                        accounts[e.funded_by][:2] if e.funded_by else None,
                    )
                    for e in entries
                ),
            )
        )
    lots = sorted(
        (accounts[lot.funder_account_id][:2], lot.points, lot.remaining)
        for lot in (
            await session.execute(select(LoyaltyLot).where(LoyaltyLot.wallet_id == wallet))
        ).scalars()
    )
    holds = sorted(
        (hold.shop_id, hold.points, hold.value_minor, hold.status)
        for hold in (
            await session.execute(select(LoyaltyHold).where(LoyaltyHold.wallet_id == wallet))
        ).scalars()
    )
    balances = sorted((v[0], v[2]) for v in accounts.values() if v[1] == "wallet")
    # Every step ran at the same `now`: the rows' order is that of their random ids.
    return sorted(ledger, key=repr), lots, holds, balances


def test_the_database_functions_record_what_the_python_steps_record(
    postgres_only, database_url, world, settings, db
):
    async def rules(session):  # type: ignore[no-untyped-def]
        later = utcnow() + timedelta(days=1)
        session.add(LoyaltyEarnRule(shop_id=world.shop_a, minor_per_point=2000, funded_by="shop"))
        session.add(
            LoyaltyCampaign(
                name="豐年祭",
                street_id=world.street_y,
                multiplier_pct=200,
                starts_at=utcnow() - timedelta(days=1),
                ends_at=later,
            )
        )
        session.add(LoyaltyBonusRule(category="food_and_drink", multiplier_pct=150))

    db(rules)
    python = _a_day_at_the_shops(database_url, world, settings, database_functions=False)
    in_database = _a_day_at_the_shops(database_url, world, settings, database_functions=True)
    outcomes, ledger, audit = in_database
    assert audit.ok, audit
    assert python[2].ok, python[2]
    assert outcomes == python[0]
    assert ledger == python[1]
    # The script did what it says: refusals, a replay, the cap and real spending.
    assert outcomes[:4] == [32, 0, 47, 0]
    assert outcomes[6:8] == [41, 0]
    assert outcomes[5] == InsufficientPoints.__name__
    assert outcomes[11] == VelocityLimited.__name__
    assert len(ledger[2]) == 4  # four redemptions captured
    assert ledger[3] == [("consumer_held", 0), ("consumer_wallet", 39)]
    # Attribution: the capture of the first payment's lots credits shop C per funder.
    captures = [t for t in ledger[0] if t[0] == "capture"]
    assert len(captures) == 4
