"""Redemption by hold / capture / release: points as a payment method at any shop.

A hold takes points from spendable to held (and from the wallet's lots, first-in first-out);
capture spends them at the hold's shop, crediting it per funder (who owes whom); release gives
them back. Each step's idempotency key derives from the hold. Services never commit.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from infra.settings import LoyaltySettings
from payments.loyalty.bonuses import check_shop_limit
from payments.loyalty.context_repository import redeem_context
from payments.loyalty.errors import (
    HoldExpired,
    HoldFinished,
    HoldNotFound,
    redemption_refusal,
)
from payments.loyalty.ledger import (
    REPLAYED,
    Account,
    LedgerRepository,
    Line,
    Posting,
    check_balanced,
    held_account,
    wallet_account,
)
from payments.loyalty.ledger_functions import LedgerFunctions, functions_available
from payments.loyalty.models import AccountKind, HoldStatus, LoyaltyHold, Reason, WalletStatus
from payments.loyalty.repository import LoyaltyRepository
from payments.merchants import EmptyMerchantDirectory, MerchantDirectory

TAIPEI = ZoneInfo("Asia/Taipei")


def taipei_day_start(now: datetime) -> datetime:
    local = now.astimezone(TAIPEI)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


class RedemptionService:
    def __init__(
        self,
        session: AsyncSession,
        settings: LoyaltySettings,
        directory: MerchantDirectory | None = None,
        *,
        database_functions: bool = True,
    ) -> None:
        self.session = session
        self.settings = settings
        self.directory = directory or EmptyMerchantDirectory()
        self.ledger = LedgerRepository(session)
        self.repo = LoyaltyRepository(session)
        # The hot paths in one database call where there are functions for them (PostgreSQL);
        # False runs the Python steps everywhere (tests compare the two).
        self.functions = (
            LedgerFunctions(session)
            if database_functions and functions_available(session, self.directory)
            else None
        )

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
        hold_id = uuid.uuid4()
        values = dict(
            id=hold_id,
            wallet_id=wallet_id,
            shop_id=shop_id,
            order_id=order_id,
            points=points,
            value_minor=points * self.settings.point_value_minor,
            status=(HoldStatus.captured if capture_now else HoldStatus.held).value,
            created_at=now,
            expires_at=now + timedelta(minutes=self.settings.hold_minutes),
            finished_at=now if capture_now else None,
        )
        if capture_now and self.functions is not None:
            outcome = await self.functions.redeem_now(
                hold_id=hold_id,
                wallet_id=wallet_id,
                shop_id=shop_id,
                points=points,
                order_id=order_id,
                now=now,
                hour_ago=now - timedelta(hours=1),
                max_per_hour=self.settings.redeem_max_per_hour,
                value_minor=values["value_minor"],
                expires_at=values["expires_at"],
            )
            if outcome == "ok":
                return LoyaltyHold(**values)
            if outcome != "shop_limited":  # a shop's limits are checked below
                raise redemption_refusal(outcome)
        accepted = Account(AccountKind.shop_accepted, shop_id)
        context = await redeem_context(
            self.session, wallet_id, shop_id, now - timedelta(hours=1), accepted.id
        )
        if context.wallet_status != WalletStatus.active.value:
            raise redemption_refusal("wallet_not_found")
        merchant = await self.directory.describe(self.session, shop_id)
        if merchant is None or not merchant.active:
            raise redemption_refusal("shop_not_accepting")
        if context.holds_last_hour >= self.settings.redeem_max_per_hour:
            raise redemption_refusal("velocity_limited")
        if context.shop_limited:
            await check_shop_limit(self.session, shop_id, points, taipei_day_start(now))
        hold_lines = [
            Line(wallet_account(wallet_id), -points),
            Line(held_account(wallet_id), points),
        ]
        if capture_now:
            await self._hold_and_capture(
                hold_id,
                wallet_id,
                shop_id,
                points,
                hold_lines,
                now,
                ensure_accepting=not context.accepting_account_exists,
            )
        else:
            transaction_id = await self.ledger.post(
                key=f"hold:{hold_id}",
                reason=Reason.hold.value,
                lines=hold_lines,
                now=now,
                wallet_id=wallet_id,
                shop_id=shop_id,
                reference_id=hold_id,
            )
            await self.ledger.take_from_lots(wallet_id, points, transaction_id)
        await self.repo.add_hold(**values)
        return LoyaltyHold(**values)

    async def _hold_and_capture(
        self,
        hold_id: uuid.UUID,
        wallet_id: uuid.UUID,
        shop_id: uuid.UUID,
        points: int,
        hold_lines: list[Line],
        now: datetime,
        *,
        ensure_accepting: bool,
    ) -> None:
        """The counter: the hold and its capture as two ledger transactions written
        together. The held account's +points and -points cancel, so only the wallet's
        balance row changes (and is locked, before the lots, as the ledger's rules ask)."""
        held = Line(held_account(wallet_id), -points)
        await self.ledger.apply_to_balances([*hold_lines, held])
        accepted = Account(AccountKind.shop_accepted, shop_id)
        if ensure_accepting:
            await self.ledger.ensure_accounts([accepted])
        hold = Posting(
            uuid.uuid4(), f"hold:{hold_id}", Reason.hold.value, wallet_id, shop_id, hold_id
        )
        capture = Posting(
            uuid.uuid4(), f"capture:{hold_id}", Reason.capture.value, wallet_id, shop_id, hold_id
        )
        await self.ledger.insert_transactions([hold, capture], now)
        taken = await self.ledger.take_from_lots(wallet_id, points, hold.id)
        capture_lines = [
            held,
            *(Line(accepted, n, funded_by=f) for f, n in sorted(points_by_funder(taken).items())),
        ]
        check_balanced(Reason.hold.value, hold_lines)
        check_balanced(Reason.capture.value, capture_lines)
        await self.ledger.insert_entries(
            [(hold.id, line) for line in hold_lines]
            + [(capture.id, line) for line in capture_lines]
        )

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
        _uses, by_funder = await self._hold_lot_uses(hold)
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

    async def give_back_spent(self, hold_id: uuid.UUID, now: datetime) -> bool:
        """Points spent on an order that was then cancelled or refunded go back to the wallet
        and to the lots they came from: a transaction reversing the capture, so the shop's
        accepted points (and what its funders owe) shrink by the same amount in the period
        it happens. Once per hold; False when there was nothing (more) to give back."""
        hold = await self.repo.hold_for_update(hold_id)
        if hold is None or hold.status != HoldStatus.captured.value:
            return False
        capture_id = await self.ledger.key_exists(f"capture:{hold.id}")
        if capture_id is None:
            return False
        uses, by_funder = await self._hold_lot_uses(hold)
        accepted = Account(AccountKind.shop_accepted, hold.shop_id)
        returned_id = await self.ledger.post(
            key=f"give-back:{hold.id}",
            # A capture's reversal keeps the capture's reason: settlement nets the two.
            reason=Reason.capture.value,
            lines=[
                *(Line(accepted, -n, funded_by=f) for f, n in sorted(by_funder.items())),
                Line(wallet_account(hold.wallet_id), hold.points),
            ],
            now=now,
            wallet_id=hold.wallet_id,
            shop_id=hold.shop_id,
            reference_id=hold.id,
            reverses_id=capture_id,
            new_only=True,
        )
        if returned_id == REPLAYED:
            return False
        await self.ledger.give_back(uses, returned_id)
        return True

    async def _hold_lot_uses(
        self, hold: LoyaltyHold
    ) -> tuple[list[tuple[uuid.UUID, uuid.UUID, int]], dict[uuid.UUID, int]]:
        """The lots the hold took points from, and those points per funder."""
        uses = await self.ledger.lot_uses_of(await self._hold_transaction(hold))
        return uses, points_by_funder([(funder, points) for _lot, funder, points in uses])

    async def _hold_transaction(self, hold: LoyaltyHold) -> uuid.UUID:
        found = await self.ledger.key_exists(f"hold:{hold.id}")
        assert found is not None, f"hold {hold.id} has no ledger transaction"
        return found

    async def redeem_now(
        self,
        wallet_id: uuid.UUID,
        shop_id: uuid.UUID,
        points: int,
        now: datetime,
        *,
        order_id: uuid.UUID | None = None,
    ) -> LoyaltyHold:
        """At the counter, or a whole order paid in points: hold and capture at once."""
        return await self.hold(wallet_id, shop_id, points, order_id, now, capture_now=True)


def points_by_funder(taken: list[tuple[uuid.UUID, int]]) -> dict[uuid.UUID, int]:
    by_funder: dict[uuid.UUID, int] = {}
    for funder, points in taken:
        by_funder[funder] = by_funder.get(funder, 0) + points
    return by_funder
