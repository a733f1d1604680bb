"""Pricing an order's lines against the catalogue: the one place that decides what a line costs.

Orders, kiosks and the storefront call `price_lines` and store the answer as a snapshot (names
and prices as they were), so later menu edits never change a placed order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import ValidationFailed
from merchant_api.catalog.availability import is_open_at
from merchant_api.catalog.errors import ListingUnavailable, SoldOut
from merchant_api.catalog.models import Channel, Listing, Option, OptionGroup
from merchant_api.catalog.repository import ListingRepository

MAX_QUANTITY = 99
MAX_LINES = 100


@dataclass(frozen=True)
class LineRequest:
    listing_id: UUID
    quantity: int
    option_ids: tuple[UUID, ...] = ()


@dataclass(frozen=True)
class PricedOption:
    option_id: UUID
    group_name: dict[str, str]
    name: dict[str, str]
    price_delta_minor: int


@dataclass(frozen=True)
class PricedLine:
    listing_id: UUID
    name: dict[str, str]
    unit_price_minor: int  # base price + option deltas
    options: tuple[PricedOption, ...]
    quantity: int
    line_total_minor: int
    stock_tracked: bool


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, key: str, message: str) -> None:
        self.items.append({"key": key, "message": message, "source": "body"})


async def price_lines(
    session: AsyncSession,
    shop_id: UUID,
    lines: Sequence[LineRequest],
    channel: Channel,
    at: datetime,
) -> list[PricedLine]:
    """Validate and price `lines` for `shop_id` on `channel` at `at` (aware datetime).

    Raises ValidationFailed (422) naming each bad field as `lines[i].<field>`, then
    ListingUnavailable (409) or SoldOut (409) naming the listing. Reads only; reserving
    stock is `stock.reserve_stock`, in the same transaction as the order.
    """
    _check_count(lines, _Problems())
    repository = ListingRepository(session)
    listings = await repository.get_many(list({line.listing_id for line in lines}))
    groups = await repository.groups_of(list(listings))
    options = await repository.options_of([group.id for group in groups])
    return price_menu(Menu(listings, groups, options), shop_id, lines, channel, at)


@dataclass(frozen=True)
class Menu:
    """What pricing reads: the lines' listings by id, their option groups (in display order)
    and those groups' options. ORM rows or plain rows with the same attributes both work."""

    listings: Mapping[UUID, Any]
    groups: Sequence[Any]
    options: Sequence[Any]


def price_menu(
    menu: Menu, shop_id: UUID, lines: Sequence[LineRequest], channel: Channel, at: datetime
) -> list[PricedLine]:
    """`price_lines` on a menu already loaded (orders load it with the shop in one query)."""
    problems = _Problems()
    _check_count(lines, problems)
    listings = menu.listings
    groups_by_listing: dict[UUID, list[Any]] = defaultdict(list)
    for group in menu.groups:
        groups_by_listing[group.listing_id].append(group)
    group_by_id = {group.id: group for group in menu.groups}
    option_by_id = {option.id: option for option in menu.options}

    for index, line in enumerate(lines):
        listing = listings.get(line.listing_id)
        if listing is None or listing.shop_id != shop_id or listing.deleted_at is not None:
            problems.add(f"lines[{index}].listing_id", "No such listing in this shop.")
            continue
        if not 1 <= line.quantity <= MAX_QUANTITY:
            problems.add(f"lines[{index}].quantity", f"Between 1 and {MAX_QUANTITY}.")
        _check_options(index, line, listing, groups_by_listing[listing.id], option_by_id, problems)
    if problems.items:
        raise ValidationFailed(
            "The order lines are not valid.", details={"problems": problems.items}
        )

    _check_available(lines, listings, channel, at)
    return [_priced(line, listings[line.listing_id], group_by_id, option_by_id) for line in lines]


def _check_count(lines: Sequence[LineRequest], problems: _Problems) -> None:
    if not lines:
        problems.add("lines", "At least one line is needed.")
    elif len(lines) > MAX_LINES:
        problems.add("lines", f"At most {MAX_LINES} lines.")
    if problems.items:
        raise ValidationFailed(
            "The order lines are not valid.", details={"problems": problems.items}
        )


def _check_options(
    index: int,
    line: LineRequest,
    listing: Listing,
    groups: list[OptionGroup],
    option_by_id: Mapping[UUID, Option],
    problems: _Problems,
) -> None:
    key = f"lines[{index}].option_ids"
    own_groups = {group.id for group in groups}
    if len(set(line.option_ids)) != len(line.option_ids):
        problems.add(key, "An option is chosen twice.")
        return
    chosen: Counter[UUID] = Counter()
    for option_id in line.option_ids:
        option = option_by_id.get(option_id)
        if option is None or option.group_id not in own_groups:
            problems.add(key, f"Option {option_id} does not belong to this listing.")
            return
        if not option.is_available:
            problems.add(key, f"Option {option_id} is not available now.")
            return
        chosen[option.group_id] += 1
    for group in groups:
        count = chosen[group.id]
        name = group.name.get("en") or group.name.get("zh-Hant-TW", "")
        if count == 0 and group.required:
            problems.add(key, f"Choose from the required group {name!r} ({group.id}).")
        elif count and count < group.min_choices:
            problems.add(key, f"Choose at least {group.min_choices} in {name!r} ({group.id}).")
        elif count > group.max_choices:
            problems.add(key, f"Choose at most {group.max_choices} in {name!r} ({group.id}).")


def _check_available(
    lines: Sequence[LineRequest], listings: Mapping[UUID, Listing], channel: Channel, at: datetime
) -> None:
    wanted: Counter[UUID] = Counter()
    for line in lines:
        wanted[line.listing_id] += line.quantity
    for listing_id in wanted:
        listing = listings[listing_id]
        details: dict[str, Any] = {"listing_id": str(listing_id), "channel": channel.value}
        if not listing.is_available or channel.value not in (listing.channels or []):
            raise ListingUnavailable("This listing is not offered here.", details=details)
        if not is_open_at(listing.time_windows or [], at):
            raise ListingUnavailable("This listing is not offered at this time.", details=details)
    for listing_id, quantity in wanted.items():
        listing = listings[listing_id]
        if listing.sold_out or (listing.stock is not None and listing.stock < quantity):
            raise SoldOut(
                "Not enough left of this listing.",
                details={
                    "listing_id": str(listing_id),
                    "requested": quantity,
                    "left": listing.stock,
                },
            )


def _priced(
    line: LineRequest,
    listing: Listing,
    group_by_id: dict[UUID, OptionGroup],
    option_by_id: dict[UUID, Option],
) -> PricedLine:
    chosen = [option_by_id[option_id] for option_id in line.option_ids]
    # Group order, then option order, so the same choice always prints the same way.
    chosen.sort(key=lambda option: (group_by_id[option.group_id].position, option.position))
    options = tuple(
        PricedOption(
            option_id=option.id,
            group_name=dict(group_by_id[option.group_id].name),
            name=dict(option.name),
            price_delta_minor=option.price_delta_minor,
        )
        for option in chosen
    )
    # Options may discount but never make an item cost less than nothing.
    unit = max(listing.price_minor + sum(option.price_delta_minor for option in options), 0)
    return PricedLine(
        listing_id=listing.id,
        name=dict(listing.name),
        unit_price_minor=unit,
        options=options,
        quantity=line.quantity,
        line_total_minor=unit * line.quantity,
        stock_tracked=listing.stock is not None,
    )
