"""Demo points consistent with the seeded payments: earned from each succeeded payment of a
member (the demo consumer, and anonymous member cards shown at some walk-in payments), clawed
back for refunds, spent now and then at shops on other streets, and last month settled and
closed by the real settlement service.

Thousands of service calls would take minutes on SQLite, so the ledger is computed here in
memory with the service's own earn calculation (payments.loyalty.earning) and written with bulk
INSERTs; the result obeys the same invariants (the tests audit a seeded database). Deterministic;
no outbox events: this is history, not news. The bonus rules and stamp rally the demo shows are
defined through the services, taking effect from the moment of seeding.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from infra.bootstrap.seed_data import DEMO_SHOP_SLUG
from infra.db import utcnow
from infra.settings import LoyaltySettings
from merchant_api.catalog.models import Listing
from merchant_api.shops.models import Shop, ShopStatus
from merchant_api.shops.payment_directory import ShopMerchantDirectory
from payments.intents.models import PaymentIntent
from payments.loyalty.bonuses import BonusRulesService
from payments.loyalty.earning import EarnInputs, earn_lines
from payments.loyalty.ledger import Account, LedgerRepository, held_account, wallet_account
from payments.loyalty.models import (
    AccountKind,
    LoyaltyAccount,
    LoyaltyCampaign,
    LoyaltyEntry,
    LoyaltyHold,
    LoyaltyLot,
    LoyaltyLotUse,
    LoyaltyTransaction,
    LoyaltyWallet,
)
from payments.loyalty.repository import new_card_number
from payments.loyalty.service import taipei_day_start
from payments.loyalty.settlement import SettlementService, previous_period

CARDS = 24
CARD_SHARE = 0.15  # walk-in app payments where a member card was shown
SPEND_CHANCE = 0.12  # after an earning, how often the member spends points soon after
CHUNK = 5000


@dataclass
class _Lot:
    id: uuid.UUID
    funder: uuid.UUID
    transaction: uuid.UUID
    expires_at: datetime
    remaining: int


@dataclass
class _Wallet:
    id: uuid.UUID
    balance: int = 0
    lots: list[_Lot] = field(default_factory=list)
    shops: set[uuid.UUID] = field(default_factory=set)
    earned_on: dict[datetime, int] = field(default_factory=lambda: defaultdict(int))


class _Ledger:
    """Rows to insert, built the way the services would write them."""

    def __init__(self, rng: random.Random, settings: LoyaltySettings) -> None:
        self.rng = rng
        self.settings = settings
        self.accounts: dict[uuid.UUID, Account] = {}
        self.rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def post(
        self,
        key: str,
        reason: str,
        lines: list[tuple[Account, int, uuid.UUID | None]],
        at: datetime,
        **extra: Any,
    ) -> uuid.UUID:
        assert sum(amount for _a, amount, _f in lines) == 0
        tx = self.uuid()
        self.rows[LoyaltyTransaction].append(
            {
                "id": tx,
                "idempotency_key": key,
                "reason": reason,
                "occurred_at": at,
                "wallet_id": extra.get("wallet_id"),
                "shop_id": extra.get("shop_id"),
                "reference_id": extra.get("reference_id"),
                "reverses_id": None,
                "amount_minor": extra.get("amount_minor"),
            }
        )
        for account, amount, funded_by in lines:
            self.accounts[account.id] = account
            self.rows[LoyaltyEntry].append(
                {
                    "id": self.uuid(),
                    "transaction_id": tx,
                    "account_id": account.id,
                    "amount": amount,
                    "funded_by": funded_by,
                }
            )
        return tx

    def take(
        self,
        wallet: _Wallet,
        points: int,
        prefer: uuid.UUID | None = None,
        hold_tx: uuid.UUID | None = None,
    ) -> dict[uuid.UUID, int]:
        """FIFO by expiry (the lots of `prefer` first); points per funder account id."""
        order = sorted(wallet.lots, key=lambda lot: (lot.transaction != prefer, lot.expires_at))
        taken: dict[uuid.UUID, int] = defaultdict(int)
        for lot in order:
            if points == 0:
                break
            part = min(points, lot.remaining)
            if part:
                lot.remaining -= part
                points -= part
                taken[lot.funder] += part
                if hold_tx:
                    self.rows[LoyaltyLotUse].append(
                        {
                            "id": self.uuid(),
                            "lot_id": lot.id,
                            "transaction_id": hold_tx,
                            "points": part,
                        }
                    )
        assert points == 0
        return taken


async def seed_loyalty(session: AsyncSession, seed_number: int, settings: LoyaltySettings) -> str:
    """Seed wallets, points and one closed settlement period; returns a progress line."""
    await session.flush()
    rng = random.Random(f"loyalty:{seed_number}")
    payments = (
        await session.execute(
            sa.select(
                PaymentIntent.id,
                PaymentIntent.shop_id,
                PaymentIntent.amount_captured,
                PaymentIntent.amount_refunded,
                PaymentIntent.consumer_id,
                PaymentIntent.succeeded_at,
                PaymentIntent.state_changed_at,
            )
            .where(PaymentIntent.succeeded_at.is_not(None))
            .order_by(PaymentIntent.succeeded_at, PaymentIntent.id)
        )
    ).all()
    if not payments:
        return "No payments: no loyalty points seeded"
    shops = {
        sid: (street, status)
        for sid, street, status in await session.execute(
            sa.select(Shop.id, Shop.street_id, Shop.status)
        )
    }
    ledger = _Ledger(rng, settings)
    start = payments[0].succeeded_at - timedelta(days=1)
    campaign = _campaign(ledger, shops, start)
    wallets: dict[uuid.UUID | None, _Wallet] = {}
    cards = [_Wallet(ledger.uuid()) for _ in range(CARDS)]
    for card in cards:
        ledger.rows[LoyaltyWallet].append(_wallet_row(card.id, None, start))
    earned = spent = clawed = 0
    card_of: dict[uuid.UUID, uuid.UUID] = {}
    for p in payments:
        street, status = shops.get(p.shop_id, (None, "suspended"))
        if p.consumer_id is not None:
            if p.consumer_id not in wallets:
                wallets[p.consumer_id] = _Wallet(ledger.uuid())
                ledger.rows[LoyaltyWallet].append(
                    _wallet_row(wallets[p.consumer_id].id, p.consumer_id, p.succeeded_at)
                )
            wallet = wallets[p.consumer_id]
        elif rng.random() < CARD_SHARE:
            wallet = rng.choice(cards)
            card_of[p.id] = wallet.id
        else:
            continue
        if status == "suspended":
            continue
        at = p.succeeded_at
        day = taipei_day_start(at)
        active = (
            campaign
            if campaign["starts_at"] <= at < campaign["ends_at"]
            and (campaign["street_id"] == street)
            else None
        )
        lines = earn_lines(
            EarnInputs(
                amount_minor=p.amount_captured,
                shop_id=p.shop_id,
                street_id=street,
                minor_per_point=settings.default_minor_per_point,
                funded_by="shop",
                campaign_id=active["id"] if active else None,
                campaign_multiplier_pct=active["multiplier_pct"] if active else 100,
                first_visit=p.shop_id not in wallet.shops,
                first_visit_bonus=settings.first_visit_bonus,
                cap_left=settings.daily_earn_cap - wallet.earned_on[day],
            )
        )
        total = sum(points for _f, points in lines)
        if total == 0:
            continue
        wallet.shops.add(p.shop_id)
        wallet.earned_on[day] += total
        tx = ledger.post(
            f"earn:{p.id}",
            "earn",
            [(wallet_account(wallet.id), total, None)]
            + [(funder, -points, None) for funder, points in lines],
            at,
            wallet_id=wallet.id,
            shop_id=p.shop_id,
            reference_id=p.id,
            amount_minor=p.amount_captured,
        )
        expires = at + timedelta(days=settings.points_valid_days)
        for funder, points in lines:
            lot = _Lot(ledger.uuid(), funder.id, tx, expires, points)
            wallet.lots.append(lot)
            ledger.rows[LoyaltyLot].append(
                {
                    "id": lot.id,
                    "wallet_id": wallet.id,
                    "funder_account_id": funder.id,
                    "transaction_id": tx,
                    "points": points,
                    "remaining": points,
                    "earned_at": at,
                    "expires_at": expires,
                    "notified_at": None,
                }
            )
        wallet.balance += total
        earned += total
        if p.amount_refunded:
            take = min(
                total * min(p.amount_refunded, p.amount_captured) // p.amount_captured,
                wallet.balance,
            )
            if take > 0:
                taken = ledger.take(wallet, take, prefer=tx)
                ledger.post(
                    f"clawback:{p.id}:seed",
                    "clawback",
                    [(wallet_account(wallet.id), -take, None)]
                    + [(ledger.accounts[f], n, None) for f, n in sorted(taken.items())],
                    p.state_changed_at,
                    wallet_id=wallet.id,
                    shop_id=p.shop_id,
                    reference_id=p.id,
                )
                wallet.balance -= take
                clawed += take
        when = at + timedelta(hours=rng.randint(2, 30))
        if rng.random() < SPEND_CHANCE and wallet.balance >= 20 and when < utcnow():
            others = sorted(
                (s for s, (st, stat) in shops.items() if st != street and stat != "suspended"),
                key=str,
            )
            if others:
                spent += _spend(
                    ledger,
                    wallet,
                    rng.choice(others),
                    rng.randint(10, min(wallet.balance, 200)),
                    when,
                )
    await _write(session, ledger, wallets, cards, card_of)
    period = previous_period(utcnow())
    await SettlementService(session, settings.point_value_minor).settle(period, utcnow())
    rules = await _rules(session, rng, shops)
    return (
        f"Added loyalty: {len(wallets) + CARDS} wallets, {earned} points earned, {spent} "
        f"spent across streets, {clawed} clawed back; settlement {period} closed; {rules}"
    )


def _spend(ledger: _Ledger, wallet: _Wallet, shop: uuid.UUID, points: int, at: datetime) -> int:
    hold_id = ledger.uuid()
    hold_tx = ledger.post(
        f"hold:{hold_id}",
        "hold",
        [(wallet_account(wallet.id), -points, None), (held_account(wallet.id), points, None)],
        at,
        wallet_id=wallet.id,
        shop_id=shop,
        reference_id=hold_id,
    )
    taken = ledger.take(wallet, points, hold_tx=hold_tx)
    accepted = Account(AccountKind.shop_accepted, shop)
    ledger.post(
        f"capture:{hold_id}",
        "capture",
        [(held_account(wallet.id), -points, None)]
        + [(accepted, n, f) for f, n in sorted(taken.items())],
        at,
        wallet_id=wallet.id,
        shop_id=shop,
        reference_id=hold_id,
    )
    ledger.rows[LoyaltyHold].append(
        {
            "id": hold_id,
            "wallet_id": wallet.id,
            "shop_id": shop,
            "order_id": None,
            "points": points,
            "value_minor": points * ledger.settings.point_value_minor,
            "status": "captured",
            "created_at": at,
            "expires_at": at + timedelta(minutes=30),
            "finished_at": at,
        }
    )
    wallet.balance -= points
    return points


def _campaign(
    ledger: _Ledger, shops: dict[uuid.UUID, tuple[Any, str]], start: datetime
) -> dict[str, Any]:
    """A festival week on the first street, a month into the demo period, at double points."""
    street = sorted({street for street, _status in shops.values()}, key=str)[0]
    row = {
        "id": ledger.uuid(),
        "name": "豐年祭雙倍點數週",
        "street_id": street,
        "multiplier_pct": 200,
        "starts_at": start + timedelta(days=30),
        "ends_at": start + timedelta(days=37),
        "created_at": start,
    }
    ledger.rows[LoyaltyCampaign].append(row)
    return row


async def _rules(
    session: AsyncSession, rng: random.Random, shops: dict[uuid.UUID, tuple[Any, str]]
) -> str:
    """Bonus rules and a stamp rally the demo can show, defined through the services, from
    now on: the seeded history was earned without them (the campaign above is in it)."""
    now = utcnow()
    bonuses = BonusRulesService(session, ShopMerchantDirectory())
    categories = sorted(
        set(
            await session.scalars(
                sa.select(Shop.category).where(Shop.status != ShopStatus.SUSPENDED.value)
            )
        )
    )
    category = rng.choice(categories)
    await bonuses.set_category_bonus(category, 150, now)
    demo_shop = await session.scalar(sa.select(Shop.id).where(Shop.slug == DEMO_SHOP_SLUG))
    listings = list(
        await session.scalars(
            sa.select(Listing.id).where(Listing.shop_id == demo_shop).order_by(Listing.id)
        )
    )
    if demo_shop is not None and listings:
        await bonuses.set_listing_bonus(demo_shop, rng.choice(listings), 200, now)
    streets = len({street for street, _status in shops.values() if street is not None})
    counts, places = ("streets", streets) if streets >= 2 else ("shops", len(shops))
    if places >= 2:
        await bonuses.add_rally(
            "老街走透透集章" if counts == "streets" else "商圈集章",
            counts,
            min(3, places),
            100,
            now,
            now + timedelta(days=30),
        )
    return f"bonus on {category}, a listing bonus at the demo shop, a {counts} stamp rally"


def _wallet_row(wallet_id: uuid.UUID, account_id: uuid.UUID | None, at: datetime) -> dict[str, Any]:
    return {
        "id": wallet_id,
        "card_number": new_card_number(),
        "account_id": account_id,
        "phone": None,
        "phone_verified_at": None,
        "status": "active",
        "merged_into_id": None,
        "created_at": at,
    }


async def _write(
    session: AsyncSession,
    ledger: _Ledger,
    wallets: dict[Any, _Wallet],
    cards: list[_Wallet],
    card_of: dict[uuid.UUID, uuid.UUID],
) -> None:
    everyone = [*wallets.values(), *cards]
    for wallet in everyone:
        for account in (wallet_account(wallet.id), held_account(wallet.id)):
            ledger.accounts[account.id] = account
    await LedgerRepository(session).ensure_accounts(ledger.accounts.values())
    lots_left = {lot.id: lot.remaining for w in everyone for lot in w.lots}
    for row in ledger.rows[LoyaltyLot]:
        row["remaining"] = lots_left[row["id"]]
    for model in (
        LoyaltyWallet,
        LoyaltyCampaign,
        LoyaltyTransaction,
        LoyaltyEntry,
        LoyaltyLot,
        LoyaltyLotUse,
        LoyaltyHold,
    ):
        rows = ledger.rows[model]
        for i in range(0, len(rows), CHUNK):
            await session.execute(sa.insert(model.__table__), rows[i : i + CHUNK])
    # Core executemany UPDATEs: the ORM's per-statement bookkeeping costs ~10 ms a row here.
    accounts = LoyaltyAccount.__table__
    balances = [
        {"account": wallet_account(w.id).id, "balance": w.balance} for w in everyone if w.balance
    ]
    if balances:
        await session.execute(
            sa.update(accounts)
            .where(accounts.c.id == sa.bindparam("account"))
            .values(balance=sa.bindparam("balance")),
            balances,
        )
    intents = PaymentIntent.__table__
    shown = [{"payment": p, "wallet": w} for p, w in card_of.items()]
    if shown:
        await session.execute(
            sa.update(intents)
            .where(intents.c.id == sa.bindparam("payment"))
            .values(loyalty_wallet_id=sa.bindparam("wallet")),
            shown,
        )
