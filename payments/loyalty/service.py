"""Earning from payments and claw-back on refunds; redemption is RedemptionService's.

Every ledger change carries an idempotency key derived from what caused it (the payment, the
refund, the hold), so a replayed event or a retried request finds its transaction and stops.
Services never commit: the request or the outbox delivery does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from infra.logging import get_logger
from payments.loyalty.bonuses import award_rallies, listing_bonuses
from payments.loyalty.context_repository import earn_context
from payments.loyalty.early_refunds import EarlyRefundRepository
from payments.loyalty.earning import EarnInputs, earn_lines
from payments.loyalty.ledger import PROGRAMME, REPLAYED, Account, Line, funder_ref, wallet_account
from payments.loyalty.models import AccountKind, Reason, WalletStatus
from payments.loyalty.redemption import (
    TAIPEI,
    RedemptionService,
    points_by_funder,
    taipei_day_start,
)

__all__ = ["TAIPEI", "LoyaltyService", "Payment", "taipei_day_start"]
log = get_logger("onestreet.loyalty")


@dataclass(frozen=True, slots=True)
class Payment:
    """What a payment.succeeded / payment.refunded event tells loyalty."""

    payment_id: uuid.UUID
    shop_id: uuid.UUID
    amount_captured: int
    amount_refunded: int
    refund_id: str | None
    consumer_id: uuid.UUID | None
    wallet_id: uuid.UUID | None
    paid_at: datetime
    order_id: uuid.UUID | None = None  # for listing bonuses, when the payment is for an order


class LoyaltyService(RedemptionService):
    """Wallets, earning and claw-back, plus hold / capture / release (inherited)."""

    # Wallets -----------------------------------------------------------------------------

    async def wallet_for(self, consumer_id: uuid.UUID, now: datetime) -> uuid.UUID:
        existing = await self.repo.wallet_of_account(consumer_id)
        if existing is not None:
            # A merged wallet's owner carries on with the wallet it was merged into.
            return existing.merged_into_id or existing.id
        return await self.repo.create_wallet(consumer_id, now)

    async def _payment_wallet(self, payment: Payment, now: datetime) -> uuid.UUID | None:
        if payment.wallet_id is not None:
            wallet = await self.repo.wallet(payment.wallet_id)
            return wallet.id if wallet and wallet.status == WalletStatus.active.value else None
        if payment.consumer_id is not None:
            return await self.wallet_for(payment.consumer_id, now)
        return None

    # Earning -----------------------------------------------------------------------------

    async def earn_from_payment(self, payment: Payment, now: datetime) -> int:
        """Points for a succeeded payment, exactly once per payment; returns points earned.

        The hot path: the shop from the directory, then one read of everything else
        (`earn_context`), then the post, whose transaction insert finds a replay. Where the
        database has a function for these steps (PostgreSQL), one call of it instead."""
        if payment.wallet_id is not None:
            wallet_id = payment.wallet_id  # its status comes with the context
        elif payment.consumer_id is not None:
            wallet_id = await self.wallet_for(payment.consumer_id, now)
        else:
            return 0
        if self.functions is not None:
            return await self._earn_in_database(payment, wallet_id, now)
        merchant = await self.directory.describe(self.session, payment.shop_id)
        if merchant is None or not merchant.active:
            log.info("loyalty_earn_skipped_shop", shop_id=str(payment.shop_id))
            return 0
        # The funders almost every earn posts to: their accounts need no INSERT once they exist.
        usual_funders = {
            Account(AccountKind.shop_funded, payment.shop_id),
            Account(AccountKind.pool_programme, PROGRAMME),
        }
        if merchant.street_id is not None:
            usual_funders.add(Account(AccountKind.pool_street, merchant.street_id))
        context = await earn_context(
            self.session,
            wallet_id,
            payment.shop_id,
            merchant.street_id,
            merchant.category,
            payment.paid_at,
            taipei_day_start(payment.paid_at),
            sorted(funder.id for funder in usual_funders),
        )
        if context.wallet_status != WalletStatus.active.value:
            return 0
        lines = earn_lines(
            EarnInputs(
                amount_minor=payment.amount_captured,
                shop_id=payment.shop_id,
                street_id=merchant.street_id,
                minor_per_point=context.minor_per_point or self.settings.default_minor_per_point,
                funded_by=context.funded_by or "shop",
                campaign_id=context.campaign_id,
                campaign_multiplier_pct=context.campaign_multiplier_pct,
                first_visit=not context.visited,
                first_visit_bonus=self.settings.first_visit_bonus,
                cap_left=self.settings.daily_earn_cap - context.earned_today,
                category_multiplier_pct=context.category_multiplier_pct,
                listing_bonuses=await listing_bonuses(
                    self.session, self.directory, payment.order_id, payment.amount_captured
                ),
            )
        )
        total = sum(points for _funder, points in lines)
        if total == 0:
            return 0
        await self.ledger.ensure_accounts(
            [f for f, _points in lines if f.id not in context.existing_funders]
        )
        transaction_id = await self.ledger.post(
            key=f"earn:{payment.payment_id}",
            reason=Reason.earn.value,
            lines=[Line(wallet_account(wallet_id), total)]
            + [Line(funder, -points) for funder, points in lines],
            now=now,
            wallet_id=wallet_id,
            shop_id=payment.shop_id,
            reference_id=payment.payment_id,
            amount_minor=payment.amount_captured,
            new_only=True,
        )
        if transaction_id == REPLAYED:
            return 0
        expires_at = payment.paid_at + timedelta(days=self.settings.points_valid_days)
        await self.ledger.add_lots(wallet_id, transaction_id, lines, payment.paid_at, expires_at)
        await self._claw_back_early_refunds(payment, wallet_id, now)
        if not context.rally_running:
            return total
        return total + await self._stamp_rallies(payment, wallet_id, merchant.street_id, now)

    async def _earn_in_database(self, payment: Payment, wallet_id: uuid.UUID, now: datetime) -> int:
        """The same earn as above, in one call of the database's function (PostgreSQL)."""
        assert self.functions is not None
        earned, rally_running, street_id, refunds_waiting = await self.functions.earn(
            payment_id=payment.payment_id,
            wallet_id=wallet_id,
            shop_id=payment.shop_id,
            amount_minor=payment.amount_captured,
            paid_at=payment.paid_at,
            day_start=taipei_day_start(payment.paid_at),
            now=now,
            expires_at=payment.paid_at + timedelta(days=self.settings.points_valid_days),
            default_minor_per_point=self.settings.default_minor_per_point,
            first_visit_bonus=self.settings.first_visit_bonus,
            daily_cap=self.settings.daily_earn_cap,
            listing_bonuses=await listing_bonuses(
                self.session, self.directory, payment.order_id, payment.amount_captured
            ),
        )
        if refunds_waiting:
            await self._claw_back_early_refunds(payment, wallet_id, now)
        if earned == 0 or not rally_running:
            return earned
        return earned + await self._stamp_rallies(payment, wallet_id, street_id, now)

    async def _stamp_rallies(
        self, payment: Payment, wallet_id: uuid.UUID, street_id: uuid.UUID | None, now: datetime
    ) -> int:
        """A visit counts towards a stamp rally only when it earned points; the bonus of each
        rally it completes."""
        return await award_rallies(
            self.session,
            wallet_id,
            payment.shop_id,
            street_id,
            payment.paid_at,
            self.settings.points_valid_days,
            now,
        )

    async def _claw_back_early_refunds(
        self, payment: Payment, wallet_id: uuid.UUID, now: datetime
    ) -> None:
        """Refunds of this payment delivered before it (claw_back keeps them waiting), taken
        back now that there is something to take, each under its own claw-back key."""
        early_refunds = EarlyRefundRepository(self.session)
        for refund in await early_refunds.waiting(payment.payment_id):
            await self.claw_back(
                replace(
                    payment,
                    amount_captured=refund.amount_captured,
                    amount_refunded=refund.amount_refunded,
                    refund_id=refund.refund_id,
                    wallet_id=wallet_id,
                ),
                now,
            )
            await early_refunds.mark_applied(refund.id, now)

    async def claw_back(self, payment: Payment, now: datetime) -> int:
        """Take back earned points in proportion to the money refunded so far.

        Points the consumer already spent cannot come back: that shortfall is forgiven (stays
        with the funder) and recorded under the refund's key, so neither this refund delivered
        again nor a later refund of the payment takes it out of points earned since."""
        key = f"clawback:{payment.payment_id}:{payment.refund_id or payment.amount_refunded}"
        if payment.amount_captured <= 0 or await self.repo.clawback_recorded(key):
            return 0
        wallet_id = await self._payment_wallet(payment, now)
        if wallet_id is None:
            return 0
        earned = await self.repo.wallet_amount_of(wallet_id, f"earn:{payment.payment_id}")
        if earned is None:
            # Under the wallet's lock, which every earn posts under: an earn of this payment
            # running now has finished, and one still to come finds this refund waiting.
            await self.ledger.lock_wallet(wallet_id)
            earned = await self.repo.wallet_amount_of(wallet_id, f"earn:{payment.payment_id}")
        if earned is None:
            await EarlyRefundRepository(self.session).record(
                key,
                payment.payment_id,
                wallet_id,
                payment.refund_id,
                payment.amount_captured,
                payment.amount_refunded,
                now,
            )
            return 0
        earn_transaction, points_earned = earned
        balance = await self.ledger.lock_wallet(wallet_id)
        # Again under the wallet's lock: a concurrent delivery of this refund has finished.
        if await self.repo.clawback_recorded(key):
            return 0
        refunded = min(payment.amount_refunded, payment.amount_captured)
        target = points_earned * refunded // payment.amount_captured
        wanted = (
            target
            - await self.repo.clawed_back(wallet_id, payment.payment_id)
            - await self.repo.forgiven(payment.payment_id)
        )
        take = max(0, min(wanted, balance))
        if take < wanted or take == 0:
            # take == 0 posts nothing: this row alone makes a redelivery a no-op.
            await self.repo.record_shortfall(
                key, payment.payment_id, wallet_id, max(wanted, 0) - take, now
            )
        if take == 0:
            return 0
        # Lot uses are recorded for holds only; a claw-back just empties lots.
        taken = await self.ledger.take_from_lots(
            wallet_id, take, None, prefer_transaction=earn_transaction
        )
        await self.ledger.post(
            key=key,
            reason=Reason.clawback.value,
            lines=[Line(wallet_account(wallet_id), -take), *_funder_lines(taken, sign=1)],
            now=now,
            wallet_id=wallet_id,
            shop_id=payment.shop_id,
            reference_id=payment.payment_id,
        )
        return take


def _funder_lines(taken: list[tuple[uuid.UUID, int]], sign: int) -> list[Line]:
    return [
        Line(funder_ref(funder), sign * points)
        for funder, points in sorted(points_by_funder(taken).items())
    ]
