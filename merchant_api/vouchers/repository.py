"""All SQL about voucher offers and vouchers.

Every state change is a conditional UPDATE that names the state it expects, so of two racing
requests exactly one changes the row and the other learns it lost (rowcount 0).
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.vouchers.models import Voucher, VoucherOffer, VoucherStatus

# Vouchers that still count against a consumer's per-offer limit.
_HELD = (VoucherStatus.pending_payment, VoucherStatus.active, VoucherStatus.redeemed)


class VoucherRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, item: Voucher | VoucherOffer) -> None:
        self.session.add(item)

    async def flush(self) -> None:
        await self.session.flush()

    async def get_offer(self, offer_id: uuid.UUID, *, lock: bool = False) -> VoucherOffer | None:
        query = sa.select(VoucherOffer).where(VoucherOffer.id == offer_id)
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query.execution_options(populate_existing=True))

    async def offers_of_shop(
        self, shop_id: uuid.UUID, on_sale_at: datetime | None
    ) -> list[VoucherOffer]:
        """The shop's offers, newest first; with `on_sale_at` only those on sale then."""
        query = sa.select(VoucherOffer).where(VoucherOffer.shop_id == shop_id)
        if on_sale_at is not None:
            query = query.where(
                VoucherOffer.is_active.is_(True),
                VoucherOffer.valid_from <= on_sale_at,
                VoucherOffer.valid_until > on_sale_at,
            )
        rows = await self.session.scalars(
            query.order_by(VoucherOffer.created_at.desc(), VoucherOffer.id)
        )
        return list(rows)

    async def take_unit(self, offer_id: uuid.UUID, now: datetime) -> bool:
        """Count one more sold, only while the offer is on sale and below its limit.

        The row lock this UPDATE takes also queues concurrent buyers of the offer, so the
        per-consumer count read after it sees every committed purchase.
        """
        result = await self.session.execute(
            sa.update(VoucherOffer)
            .where(
                VoucherOffer.id == offer_id,
                VoucherOffer.is_active.is_(True),
                VoucherOffer.valid_from <= now,
                VoucherOffer.valid_until > now,
                sa.or_(
                    VoucherOffer.quantity_limit.is_(None),
                    VoucherOffer.sold_count < VoucherOffer.quantity_limit,
                ),
            )
            .values(sold_count=VoucherOffer.sold_count + 1)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def return_unit(self, offer_id: uuid.UUID) -> None:
        await self.session.execute(
            sa.update(VoucherOffer)
            .where(VoucherOffer.id == offer_id, VoucherOffer.sold_count > 0)
            .values(sold_count=VoucherOffer.sold_count - 1)
            .execution_options(synchronize_session=False)
        )

    async def expire_unpaid(self, bought_before: datetime, now: datetime, limit: int) -> int:
        """Expire up to `limit` vouchers still pending payment that were bought before
        `bought_before`, and put their units back on sale; returns how many.

        The conditional UPDATE (status still pending) is what makes a payment racing the
        expiry win or lose cleanly: whichever moves the voucher first, the other finds nothing.
        """
        oldest = (
            sa.select(Voucher.id)
            .where(
                Voucher.status == VoucherStatus.pending_payment.value,
                Voucher.purchased_at < bought_before,
            )
            .order_by(Voucher.purchased_at)
            .limit(limit)
            .scalar_subquery()
        )
        result = await self.session.execute(
            sa.update(Voucher)
            .where(Voucher.id.in_(oldest), Voucher.status == VoucherStatus.pending_payment.value)
            .values(status=VoucherStatus.expired.value, updated_at=now)
            .returning(Voucher.offer_id)
            .execution_options(synchronize_session=False)
        )
        freed = Counter(result.scalars())
        # Offers in id order, so two runs never lock them in opposite orders.
        for offer_id in sorted(freed, key=str):
            await self.session.execute(
                sa.update(VoucherOffer)
                .where(VoucherOffer.id == offer_id)
                .values(
                    sold_count=sa.case(
                        (
                            VoucherOffer.sold_count >= freed[offer_id],
                            VoucherOffer.sold_count - freed[offer_id],
                        ),
                        else_=0,
                    )
                )
                .execution_options(synchronize_session=False)
            )
        return sum(freed.values())

    async def held_by(self, offer_id: uuid.UUID, account_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            sa.select(sa.func.count())
            .select_from(Voucher)
            .where(
                Voucher.offer_id == offer_id,
                Voucher.consumer_account_id == account_id,
                Voucher.status.in_([status.value for status in _HELD]),
            )
        )
        return int(count or 0)

    async def get(self, voucher_id: uuid.UUID) -> Voucher | None:
        return await self.session.get(Voucher, voucher_id, populate_existing=True)

    async def find_in_shop(self, shop_id: uuid.UUID, code: str) -> Voucher | None:
        return await self.session.scalar(
            sa.select(Voucher)
            .where(Voucher.shop_id == shop_id, Voucher.code == code)
            .execution_options(populate_existing=True)
        )

    async def move(
        self,
        voucher_id: uuid.UUID,
        expected: VoucherStatus,
        values: dict[str, object],
        *,
        valid_at: datetime | None = None,
        not_expired_at: datetime | None = None,
    ) -> bool:
        """Change the voucher only if it is still in `expected` (and, when given, valid at
        `valid_at` / not expired at `not_expired_at`)."""
        query = sa.update(Voucher).where(Voucher.id == voucher_id, Voucher.status == expected)
        if valid_at is not None:
            query = query.where(Voucher.valid_from <= valid_at, Voucher.valid_until > valid_at)
        if not_expired_at is not None:
            query = query.where(Voucher.valid_until > not_expired_at)
        result = await self.session.execute(
            query.values(**values).execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def list_for_consumer(
        self, account_id: uuid.UUID, limit: int, offset: int
    ) -> list[tuple[Voucher, VoucherOffer]]:
        rows = await self.session.execute(
            sa.select(Voucher, VoucherOffer)
            .join(VoucherOffer, VoucherOffer.id == Voucher.offer_id)
            .where(Voucher.consumer_account_id == account_id)
            .order_by(Voucher.purchased_at.desc(), Voucher.id)
            .limit(limit)
            .offset(offset)
        )
        return [(voucher, offer) for voucher, offer in rows.all()]

    async def list_for_shop(
        self, shop_id: uuid.UUID, status: str | None, limit: int, offset: int
    ) -> list[tuple[Voucher, VoucherOffer]]:
        query = (
            sa.select(Voucher, VoucherOffer)
            .join(VoucherOffer, VoucherOffer.id == Voucher.offer_id)
            .where(Voucher.shop_id == shop_id)
        )
        if status:
            query = query.where(Voucher.status == status)
        # Used vouchers newest use first (what the counter just did); others newest sale first.
        newest = (
            Voucher.redeemed_at if status == VoucherStatus.redeemed.value else Voucher.purchased_at
        )
        rows = await self.session.execute(
            query.order_by(newest.desc(), Voucher.id).limit(limit).offset(offset)
        )
        return [(voucher, offer) for voucher, offer in rows.all()]
