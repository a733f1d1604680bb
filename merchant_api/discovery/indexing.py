"""Keeps the search documents current: SQLAlchemy mapper events on Shop and Listing.

Listening here, rather than asking every service that writes shops or listings to call us,
keeps the catalogue and shop code unaware of search and catches every ORM write (services,
seed data, CLI). Bulk UPDATE statements bypass mapper events; the ones in the codebase touch
stock only, never texts. Code that rewrites names in bulk calls `reindex_listings`.

A shop's document also holds its street's names, township and county; renaming a street
rewrites its shops' documents.

Imported by infra.bootstrap.models, which the composition root's entry points import (web
app, worker, seed), so the listeners exist wherever shops and listings are written.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.catalog.models import Listing
from merchant_api.discovery.models import ListingSearch, ShopSearch
from merchant_api.discovery.normalise import grams_of, joined
from merchant_api.shops.models import Shop
from merchant_api.streets.models import Street

_TEXT_ATTRIBUTES = ("name", "description")


def document(
    name: dict[str, str] | None,
    description: dict[str, str] | None,
    dialect: str,
    place: dict[str, str] | None = None,
) -> dict[str, Any]:
    """`place`: for a shop, its street's names, township and county, so "Daren" or "望安"
    finds the shops there (ranked below shops named so)."""
    search_text, name_text = joined(name, description, place), joined(name)
    postgres = dialect == "postgresql"
    return {
        "name_text": name_text,
        "search_text": search_text,
        "grams": grams_of(search_text) if postgres else None,
        "name_grams": grams_of(name_text) if postgres else None,
    }


def _texts_changed(target: object) -> bool:
    state = inspect(target)
    return any(state.attrs[name].history.has_changes() for name in _TEXT_ATTRIBUTES)


def _street_place(connection: Connection, street_id: Any) -> dict[str, str]:
    row = connection.execute(
        select(Street.name, Street.township, Street.county).where(Street.id == street_id)
    ).first()
    if row is None:
        return {}
    name, township, county = row
    return {
        **{f"name.{lang}": text for lang, text in (name or {}).items()},
        "t": township,
        "c": county,
    }


def _write(connection: Connection, table: Any, key: str, target: Any) -> None:
    place = _street_place(connection, target.street_id) if table is ShopSearch else None
    values = document(target.name, target.description, connection.dialect.name, place)
    # Update-else-insert is an upsert that reads the same on both databases, and keeps the
    # document's review ratings (discovery.rating_repository), which are not texts.
    updated = connection.execute(
        update(table).where(getattr(table, key) == target.id).values(values)
    )
    if not updated.rowcount:
        connection.execute(insert(table).values({key: target.id, **values}))


@event.listens_for(Shop, "after_insert")
def _shop_inserted(_mapper: Any, connection: Connection, target: Shop) -> None:
    _write(connection, ShopSearch, "shop_id", target)


@event.listens_for(Shop, "after_update")
def _shop_updated(_mapper: Any, connection: Connection, target: Shop) -> None:
    if _texts_changed(target):
        _write(connection, ShopSearch, "shop_id", target)


@event.listens_for(Street, "after_update")
def _street_updated(_mapper: Any, connection: Connection, target: Street) -> None:
    state = inspect(target)
    if not any(state.attrs[name].history.has_changes() for name in ("name", "township", "county")):
        return
    for shop in connection.execute(
        select(Shop.id, Shop.name, Shop.description, Shop.street_id).where(
            Shop.street_id == target.id
        )
    ).all():
        _write(connection, ShopSearch, "shop_id", shop)


@event.listens_for(Listing, "after_insert")
def _listing_inserted(_mapper: Any, connection: Connection, target: Listing) -> None:
    _write(connection, ListingSearch, "listing_id", target)


@event.listens_for(Listing, "after_update")
def _listing_updated(_mapper: Any, connection: Connection, target: Listing) -> None:
    if _texts_changed(target):
        _write(connection, ListingSearch, "listing_id", target)


async def reindex_listings(session: AsyncSession, listing_ids: list[uuid.UUID]) -> None:
    """Rebuild the documents of listings whose texts were changed by a bulk statement."""
    rows = await session.execute(
        select(Listing.id, Listing.name, Listing.description).where(Listing.id.in_(listing_ids))
    )
    dialect = session.bind.dialect.name
    for listing_id, name, description in rows.all():
        values = document(name, description, dialect)
        updated = await session.execute(
            update(ListingSearch).where(ListingSearch.listing_id == listing_id).values(values)
        )
        if not updated.rowcount:  # type: ignore[attr-defined]
            await session.execute(insert(ListingSearch).values(listing_id=listing_id, **values))
