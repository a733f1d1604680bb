"""Offering, buying, activating, redeeming and refunding vouchers. Services never commit.

Life of a voucher: pending_payment --payment.succeeded--> active --redeem--> redeemed;
active --refund--> refund_requested --payments refunds--> refunded; pending_payment
--not paid within the payment window--> expired (the unit goes back on sale). Each arrow is one
conditional UPDATE naming the state it leaves, so it happens once however many try.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.logging import get_logger
from infra.outbox import publish
from merchant_api.shops.models import ShopStatus
from merchant_api.shops.repository import ShopRepository
from merchant_api.vouchers import codes
from merchant_api.vouchers.errors import (
    VoucherAlreadyRedeemed,
    VoucherExpired,
    VoucherLimitReached,
    VoucherNotFound,
    VoucherNotPaid,
    VoucherNotRefundable,
    VoucherNotYetValid,
    VoucherOfferNotFound,
    VoucherOfferUnavailable,
    VoucherSoldOut,
)
from merchant_api.vouchers.models import Voucher, VoucherOffer, VoucherStatus
from merchant_api.vouchers.repository import VoucherRepository
from merchant_api.vouchers.validation import OfferFields, check_offer

log = get_logger("onestreet.vouchers")
S = VoucherStatus


def _event(voucher: Voucher, **extra: Any) -> dict[str, Any]:
    return {
        "voucher_id": str(voucher.id),
        "offer_id": str(voucher.offer_id),
        "shop_id": str(voucher.shop_id),
        "consumer_account_id": str(voucher.consumer_account_id)
        if voucher.consumer_account_id
        else None,
        "price_minor": voucher.price_minor,
        "face_value_minor": voucher.face_value_minor,
        "currency": voucher.currency,
        **extra,
    }


class VoucherService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.vouchers = VoucherRepository(session)

    # --- offers ---------------------------------------------------------------------------

    async def create_offer(
        self, shop_id: uuid.UUID, fields: OfferFields, now: datetime
    ) -> VoucherOffer:
        check_offer(fields)
        offer = VoucherOffer(
            id=uuid.uuid4(),
            shop_id=shop_id,
            sold_count=0,
            created_at=now,
            updated_at=now,
            currency="TWD",
            **asdict(fields),
        )
        self.vouchers.add(offer)
        await self.vouchers.flush()
        return offer

    async def update_offer(
        self, shop_id: uuid.UUID, offer_id: uuid.UUID, changes: dict[str, Any], now: datetime
    ) -> VoucherOffer:
        # Locked, so a purchase cannot slip past a quantity limit being lowered.
        offer = await self.vouchers.get_offer(offer_id, lock=True)
        if offer is None or offer.shop_id != shop_id:
            raise VoucherOfferNotFound(f"There is no voucher offer {offer_id} in this shop.")
        current = OfferFields(
            **{key: getattr(offer, key) for key in OfferFields.__dataclass_fields__}
        )
        merged = OfferFields(**{**asdict(current), **changes})
        check_offer(merged, sold=offer.sold_count)
        for key, value in changes.items():
            setattr(offer, key, value)
        offer.updated_at = now
        await self.vouchers.flush()
        return offer

    async def offers(self, shop_id: uuid.UUID, on_sale_at: datetime | None) -> list[VoucherOffer]:
        return await self.vouchers.offers_of_shop(shop_id, on_sale_at)

    # --- buying and paying ----------------------------------------------------------------

    async def purchase(
        self, offer_id: uuid.UUID, consumer_id: uuid.UUID, now: datetime
    ) -> tuple[Voucher, VoucherOffer]:
        """A pending voucher holding one unit of the offer; payments takes it from here."""
        offer = await self.vouchers.get_offer(offer_id)
        if offer is None:
            raise VoucherOfferNotFound(f"There is no voucher offer {offer_id}.")
        shop = await ShopRepository(self.session).get(offer.shop_id)
        if shop is None or shop.status != ShopStatus.ACTIVE.value or not offer.is_active:
            raise VoucherOfferUnavailable("This voucher is not on sale.")
        if now < offer.valid_from:
            raise VoucherOfferUnavailable("This voucher is not on sale yet.")
        if now >= offer.valid_until:
            raise VoucherOfferUnavailable("This voucher offer has ended.")
        if not await self.vouchers.take_unit(offer.id, now):
            raise VoucherSoldOut("This voucher is sold out.", details={"offer_id": str(offer_id)})
        if offer.per_consumer_limit is not None and (
            await self.vouchers.held_by(offer.id, consumer_id) >= offer.per_consumer_limit
        ):
            # Raising rolls the sold unit back with everything else.
            raise VoucherLimitReached(
                f"You may buy at most {offer.per_consumer_limit} of this voucher.",
                details={"per_consumer_limit": offer.per_consumer_limit},
            )
        voucher = Voucher(
            id=uuid.uuid4(),
            offer_id=offer.id,
            shop_id=offer.shop_id,
            consumer_account_id=consumer_id,
            code=codes.new_code(),
            status=S.pending_payment.value,
            price_minor=offer.price_minor,
            face_value_minor=offer.face_value_minor,
            currency=offer.currency,
            valid_from=offer.valid_from,
            valid_until=offer.valid_until,
            purchased_at=now,
            updated_at=now,
        )
        self.vouchers.add(voucher)
        await self.vouchers.flush()
        return voucher, offer

    async def activate(self, voucher_id: uuid.UUID, event_id: uuid.UUID, now: datetime) -> bool:
        """Payment arrived: pending -> active, once. False when there was nothing to do."""
        moved = await self.vouchers.move(
            voucher_id,
            S.pending_payment,
            {
                "status": S.active.value,
                "activated_at": now,
                "activated_by_event_id": event_id,
                "updated_at": now,
            },
        )
        if not moved:
            log.warning("voucher_not_activated", voucher_id=str(voucher_id), event_id=str(event_id))
            return False
        voucher = await self.vouchers.get(voucher_id)
        assert voucher is not None
        # Counted when paid: an unpaid voucher is no sale (the KPI's "first O2O voucher").
        publish(self.session, "voucher.purchased", _event(voucher), key=f"voucher:{voucher_id}")
        return True

    # --- at the counter -------------------------------------------------------------------

    async def redeem(
        self, shop_id: uuid.UUID, entered_code: str, staff_id: uuid.UUID, now: datetime
    ) -> Voucher:
        code = codes.normalise(entered_code)
        voucher = await self.vouchers.find_in_shop(shop_id, code) if code else None
        if voucher is None:
            raise VoucherNotFound("No voucher of this shop has that code.")
        moved = await self.vouchers.move(
            voucher.id,
            S.active,
            {
                "status": S.redeemed.value,
                "redeemed_at": now,
                "redeemed_by_account_id": staff_id,
                "updated_at": now,
            },
            valid_at=now,
        )
        voucher = await self.vouchers.get(voucher.id)
        assert voucher is not None
        if not moved:
            raise self._why_not_redeemable(voucher, now)
        publish(
            self.session,
            "voucher.redeemed",
            _event(voucher, redeemed_by_account_id=str(staff_id)),
            key=f"voucher:{voucher.id}",
        )
        return voucher

    @staticmethod
    def _why_not_redeemable(voucher: Voucher, now: datetime) -> Exception:
        at = {"voucher_id": str(voucher.id), "status": voucher.status}
        if voucher.status == S.redeemed:
            redeemed = voucher.redeemed_at.isoformat() if voucher.redeemed_at else None
            return VoucherAlreadyRedeemed(
                "This voucher was already used.", details={**at, "redeemed_at": redeemed}
            )
        if voucher.status == S.pending_payment:
            return VoucherNotPaid("This voucher has not been paid for yet.", details=at)
        if voucher.status in (S.refund_requested, S.refunded):
            return VoucherNotRefundable("This voucher was refunded.", details=at)
        if now >= voucher.valid_until:
            return VoucherExpired(
                "This voucher has expired.",
                details={**at, "valid_until": voucher.valid_until.isoformat()},
            )
        return VoucherNotYetValid(
            "This voucher cannot be used yet.",
            details={**at, "valid_from": voucher.valid_from.isoformat()},
        )

    # --- refunds --------------------------------------------------------------------------

    async def refund_for_consumer(
        self, voucher_id: uuid.UUID, consumer_id: uuid.UUID, now: datetime
    ) -> Voucher:
        voucher = await self.vouchers.get(voucher_id)
        if voucher is None or voucher.consumer_account_id != consumer_id:
            raise VoucherNotFound(f"You have no voucher {voucher_id}.")
        if voucher.status == S.active and now >= voucher.valid_until:
            raise VoucherExpired(
                "An expired voucher can be refunded by the shop only.",
                details={"valid_until": voucher.valid_until.isoformat()},
            )
        return await self._request_refund(voucher, "consumer", now, not_expired_at=now)

    async def refund_for_shop(
        self, shop_id: uuid.UUID, voucher_id: uuid.UUID, now: datetime
    ) -> Voucher:
        voucher = await self.vouchers.get(voucher_id)
        if voucher is None or voucher.shop_id != shop_id:
            raise VoucherNotFound(f"There is no voucher {voucher_id} in this shop.")
        return await self._request_refund(voucher, "shop", now, not_expired_at=None)

    async def _request_refund(
        self, voucher: Voucher, by: str, now: datetime, *, not_expired_at: datetime | None
    ) -> Voucher:
        moved = await self.vouchers.move(
            voucher.id,
            S.active,
            {
                "status": S.refund_requested.value,
                "refund_requested_at": now,
                "refund_requested_by": by,
                "updated_at": now,
            },
            not_expired_at=not_expired_at,
        )
        refreshed = await self.vouchers.get(voucher.id)
        assert refreshed is not None
        if not moved:
            if refreshed.status == S.redeemed:
                raise VoucherAlreadyRedeemed(
                    "A used voucher cannot be refunded.", details={"status": refreshed.status}
                )
            raise VoucherNotRefundable(
                "Only paid, unused vouchers can be refunded.", details={"status": refreshed.status}
            )
        # The unit goes back on sale; payments returns the money.
        await self.vouchers.return_unit(refreshed.offer_id)
        publish(
            self.session,
            "voucher.refund_requested",
            _event(refreshed, requested_by=by),
            key=f"voucher:{refreshed.id}",
        )
        return refreshed

    async def mark_refunded(self, voucher_id: uuid.UUID, now: datetime) -> bool:
        """Payments returned the money: refund_requested -> refunded, once."""
        return await self.vouchers.move(
            voucher_id,
            S.refund_requested,
            {"status": S.refunded.value, "refunded_at": now, "updated_at": now},
        )

    async def expire_unpaid(self, window: timedelta, now: datetime, limit: int = 1000) -> int:
        """Vouchers bought longer than `window` ago and still unpaid expire, and their units
        go back on sale (the periodic task; safe to run any number of times)."""
        expired = await self.vouchers.expire_unpaid(now - window, now, limit)
        if expired:
            log.info("unpaid_vouchers_expired", count=expired)
        return expired

    async def one_of_mine(
        self, voucher_id: uuid.UUID, consumer_id: uuid.UUID
    ) -> tuple[Voucher, VoucherOffer]:
        voucher = await self.vouchers.get(voucher_id)
        if voucher is None or voucher.consumer_account_id != consumer_id:
            raise VoucherNotFound(f"You have no voucher {voucher_id}.")
        offer = await self.vouchers.get_offer(voucher.offer_id)
        assert offer is not None
        return voucher, offer

    async def mine(
        self, consumer_id: uuid.UUID, limit: int, offset: int
    ) -> list[tuple[Voucher, VoucherOffer]]:
        return await self.vouchers.list_for_consumer(consumer_id, limit, offset)

    async def of_shop(
        self, shop_id: uuid.UUID, status: str | None, limit: int, offset: int
    ) -> list[tuple[Voucher, VoucherOffer]]:
        return await self.vouchers.list_for_shop(shop_id, status, limit, offset)
