"""Earning from payments, claw-back on refunds, and redemption by hold / capture / release.

Every ledger change carries an idempotency key derived from what caused it (the payment, the
refund, the hold), so a replayed event or a retried request finds its transaction and stops.
Services never commit: the request or the outbox delivery does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from infra.logging import get_logger
from infra.settings import LoyaltySettings
from payments.loyalty.earning import EarnInputs, earn_lines
from payments.loyalty.errors import (
    HoldExpired,
    HoldFinished,
    HoldNotFound,
    ShopNotAccepting,
    VelocityLimited,
    WalletNotFound,
    problem,
)
from payments.loyalty.ledger import (
    Account,
    LedgerRepository,
    Line,
    funder_ref,
    held_account,
    wallet_account,
)
from payments.loyalty.models import AccountKind, HoldStatus, LoyaltyHold, Reason, WalletStatus
from payments.loyalty.repository import LoyaltyRepository
from payments.merchants import EmptyMerchantDirectory, MerchantDirectory

log = get_logger("onestreet.loyalty")
TAIPEI = ZoneInfo("Asia/Taipei")


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


def taipei_day_start(now: datetime) -> datetime:
    local = now.astimezone(TAIPEI)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


class LoyaltyService:
    def __init__(
        self,
        session: AsyncSession,
        settings: LoyaltySettings,
        directory: MerchantDirectory | None = None,
    ) -> None:
        self.session = session
        self.settings = settings
        self.directory = directory or EmptyMerchantDirectory()
        self.ledger = LedgerRepository(session)
        self.repo = LoyaltyRepository(session)

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
        """Points for a succeeded payment, exactly once per payment; returns points earned."""
        key = f"earn:{payment.payment_id}"
        if await self.ledger.key_exists(key):
            return 0
        wallet_id = await self._payment_wallet(payment, now)
        if wallet_id is None:
            return 0
        merchant = await self.directory.describe(self.session, payment.shop_id)
        if merchant is None or not merchant.active:
            log.info("loyalty_earn_skipped_shop", shop_id=str(payment.shop_id))
            return 0
        rule = await self.repo.earn_rule(payment.shop_id)
        campaign = await self.repo.best_campaign(merchant.street_id, payment.paid_at)
        earned_today, visited = await self.repo.earning_so_far(
            wallet_id, payment.shop_id, taipei_day_start(payment.paid_at)
        )
        lines = earn_lines(
            EarnInputs(
                amount_minor=payment.amount_captured,
                shop_id=payment.shop_id,
                street_id=merchant.street_id,
                minor_per_point=rule.minor_per_point
                if rule
                else self.settings.default_minor_per_point,
                funded_by=rule.funded_by if rule else "shop",
                campaign_id=campaign.id if campaign else None,
                campaign_multiplier_pct=campaign.multiplier_pct if campaign else 100,
                first_visit=not visited,
                first_visit_bonus=self.settings.first_visit_bonus,
                cap_left=self.settings.daily_earn_cap - earned_today,
            )
        )
        total = sum(points for _funder, points in lines)
        if total == 0:
            return 0
        await self.ledger.ensure_accounts([funder for funder, _points in lines])
        transaction_id = await self.ledger.post(
            key=key,
            reason=Reason.earn.value,
            lines=[Line(wallet_account(wallet_id), total)]
            + [Line(funder, -points) for funder, points in lines],
            now=now,
            wallet_id=wallet_id,
            shop_id=payment.shop_id,
            reference_id=payment.payment_id,
            amount_minor=payment.amount_captured,
        )
        expires_at = payment.paid_at + timedelta(days=self.settings.points_valid_days)
        await self.ledger.add_lots(wallet_id, transaction_id, lines, payment.paid_at, expires_at)
        return total

    async def claw_back(self, payment: Payment, now: datetime) -> int:
        """Take back earned points in proportion to the money refunded so far."""
        key = f"clawback:{payment.payment_id}:{payment.refund_id or payment.amount_refunded}"
        if await self.ledger.key_exists(key) or payment.amount_captured <= 0:
            return 0
        wallet_id = await self._payment_wallet(payment, now)
        if wallet_id is None:
            return 0
        earned = await self.repo.wallet_amount_of(wallet_id, f"earn:{payment.payment_id}")
        if earned is None:
            return 0
        earn_transaction, points_earned = earned
        refunded = min(payment.amount_refunded, payment.amount_captured)
        target = points_earned * refunded // payment.amount_captured
        wanted = target - await self.repo.clawed_back(wallet_id, payment.payment_id)
        balance = await self.ledger.lock_wallet(wallet_id)
        # Points already spent cannot come back; the shortfall stays with the funder.
        take = min(wanted, balance)
        if take <= 0:
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

    # Redemption --------------------------------------------------------------------------

    async def hold(
        self,
        wallet_id: uuid.UUID,
        shop_id: uuid.UUID,
        points: int,
        order_id: uuid.UUID | None,
        now: datetime,
        *,
        capture_now: bool = False,
    ) -> LoyaltyHold:
        """Reserve points for a purchase at `shop_id`; refused if the shop does not take
        points, the wallet is not active, too many redemptions this hour, or too few points.

        `capture_now` (the counter) spends them in the same transaction, without reading
        back what was just written."""
        wallet = await self.repo.wallet(wallet_id)
        if wallet is None or wallet.status != WalletStatus.active.value:
            raise WalletNotFound("No such active wallet.", details=problem("wallet_id", "unknown"))
        merchant = await self.directory.describe(self.session, shop_id)
        if merchant is None or not merchant.active:
            raise ShopNotAccepting(
                "This shop does not take points now.", details=problem("shop_id", "not active")
            )
        recent = await self.repo.holds_since(wallet_id, now - timedelta(hours=1))
        if recent >= self.settings.redeem_max_per_hour:
            raise VelocityLimited(
                "Too many redemptions in the last hour; try again later.",
                details=problem("points", "velocity limit"),
            )
        hold_id = uuid.uuid4()
        transaction_id = await self.ledger.post(
            key=f"hold:{hold_id}",
            reason=Reason.hold.value,
            lines=[Line(wallet_account(wallet_id), -points), Line(held_account(wallet_id), points)],
            now=now,
            wallet_id=wallet_id,
            shop_id=shop_id,
            reference_id=hold_id,
        )
        taken = await self.ledger.take_from_lots(wallet_id, points, transaction_id)
        status = HoldStatus.held
        if capture_now:
            await self._post_capture(hold_id, wallet_id, shop_id, points, _by_funder(taken), now)
            status = HoldStatus.captured
        values = dict(
            id=hold_id,
            wallet_id=wallet_id,
            shop_id=shop_id,
            order_id=order_id,
            points=points,
            value_minor=points * self.settings.point_value_minor,
            status=status.value,
            created_at=now,
            expires_at=now + timedelta(minutes=self.settings.hold_minutes),
            finished_at=now if capture_now else None,
        )
        await self.repo.add_hold(**values)
        return LoyaltyHold(**values)

    async def _locked_hold(self, hold_id: uuid.UUID) -> LoyaltyHold:
        hold = await self.repo.hold_for_update(hold_id)
        if hold is None:
            raise HoldNotFound("No such hold.")
        if hold.status != HoldStatus.held.value:
            raise HoldFinished(f"The hold is already {hold.status}.")
        return hold

    async def capture(
        self, hold_id: uuid.UUID, now: datetime, *, late_ok: bool = False
    ) -> LoyaltyHold:
        """Spend held points at the hold's shop, crediting it per funder (who owes whom).

        `late_ok` is for the payment event: the consumer paid while the hold stood."""
        hold = await self._locked_hold(hold_id)
        if hold.expires_at <= now and not late_ok:
            raise HoldExpired("The hold has expired; redeem again.")
        uses = await self.ledger.lot_uses_of(await self._hold_transaction(hold))
        by_funder = _by_funder([(funder, points) for _lot, funder, points in uses])
        await self._post_capture(hold.id, hold.wallet_id, hold.shop_id, hold.points, by_funder, now)
        await self.repo.finish_hold(hold.id, HoldStatus.captured, now)
        hold.status = HoldStatus.captured.value
        return hold

    async def _post_capture(
        self,
        hold_id: uuid.UUID,
        wallet_id: uuid.UUID,
        shop_id: uuid.UUID,
        points: int,
        by_funder: dict[uuid.UUID, int],
        now: datetime,
    ) -> None:
        accepted = Account(AccountKind.shop_accepted, shop_id)
        await self.ledger.ensure_accounts([accepted])
        await self.ledger.post(
            key=f"capture:{hold_id}",
            reason=Reason.capture.value,
            lines=[
                Line(held_account(wallet_id), -points),
                *(Line(accepted, n, funded_by=f) for f, n in sorted(by_funder.items())),
            ],
            now=now,
            wallet_id=wallet_id,
            shop_id=shop_id,
            reference_id=hold_id,
        )

    async def release(self, hold_id: uuid.UUID, now: datetime) -> LoyaltyHold:
        hold = await self._locked_hold(hold_id)
        hold_transaction = await self._hold_transaction(hold)
        release_id = await self.ledger.post(
            key=f"release:{hold.id}",
            reason=Reason.release.value,
            lines=[
                Line(held_account(hold.wallet_id), -hold.points),
                Line(wallet_account(hold.wallet_id), hold.points),
            ],
            now=now,
            wallet_id=hold.wallet_id,
            shop_id=hold.shop_id,
            reference_id=hold.id,
            reverses_id=hold_transaction,
        )
        # The wallet account is locked by the post above, so its lots are ours to change.
        await self.ledger.give_back(await self.ledger.lot_uses_of(hold_transaction), release_id)
        await self.repo.finish_hold(hold.id, HoldStatus.released, now)
        hold.status = HoldStatus.released.value
        return hold

    async def _hold_transaction(self, hold: LoyaltyHold) -> uuid.UUID:
        found = await self.ledger.key_exists(f"hold:{hold.id}")
        assert found is not None, f"hold {hold.id} has no ledger transaction"
        return found

    async def redeem_now(
        self, wallet_id: uuid.UUID, shop_id: uuid.UUID, points: int, now: datetime
    ) -> LoyaltyHold:
        """At the counter: hold and capture at once."""
        return await self.hold(wallet_id, shop_id, points, None, now, capture_now=True)


def _by_funder(taken: list[tuple[uuid.UUID, int]]) -> dict[uuid.UUID, int]:
    by_funder: dict[uuid.UUID, int] = {}
    for funder, points in taken:
        by_funder[funder] = by_funder.get(funder, 0) + points
    return by_funder


def _funder_lines(taken: list[tuple[uuid.UUID, int]], sign: int) -> list[Line]:
    by_funder: dict[uuid.UUID, int] = {}
    for funder, points in taken:
        by_funder[funder] = by_funder.get(funder, 0) + points
    return [Line(funder_ref(funder), sign * points) for funder, points in sorted(by_funder.items())]
