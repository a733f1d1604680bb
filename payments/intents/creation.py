"""Checking a new payment before any provider is asked: amount, currency, method, what it
pays for (an order's total as merchant_api knows it, a voucher's price, a payment link)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from payments.intents.config import PaymentConfig
from payments.intents.errors import (
    AlreadyPaid,
    AmountAboveCap,
    AmountInvalid,
    AmountMismatch,
    CurrencyNotSupported,
    MethodUnavailable,
    ReferenceNotFound,
    ReferenceNotPayable,
    field_problem,
)
from payments.intents.repository import PaymentRepository
from payments.intents.state import PaymentMethod
from payments.links.service import PaymentLinkService
from payments.links.tokens import DynamicLink
from payments.merchants import MerchantInfo
from payments.providers.registry import provider_for_method
from payments.references import PayableReference

SUPPORTED_CURRENCIES = frozenset({"TWD"})


@dataclass(frozen=True)
class NewPayment:
    shop_id: uuid.UUID
    amount: int
    currency: str
    method: str
    order_id: uuid.UUID | None = None
    voucher_id: uuid.UUID | None = None
    link_token: str | None = None
    loyalty_wallet_id: uuid.UUID | None = None
    points_redeemed: int = 0


@dataclass(frozen=True)
class CheckedPayment:
    request: NewPayment
    provider: str
    merchant: MerchantInfo
    reference: PayableReference | None
    link_id: uuid.UUID | None


def check_fields(request: NewPayment, config: PaymentConfig) -> str:
    """The provider for the request, or the first problem with its fields."""
    amount = request.amount
    if isinstance(amount, bool) or amount <= 0:
        raise AmountInvalid(
            "The amount must be greater than zero.", details=field_problem("amount", "> 0")
        )
    if amount > config.max_amount:
        raise AmountAboveCap(
            f"A single payment is at most {config.max_amount} (minor units).",
            details=field_problem("amount", f"<= {config.max_amount}"),
        )
    if request.currency not in SUPPORTED_CURRENCIES:
        raise CurrencyNotSupported(
            "Payments are taken in TWD only.", details=field_problem("currency", "TWD")
        )
    if request.method not in PaymentMethod.__members__:
        raise MethodUnavailable(
            f"Unknown method; one of {', '.join(PaymentMethod)}.",
            details=field_problem("method", "unknown"),
        )
    provider = provider_for_method(request.method, config.providers, config.mode)
    if provider is None or provider not in config.providers:
        raise MethodUnavailable(
            f"This platform does not take {request.method} payments now.",
            details=field_problem("method", "unavailable"),
        )
    if request.order_id and request.voucher_id:
        raise AmountMismatch(
            "A payment is for an order or a voucher, not both.",
            details=field_problem("voucher_id", "only one reference"),
        )
    if request.points_redeemed < 0:
        raise AmountInvalid(
            "Points redeemed cannot be negative.", details=field_problem("points_redeemed", ">= 0")
        )
    return provider


def points_value(request: NewPayment, config: PaymentConfig) -> int:
    """What the points held for this payment pay of its total. Only callers that hold the
    points first pass points_redeemed (the scan-to-pay page); the public API refuses it."""
    return request.points_redeemed * config.point_value_minor


async def check_payment(
    session: AsyncSession, request: NewPayment, config: PaymentConfig
) -> CheckedPayment:
    provider = check_fields(request, config)
    merchant = await config.directory.describe(session, request.shop_id)
    if merchant is None or not merchant.active:
        raise ReferenceNotFound(
            "This shop is not accepting payments.", details=field_problem("shop_id", "unknown")
        )
    reference = await _reference(session, request, config)
    link_id = await _redeem_link(session, request, config)
    return CheckedPayment(request, provider, merchant, reference, link_id)


async def _reference(
    session: AsyncSession, request: NewPayment, config: PaymentConfig
) -> PayableReference | None:
    if request.order_id is not None:
        kind, reference_id, field = "order", request.order_id, "order_id"
    elif request.voucher_id is not None:
        kind, reference_id, field = "voucher", request.voucher_id, "voucher_id"
    else:
        return None
    found = await config.references.describe(session, kind, reference_id)  # type: ignore[arg-type]
    if found is None or found.shop_id != request.shop_id:
        raise ReferenceNotFound(
            f"There is no such {kind} at this shop.", details=field_problem(field, "unknown")
        )
    if not found.payable:
        raise ReferenceNotPayable(
            f"This {kind} cannot be paid (already paid or cancelled).",
            details=field_problem(field, "not payable"),
        )
    due = found.amount - points_value(request, config)
    if due != request.amount or found.currency != request.currency:
        raise AmountMismatch(
            f"The amount must be the {kind}'s total less the points' value, {due}.",
            details=field_problem("amount", f"== {due}"),
        )
    if await PaymentRepository(session).open_payment_for_reference(reference_id) is not None:
        raise AlreadyPaid(
            f"This {kind} already has a payment that succeeded or is being processed.",
            details=field_problem(field, "already paid"),
        )
    return found


async def _redeem_link(
    session: AsyncSession, request: NewPayment, config: PaymentConfig
) -> uuid.UUID | None:
    if request.link_token is None:
        return None
    if config.links is None:
        raise MethodUnavailable(
            "Payment links are not configured.", details=field_problem("link_token", "unavailable")
        )
    resolved = await PaymentLinkService(session, config.links, config.directory).redeem(
        request.link_token
    )
    link = resolved.link
    if link.shop_id != request.shop_id:
        raise AmountMismatch(
            "The payment link belongs to another shop.",
            details=field_problem("link_token", "other shop"),
        )
    if isinstance(link, DynamicLink):
        due = link.amount_minor - points_value(request, config)
        if due != request.amount:
            raise AmountMismatch(
                f"The amount must be the link's less the points' value, {due}.",
                details=field_problem("amount", f"== {due}"),
            )
        return link.link_id
    return None
