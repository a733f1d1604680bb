"""All SQL about a shop's accepted payment methods and staff languages."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.shops.models import ShopPaymentMethod, ShopStaffLanguage
from merchant_api.shops.vocabulary import PAYMENT_METHODS


class ShopDetailsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def payment_methods(self, shop_id: uuid.UUID) -> list[str]:
        rows = await self.session.scalars(
            select(ShopPaymentMethod.method).where(ShopPaymentMethod.shop_id == shop_id)
        )
        # The vocabulary's order (cash first), not the database's.
        found = set(rows)
        return [method for method in PAYMENT_METHODS if method in found]

    async def staff_languages(self, shop_id: uuid.UUID) -> list[str]:
        rows = await self.session.scalars(
            select(ShopStaffLanguage.language)
            .where(ShopStaffLanguage.shop_id == shop_id)
            .order_by(ShopStaffLanguage.language)
        )
        return list(rows)

    async def shop_ids_accepting(self, method: str) -> set[uuid.UUID]:
        """For search: the shops that accept `method` ("points" for "accepts points")."""
        rows = await self.session.scalars(
            select(ShopPaymentMethod.shop_id).where(ShopPaymentMethod.method == method)
        )
        return set(rows)

    async def replace_payment_methods(self, shop_id: uuid.UUID, methods: list[str]) -> None:
        await self.session.execute(
            delete(ShopPaymentMethod).where(ShopPaymentMethod.shop_id == shop_id)
        )
        self.session.add_all(ShopPaymentMethod(shop_id=shop_id, method=m) for m in methods)
        await self.session.flush()

    async def replace_staff_languages(self, shop_id: uuid.UUID, languages: list[str]) -> None:
        await self.session.execute(
            delete(ShopStaffLanguage).where(ShopStaffLanguage.shop_id == shop_id)
        )
        self.session.add_all(
            ShopStaffLanguage(shop_id=shop_id, language=language) for language in languages
        )
        await self.session.flush()
