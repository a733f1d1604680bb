"""What payments needs to know about a merchant, asked of the package that owns merchants.

Shops belong to merchant_api, which payments must not import. merchant_api implements
`MerchantDirectory`; the composition root puts it at `app.state.merchant_directory`. A payment
link page must show the shop's name as our server knows it, never a name carried in the link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

DEFAULT_LANGUAGE = "zh-Hant-TW"


@dataclass(frozen=True, slots=True)
class MerchantInfo:
    shop_id: UUID
    names: dict[str, str]  # language tag -> name, as the shop entered it
    city: str  # township or county, for EMVCo ID 60 and the printed sheet
    mcc: str = "0000"  # ISO 18245 merchant category code; "0000" when none is assigned
    active: bool = True  # False for suspended shops: their links stop working
    street_id: UUID | None = None  # loyalty: street pools and the cross-street rally
    category: str | None = None  # loyalty: category bonuses

    def name(self, language: str = DEFAULT_LANGUAGE) -> str:
        return (
            self.names.get(language)
            or self.names.get(DEFAULT_LANGUAGE)
            or next(iter(self.names.values()), "")
        )


@runtime_checkable
class MerchantDirectory(Protocol):
    async def describe(self, session: AsyncSession, shop_id: UUID) -> MerchantInfo | None:
        """The shop's payment-facing description, or None when no such shop exists."""
        ...


class EmptyMerchantDirectory:
    """In force until merchant_api provides one: no merchant is known."""

    async def describe(self, session: AsyncSession, shop_id: UUID) -> MerchantInfo | None:
        return None
