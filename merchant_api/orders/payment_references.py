"""merchant_api's answer to payments' PaymentReferences: what an order or voucher costs.

payments cannot import merchant_api, so the composition root hands an instance of this class
to payments through `app.state.payment_references`.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.orders.models import Order, OrderStatus
from merchant_api.vouchers.models import Voucher, VoucherStatus
from payments.references import PayableReference, ReferenceKind

UNPAYABLE_ORDERS = frozenset({OrderStatus.cancelled.value, OrderStatus.refunded.value})


class OrderAndVoucherReferences:
    async def describe(
        self, session: AsyncSession, kind: ReferenceKind, reference_id: UUID
    ) -> PayableReference | None:
        if kind == "order":
            row = (
                await session.execute(
                    select(
                        Order.shop_id,
                        Order.total_minor,
                        Order.currency,
                        Order.consumer_account_id,
                        Order.status,
                        Order.paid_at,
                    ).where(Order.id == reference_id)
                )
            ).one_or_none()
            if row is None:
                return None
            shop_id, total, currency, consumer, status, paid_at = row
            payable = paid_at is None and status not in UNPAYABLE_ORDERS
            return PayableReference(kind, reference_id, shop_id, total, currency, consumer, payable)
        row = (
            await session.execute(
                select(
                    Voucher.shop_id,
                    Voucher.price_minor,
                    Voucher.currency,
                    Voucher.consumer_account_id,
                    Voucher.status,
                ).where(Voucher.id == reference_id)
            )
        ).one_or_none()
        if row is None:
            return None
        shop_id, price, currency, consumer, status = row
        payable = status == VoucherStatus.pending_payment.value
        return PayableReference(kind, reference_id, shop_id, price, currency, consumer, payable)
