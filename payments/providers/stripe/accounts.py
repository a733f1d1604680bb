"""One Stripe connected account per shop: looked up, or created once at Stripe and kept.

Creating twice is harmless: Stripe's idempotency key is derived from the shop id, so a retry
(or a concurrent request) gets the same account back, and the table keeps one row per shop.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from payments.providers.stripe.repository import ShopAccountRepository

if TYPE_CHECKING:
    from payments.providers.stripe.provider import StripeProvider


@dataclass(frozen=True, slots=True)
class ShopAccount:
    shop_id: uuid.UUID
    account_id: str
    created: bool  # False when the shop already had it


async def shop_account_for(session: AsyncSession, shop_id: uuid.UUID) -> str | None:
    """The shop's connected account, for IntentRequest.shop_account (None: platform charge)."""
    return await ShopAccountRepository(session).account_of(shop_id)


class ShopAccountService:
    def __init__(self, session: AsyncSession, provider: StripeProvider) -> None:
        self.repo = ShopAccountRepository(session)
        self.provider = provider

    async def ensure(self, shop_id: uuid.UUID, email: str | None = None) -> ShopAccount:
        existing = await self.repo.account_of(shop_id)
        if existing is not None:
            return ShopAccount(shop_id, existing, created=False)
        account_id = await self.provider.create_connected_account(shop_id=str(shop_id), email=email)
        await self.repo.store_once(shop_id, account_id)
        # A concurrent request may have stored first; both got the same account from Stripe.
        stored = await self.repo.account_of(shop_id)
        return ShopAccount(shop_id, stored or account_id, created=True)
