"""What payments needs to know about an order or voucher, asked of the package that owns them.

Orders and vouchers belong to merchant_api, which payments must not import. merchant_api
implements `PaymentReferences`; the composition root puts it at `app.state.payment_references`.
A payment for an order must be for exactly the total merchant_api computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

ReferenceKind = Literal["order", "voucher"]


@dataclass(frozen=True, slots=True)
class PayableReference:
    kind: ReferenceKind
    reference_id: UUID
    shop_id: UUID
    amount: int  # minor units: the order's total or the voucher's price
    currency: str
    consumer_id: UUID | None
    # False for an order already paid or cancelled, a voucher no longer waiting for payment.
    payable: bool


@runtime_checkable
class PaymentReferences(Protocol):
    async def describe(
        self, session: AsyncSession, kind: ReferenceKind, reference_id: UUID
    ) -> PayableReference | None:
        """The order or voucher as merchant_api knows it, or None when there is none."""
        ...


class NoPaymentReferences:
    """In force until merchant_api provides one: no order or voucher is known."""

    async def describe(
        self, session: AsyncSession, kind: ReferenceKind, reference_id: UUID
    ) -> PayableReference | None:
        return None
