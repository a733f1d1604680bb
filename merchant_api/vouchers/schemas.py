"""Voucher requests and answers. Money is integers in minor units (NT$250 = 25000).

Unknown fields are refused and bodies are decoded strictly (no "25000" strings for prices).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

from merchant_api.i18n import pick
from merchant_api.vouchers import codes
from merchant_api.vouchers.models import Voucher, VoucherOffer

Aware = Annotated[datetime, msgspec.Meta(tz=True)]
StatusName = Literal["pending_payment", "active", "redeemed", "refund_requested", "refunded"]


class OfferCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: dict[str, str]
    price_minor: int
    face_value_minor: int
    valid_from: Aware
    valid_until: Aware
    description: dict[str, str] = msgspec.field(default_factory=dict)
    quantity_limit: int | None = None
    per_consumer_limit: int | None = None
    is_active: bool = True


class OfferUpdate(msgspec.Struct, forbid_unknown_fields=True):
    title: dict[str, str] | UnsetType = UNSET
    description: dict[str, str] | UnsetType = UNSET
    price_minor: int | UnsetType = UNSET
    face_value_minor: int | UnsetType = UNSET
    valid_from: Aware | UnsetType = UNSET
    valid_until: Aware | UnsetType = UNSET
    quantity_limit: int | UnsetType | None = UNSET
    per_consumer_limit: int | UnsetType | None = UNSET
    is_active: bool | UnsetType = UNSET

    def changes(self) -> dict[str, object]:
        return {
            name: value
            for name in self.__struct_fields__
            if (value := getattr(self, name)) is not UNSET
        }


class RedeemIn(msgspec.Struct, forbid_unknown_fields=True):
    # The code as typed (dashes and spaces are fine) or the scanned QR payload.
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class OfferOut(msgspec.Struct):
    id: uuid.UUID
    shop_id: uuid.UUID
    title: str
    description: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    price_minor: int
    face_value_minor: int
    currency: str
    valid_from: datetime
    valid_until: datetime
    quantity_limit: int | None
    per_consumer_limit: int | None
    sold_count: int
    # None when the offer has no quantity limit.
    remaining: int | None
    is_active: bool


class OfferList(msgspec.Struct):
    offers: list[OfferOut]


class VoucherOut(msgspec.Struct):
    id: uuid.UUID
    offer_id: uuid.UUID
    shop_id: uuid.UUID
    title: str
    status: str
    code: str
    # The code grouped for reading aloud, and what the QR code on the voucher page holds.
    code_display: str
    qr_payload: str
    price_minor: int
    face_value_minor: int
    currency: str
    valid_from: datetime
    valid_until: datetime
    purchased_at: datetime
    activated_at: datetime | None
    redeemed_at: datetime | None
    refund_requested_at: datetime | None
    refunded_at: datetime | None


class VoucherPage(msgspec.Struct):
    vouchers: list[VoucherOut]
    limit: int
    offset: int
    has_more: bool


def offer_out(offer: VoucherOffer, language: str) -> OfferOut:
    remaining = None
    if offer.quantity_limit is not None:
        remaining = max(offer.quantity_limit - offer.sold_count, 0)
    return OfferOut(
        id=offer.id,
        shop_id=offer.shop_id,
        title=pick(offer.title, language),
        description=pick(offer.description, language),
        titles=dict(offer.title),
        descriptions=dict(offer.description),
        price_minor=offer.price_minor,
        face_value_minor=offer.face_value_minor,
        currency=offer.currency,
        valid_from=offer.valid_from,
        valid_until=offer.valid_until,
        quantity_limit=offer.quantity_limit,
        per_consumer_limit=offer.per_consumer_limit,
        sold_count=offer.sold_count,
        remaining=remaining,
        is_active=offer.is_active,
    )


def voucher_out(
    voucher: Voucher, offer: VoucherOffer, language: str, *, reveal_code: bool = True
) -> VoucherOut:
    """The consumer sees the code; the shop sees only its last four characters, so a voucher
    cannot be redeemed from the shop's own list without the consumer."""
    code = voucher.code if reveal_code else ""
    return VoucherOut(
        id=voucher.id,
        offer_id=voucher.offer_id,
        shop_id=voucher.shop_id,
        title=pick(offer.title, language),
        status=voucher.status,
        code=code,
        code_display=codes.display(code) if code else f"…{voucher.code[-4:]}",
        qr_payload=codes.qr_payload(code) if code else "",
        price_minor=voucher.price_minor,
        face_value_minor=voucher.face_value_minor,
        currency=voucher.currency,
        valid_from=voucher.valid_from,
        valid_until=voucher.valid_until,
        purchased_at=voucher.purchased_at,
        activated_at=voucher.activated_at,
        redeemed_at=voucher.redeemed_at,
        refund_requested_at=voucher.refund_requested_at,
        refunded_at=voucher.refunded_at,
    )
