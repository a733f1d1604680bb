"""All SQL about listings, their categories, option groups, options and photos."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.catalog.models import (
    Listing,
    ListingCategory,
    ListingPhoto,
    Option,
    OptionGroup,
)


class ListingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_for_shop(self, shop_id: uuid.UUID) -> list[Listing]:
        """The shop's listings that are not removed, in the owner's order."""
        rows = await self.session.scalars(
            select(Listing)
            .where(Listing.shop_id == shop_id, Listing.deleted_at.is_(None))
            .order_by(Listing.position, Listing.created_at, Listing.id)
        )
        return list(rows)

    async def get(self, listing_id: uuid.UUID) -> Listing | None:
        """Any listing, removed ones too: order history reads them by id."""
        return await self.session.get(Listing, listing_id)

    async def get_many(self, listing_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Listing]:
        if not listing_ids:
            return {}
        rows = await self.session.scalars(select(Listing).where(Listing.id.in_(listing_ids)))
        return {listing.id: listing for listing in rows}

    def add(self, item: object) -> None:
        self.session.add(item)

    async def delete(self, item: object) -> None:
        await self.session.delete(item)

    async def flush(self) -> None:
        await self.session.flush()

    # --- stock: conditional updates, so concurrent orders never take the same unit twice

    async def take_stock(self, listing_id: uuid.UUID, quantity: int) -> bool:
        """Decrement counted stock if enough is left; untracked (NULL) stock stays NULL."""
        result = await self.session.execute(
            update(Listing)
            .where(
                Listing.id == listing_id,
                or_(Listing.stock.is_(None), Listing.stock >= quantity),
            )
            .values(stock=Listing.stock - quantity)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def take_stock_many(self, quantities: Sequence[tuple[uuid.UUID, int]]) -> set[uuid.UUID]:
        """Decrement every listing's counted stock in ONE conditional UPDATE; returns the ids it
        took from (untracked listings included). An id missing from the answer had too few left
        (or does not exist); the caller then rolls back, which undoes the others.

        PostgreSQL locks the rows in the order of the primary-key scan, the same for every
        statement, so two orders taking the same listings cannot deadlock.
        """
        if not quantities:
            return set()
        table = Listing.__table__
        wanted = case(dict(quantities), value=table.c.id)
        result = await self.session.execute(
            update(table)
            .where(
                table.c.id.in_([listing_id for listing_id, _ in quantities]),
                or_(table.c.stock.is_(None), table.c.stock >= wanted),
            )
            .values(stock=table.c.stock - wanted)
            .returning(table.c.id)
        )
        return set(result.scalars())

    async def return_stock(self, listing_id: uuid.UUID, quantity: int) -> None:
        await self.session.execute(
            update(Listing)
            .where(Listing.id == listing_id, Listing.stock.is_not(None))
            .values(stock=Listing.stock + quantity)
            .execution_options(synchronize_session=False)
        )

    async def stock_row(self, listing_id: uuid.UUID) -> tuple[bool, int | None]:
        """(exists, stock) read fresh from the database."""
        row = (
            await self.session.execute(select(Listing.stock).where(Listing.id == listing_id))
        ).first()
        return (row is not None, row[0] if row is not None else None)

    # --- categories

    async def categories_of(self, shop_id: uuid.UUID) -> list[ListingCategory]:
        rows = await self.session.scalars(
            select(ListingCategory)
            .where(ListingCategory.shop_id == shop_id)
            .order_by(ListingCategory.position, ListingCategory.created_at, ListingCategory.id)
        )
        return list(rows)

    async def category(self, category_id: uuid.UUID) -> ListingCategory | None:
        return await self.session.get(ListingCategory, category_id)

    # --- option groups and options

    async def groups_of(self, listing_ids: Sequence[uuid.UUID]) -> list[OptionGroup]:
        if not listing_ids:
            return []
        rows = await self.session.scalars(
            select(OptionGroup)
            .where(OptionGroup.listing_id.in_(listing_ids))
            .order_by(OptionGroup.position, OptionGroup.created_at, OptionGroup.id)
        )
        return list(rows)

    async def options_of(self, group_ids: Sequence[uuid.UUID]) -> list[Option]:
        if not group_ids:
            return []
        rows = await self.session.scalars(
            select(Option)
            .where(Option.group_id.in_(group_ids))
            .order_by(Option.position, Option.created_at, Option.id)
        )
        return list(rows)

    async def group(self, group_id: uuid.UUID) -> OptionGroup | None:
        return await self.session.get(OptionGroup, group_id)

    async def option(self, option_id: uuid.UUID) -> Option | None:
        return await self.session.get(Option, option_id)

    async def lowest_option_delta(self, listing_id: uuid.UUID) -> int:
        """The most negative option delta on the listing (0 if none), to keep prices >= 0."""
        value = await self.session.scalar(
            select(func.min(Option.price_delta_minor))
            .join(OptionGroup, Option.group_id == OptionGroup.id)
            .where(OptionGroup.listing_id == listing_id)
        )
        return min(int(value or 0), 0)

    # --- photos

    async def photos_of(self, listing_ids: Sequence[uuid.UUID]) -> list[ListingPhoto]:
        if not listing_ids:
            return []
        rows = await self.session.scalars(
            select(ListingPhoto)
            .where(ListingPhoto.listing_id.in_(listing_ids))
            .order_by(ListingPhoto.position, ListingPhoto.created_at, ListingPhoto.id)
        )
        return list(rows)

    async def photo(self, photo_id: uuid.UUID) -> ListingPhoto | None:
        return await self.session.get(ListingPhoto, photo_id)

    async def delete_photo(self, photo_id: uuid.UUID) -> None:
        await self.session.execute(delete(ListingPhoto).where(ListingPhoto.id == photo_id))
