"""All SQL about listings."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.catalog.models import Listing


class ListingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_for_shop(self, shop_id: uuid.UUID) -> list[Listing]:
        """The shop's listings that are not removed, oldest first (the owner's own order)."""
        rows = await self.session.scalars(
            select(Listing)
            .where(Listing.shop_id == shop_id, Listing.deleted_at.is_(None))
            .order_by(Listing.created_at, Listing.id)
        )
        return list(rows)

    def add(self, listing: Listing) -> None:
        self.session.add(listing)

    async def flush(self) -> None:
        await self.session.flush()
