"""A hypothesis state machine over the loyalty service: earn, hold, capture, release, redeem,
refund, expire and replays with the same key, against a simple model of one wallet. After each
step: every transaction sums to zero, no consumer balance is negative, cached balances and lots
equal the entries, and the wallet's balances equal the model's."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from infra.db import create_engine, create_session_factory, utcnow
from merchant_api.shops.payment_directory import ShopMerchantDirectory
from payments.loyalty.audit import LedgerAudit
from payments.loyalty.errors import HoldFinished, InsufficientPoints
from payments.loyalty.expiry import ExpiryService, LogNotifier
from payments.loyalty.repository import LoyaltyRepository
from payments.loyalty.service import LoyaltyService, Payment

RATE = 3000  # minor units per point


def test_ledger_state_machine(settings, world, backend):
    loyalty = settings.loyalty.model_copy(
        update={
            "daily_earn_cap": 10**9,
            "redeem_max_per_hour": 10**6,
            "first_visit_bonus": 0,
            "default_minor_per_point": RATE,
        }
    )
    loop = asyncio.new_event_loop()
    engine = create_engine(settings.database)
    sessions = create_session_factory(engine)
    directory = ShopMerchantDirectory()
    shops = [world.shop_a, world.shop_b, world.shop_c]

    def run(fn):  # type: ignore[no-untyped-def]
        async def go():  # type: ignore[no-untyped-def]
            async with sessions() as session:
                try:
                    result = await fn(LoyaltyService(session, loyalty, directory))
                except Exception:
                    await session.rollback()
                    raise
                await session.commit()
                return result

        return loop.run_until_complete(go())

    class Ledger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.wallet = run(lambda s: LoyaltyRepository(s.session).create_wallet(None, utcnow()))
            self.balance = 0
            self.held = 0
            self.holds: dict[uuid.UUID, int] = {}
            self.payments: dict[uuid.UUID, tuple[int, int, int]] = {}  # amount, earned, refunded
            self.clawed: dict[uuid.UUID, int] = {}
            self.forgiven: dict[uuid.UUID, int] = {}  # points a claw-back found spent

        def _payment(self, pid, shop, amount, refunded=0):  # type: ignore[no-untyped-def]
            return Payment(pid, shop, amount, refunded, str(refunded), None, self.wallet, utcnow())

        @rule(points=st.integers(1, 60), shop=st.sampled_from(shops))
        def earn(self, points: int, shop: uuid.UUID) -> None:
            pid = uuid.uuid4()
            amount = points * RATE + 17
            run(lambda s: s.earn_from_payment(self._payment(pid, shop, amount), utcnow()))
            self.payments[pid] = (amount, points, 0)
            self.balance += points

        @precondition(lambda self: self.payments)
        @rule(data=st.data())
        def replay_earn(self, data: st.DataObject) -> None:
            pid = data.draw(st.sampled_from(sorted(self.payments)))
            amount = self.payments[pid][0]
            assert (
                run(lambda s: s.earn_from_payment(self._payment(pid, shops[0], amount), utcnow()))
                == 0
            )

        @rule(points=st.integers(1, 80), shop=st.sampled_from(shops), capture=st.booleans())
        def hold(self, points: int, shop: uuid.UUID, capture: bool) -> None:
            try:
                h = run(
                    lambda s: (
                        s.redeem_now(self.wallet, shop, points, utcnow())
                        if capture
                        else s.hold(self.wallet, shop, points, None, utcnow())
                    )
                )
            except InsufficientPoints:
                assert points > self.balance
                return
            assert points <= self.balance
            self.balance -= points
            if not capture:
                self.held += points
                self.holds[h.id] = points

        @precondition(lambda self: self.holds)
        @rule(data=st.data(), capture=st.booleans())
        def finish_hold(self, data: st.DataObject, capture: bool) -> None:
            hold_id = data.draw(st.sampled_from(sorted(self.holds)))
            if capture:
                run(lambda s: s.capture(hold_id, utcnow()))
            else:
                run(lambda s: s.release(hold_id, utcnow()))
                self.balance += self.holds[hold_id]
            self.held -= self.holds.pop(hold_id)
            try:  # the same hold again: refused, nothing recorded
                run(lambda s: s.release(hold_id, utcnow()))
                raise AssertionError("a finished hold was released again")
            except HoldFinished:
                pass

        @precondition(lambda self: self.payments)
        @rule(data=st.data(), share=st.integers(1, 4))
        def refund(self, data: st.DataObject, share: int) -> None:
            pid = data.draw(st.sampled_from(sorted(self.payments)))
            amount, earned, refunded = self.payments[pid]
            total = min(amount, refunded + amount * share // 4)
            for _ in range(2):  # the second delivery of the same refund changes nothing
                run(lambda s: s.claw_back(self._payment(pid, shops[0], amount, total), utcnow()))
            # The refund's id is its running total here: the same total again is a replay
            # (also of a refund that fell short, after new earnings: it takes nothing more).
            if total == refunded:
                return
            wanted = earned * total // amount - self.clawed.get(pid, 0) - self.forgiven.get(pid, 0)
            take = max(0, min(wanted, self.balance))
            # What was spent already is forgiven, never taken from later earnings.
            self.forgiven[pid] = self.forgiven.get(pid, 0) + max(wanted, 0) - take
            self.clawed[pid] = self.clawed.get(pid, 0) + take
            self.balance -= take
            self.payments[pid] = (amount, earned, total)

        @rule()
        def expire_everything(self) -> None:
            later = utcnow() + timedelta(days=loyalty.points_valid_days + 1)
            loop.run_until_complete(ExpiryService(sessions, loyalty, LogNotifier()).run(later))
            self.balance, self.held, self.holds = 0, 0, {}

        @invariant()
        def ledger_holds(self) -> None:
            async def check():  # type: ignore[no-untyped-def]
                async with sessions() as session:
                    report = await LedgerAudit(session).run()
                    mine = await LoyaltyRepository(session).wallet_balances(self.wallet)
                    return report, mine

            report, mine = loop.run_until_complete(check())
            assert report.ok, report
            assert mine == (self.balance, self.held)

    try:
        run_state_machine_as_test(
            Ledger,
            settings=hypothesis_settings(
                max_examples=12 if backend == "postgres" else 15,
                stateful_step_count=12,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    finally:
        loop.run_until_complete(engine.dispose())
        loop.close()
