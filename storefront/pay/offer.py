"""What the pay page offers: the ways to pay this shop takes, the consumer's points, and what
Stripe.js needs when cards go through Stripe."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import principal_of
from infra.auth.roles import Role
from infra.settings import Settings
from merchant_api.shops.service import ShopService
from payments.loyalty.repository import LoyaltyRepository
from storefront.formatting import format_twd
from storefront.i18n import N_

# The wallets a shop may list among its payment methods, handed off by a QR payload.
WALLETS = {
    "twqr": N_("TWQR: Taiwan Pay or your bank's app"),
    "vietqr": "VietQR",  # brand names are the same in every language
    "promptpay": "PromptPay",
    "qris": "QRIS",
}


async def methods(
    request: Request[Any, Any, Any], session: AsyncSession, shop_id: uuid.UUID
) -> list[dict[str, str]]:
    """How the consumer may pay here, labels untranslated: the demo's simulated wallet when it
    is on, cards when Stripe takes them, and the wallets the shop lists."""
    settings: Settings = request.app.state.settings
    offered = []
    if settings.payments.provider == "sandbox" and settings.payments.sandbox_wallet:
        offered.append({"value": "sandbox", "label": N_("Demo wallet (no money moves)")})
    if stripe_on(settings):
        offered.append({"value": "card", "label": N_("Card, Apple Pay or Google Pay")})
    accepted = await ShopService(session).details.payment_methods(shop_id)
    offered += [{"value": m, "label": label} for m, label in WALLETS.items() if m in accepted]
    return offered


def stripe_on(settings: Settings) -> bool:
    return bool(settings.stripe.secret_key) and settings.payments.provider == "stripe"


def stripe_js(settings: Settings) -> dict[str, str] | None:
    """The Payment Element's mount point data, or None when cards do not go through Stripe."""
    if not stripe_on(settings):
        return None
    return {"key": settings.stripe.publishable_key, "script": settings.stripe.js_url}


async def points_offer(
    request: Request[Any, Any, Any], session: AsyncSession, amount_minor: int | None
) -> dict[str, Any] | None:
    """A signed-in consumer's spendable points and what they are worth; None for others."""
    principal = principal_of(request)
    if principal is None or principal.role != Role.consumer:
        return None
    repo = LoyaltyRepository(session)
    wallet = await repo.wallet_of_account(principal.account_id)
    balance = 0
    if wallet is not None:
        balance = (await repo.wallet_balances(wallet.merged_into_id or wallet.id))[0]
    value = request.app.state.settings.loyalty.point_value_minor
    usable = balance if amount_minor is None else min(balance, amount_minor // value)
    return {
        "balance": balance,
        "worth": format_twd(balance * value),
        "value_minor": value,
        "usable": usable,
    }
