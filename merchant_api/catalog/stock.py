"""Reserving and releasing counted stock without ever overselling.

All of an order's listings are decremented by one conditional UPDATE (`stock >= q` in the
WHERE), which PostgreSQL re-checks after waiting for a concurrent writer's row lock, and
SQLite runs writers one at a time. Rows are locked in primary-key order, so two orders
never deadlock.
The caller's transaction decides: on any failure it rolls back and every decrement with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound, ValidationFailed
from merchant_api.catalog.errors import SoldOut
from merchant_api.catalog.repository import ListingRepository


def _checked(quantities: Mapping[UUID, int]) -> list[tuple[UUID, int]]:
    bad = [str(listing_id) for listing_id, quantity in quantities.items() if quantity < 1]
    if bad:
        raise ValidationFailed(
            "Quantities must be at least 1.",
            details={"problems": [{"key": key, "message": "At least 1."} for key in bad]},
        )
    return sorted(quantities.items(), key=lambda item: str(item[0]))


async def reserve_stock(session: AsyncSession, quantities: Mapping[UUID, int]) -> None:
    """Take `quantities` from counted stock; untracked listings (stock NULL) pass.

    Raises SoldOut naming the first listing (in id order) that has too few left. Does not
    commit, and on SoldOut the caller must roll back (the other decrements are not undone).
    """
    repository = ListingRepository(session)
    wanted = _checked(quantities)
    taken = await repository.take_stock_many(wanted)
    for listing_id, quantity in wanted:
        if listing_id not in taken:
            exists, left = await repository.stock_row(listing_id)
            if not exists:
                raise NotFound(f"There is no listing {listing_id}.")
            raise SoldOut(
                "Not enough left of this listing.",
                details={"listing_id": str(listing_id), "requested": quantity, "left": left},
            )


async def release_stock(session: AsyncSession, quantities: Mapping[UUID, int]) -> None:
    """Put reserved units back (a cancelled or expired order). Untracked listings ignore it."""
    repository = ListingRepository(session)
    for listing_id, quantity in _checked(quantities):
        await repository.return_stock(listing_id, quantity)
