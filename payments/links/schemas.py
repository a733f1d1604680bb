"""Payment link requests and answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

import msgspec

from payments.links.service import IssuedLink, ResolvedLink
from payments.links.tokens import DynamicLink, StaticLink
from payments.providers.emvco.currencies import CURRENCIES


class DynamicLinkIn(msgspec.Struct, forbid_unknown_fields=True):
    amount_minor: int
    order_reference: str


class PaymentLinkOut(msgspec.Struct):
    """What a scanned link stands for. The shop's name comes from our records, never from the
    link; `amount_minor` is set for dynamic links only, and then cannot be changed."""

    shop_id: uuid.UUID
    shop_name: str
    shop_names: dict[str, str]
    kind: Literal["static", "dynamic"]
    spot: str | None = None
    label: str | None = None
    amount_minor: int | None = None
    currency: str | None = None
    order_reference: str | None = None
    expires_at: datetime | None = None


class IssuedLinkOut(msgspec.Struct):
    token: str
    url: str
    kind: Literal["static", "dynamic"]
    spot: str | None = None
    label: str | None = None
    amount_minor: int | None = None
    order_reference: str | None = None
    expires_at: datetime | None = None


class StaticLinksOut(msgspec.Struct):
    shop_id: uuid.UUID
    links: list[IssuedLinkOut]


def payment_link_out(resolved: ResolvedLink, language: str) -> PaymentLinkOut:
    merchant, link = resolved.merchant, resolved.link
    out = PaymentLinkOut(
        shop_id=merchant.shop_id,
        shop_name=merchant.name(language),
        shop_names=merchant.names,
        kind="dynamic" if isinstance(link, DynamicLink) else "static",
    )
    if isinstance(link, StaticLink):
        out.spot, out.label = link.spot, link.label or None
    else:
        out.amount_minor, out.currency = link.amount_minor, CURRENCIES[link.currency].alpha
        out.order_reference, out.expires_at = link.order_reference, link.expires_at
    return out


def issued_link_out(issued: IssuedLink) -> IssuedLinkOut:
    link = issued.link
    if isinstance(link, StaticLink):
        return IssuedLinkOut(issued.token, issued.url, "static", link.spot, link.label or None)
    return IssuedLinkOut(
        issued.token,
        issued.url,
        "dynamic",
        amount_minor=link.amount_minor,
        order_reference=link.order_reference,
        expires_at=link.expires_at,
    )
