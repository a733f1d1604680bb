"""Option groups ("Size", "Spice level", "Add-ons") and their options. Services never commit."""

from __future__ import annotations

import uuid

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound, ValidationFailed
from merchant_api.catalog.models import Listing, Option, OptionGroup
from merchant_api.catalog.repository import ListingRepository
from merchant_api.catalog.schemas import OptionGroupIn, OptionGroupUpdate, OptionIn, OptionUpdate
from merchant_api.i18n import text_problems

MAX_OPTIONS_PER_GROUP = 30


def _problem(key: str, message: str) -> dict[str, str]:
    return {"key": key, "message": message, "source": "body"}


def _texts(texts: dict[str, str]) -> dict[str, str]:
    return {language: text.strip() for language, text in texts.items() if text.strip()}


def choice_problems(required: bool, min_choices: int, max_choices: int) -> list[dict[str, str]]:
    """A required group asks for at least one choice; an optional one may be left empty."""
    problems = []
    if max_choices < 1:
        problems.append(_problem("max_choices", "At least 1."))
    if min_choices > max_choices:
        problems.append(_problem("min_choices", "Cannot exceed max_choices."))
    if required and min_choices < 1:
        problems.append(_problem("min_choices", "A required group needs at least 1 choice."))
    return problems


def option_problems(prefix: str, option: OptionIn, price_minor: int) -> list[dict[str, str]]:
    problems = text_problems(f"{prefix}name", option.name, required=True, max_length=60)
    if option.price_delta_minor < -price_minor:
        problems.append(
            _problem(f"{prefix}price_delta_minor", "Cannot take off more than the listing's price.")
        )
    return problems


def _refuse(problems: list[dict[str, str]]) -> None:
    if problems:
        raise ValidationFailed("The option cannot be saved.", details={"problems": problems})


class OptionService:
    def __init__(self, session: AsyncSession) -> None:
        self.listings = ListingRepository(session)

    async def _listing(self, shop_id: uuid.UUID, listing_id: uuid.UUID) -> Listing:
        listing = await self.listings.get(listing_id)
        if listing is None or listing.shop_id != shop_id or listing.deleted_at is not None:
            raise NotFound(f"There is no listing {listing_id} in this shop.")
        return listing

    async def group(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, group_id: uuid.UUID
    ) -> tuple[Listing, OptionGroup]:
        listing = await self._listing(shop_id, listing_id)
        group = await self.listings.group(group_id)
        if group is None or group.listing_id != listing.id:
            raise NotFound(f"There is no option group {group_id} on this listing.")
        return listing, group

    async def create_group(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, data: OptionGroupIn
    ) -> OptionGroup:
        listing = await self._listing(shop_id, listing_id)
        problems = [
            *text_problems("name", data.name, required=True, max_length=60),
            *choice_problems(data.required, data.min_choices, data.max_choices),
        ]
        if len(data.options) > MAX_OPTIONS_PER_GROUP:
            problems.append(_problem("options", f"At most {MAX_OPTIONS_PER_GROUP} options."))
        for index, option in enumerate(data.options):
            problems += option_problems(f"options[{index}].", option, listing.price_minor)
        _refuse(problems)
        group = OptionGroup(
            listing_id=listing.id,
            name=_texts(data.name),
            required=data.required,
            min_choices=data.min_choices,
            max_choices=data.max_choices,
            position=data.position,
        )
        self.listings.add(group)
        await self.listings.flush()
        for index, option in enumerate(data.options):
            self.listings.add(self._option(group, option, default_position=index))
        await self.listings.flush()
        return group

    @staticmethod
    def _option(group: OptionGroup, data: OptionIn, default_position: int = 0) -> Option:
        return Option(
            group_id=group.id,
            name=_texts(data.name),
            price_delta_minor=data.price_delta_minor,
            is_available=data.is_available,
            position=data.position or default_position,
        )

    async def update_group(
        self,
        shop_id: uuid.UUID,
        listing_id: uuid.UUID,
        group_id: uuid.UUID,
        data: OptionGroupUpdate,
    ) -> OptionGroup:
        _, group = await self.group(shop_id, listing_id, group_id)
        unset = msgspec.UNSET
        required = group.required if data.required is unset else data.required
        low = group.min_choices if data.min_choices is unset else data.min_choices
        high = group.max_choices if data.max_choices is unset else data.max_choices
        problems = choice_problems(required, low, high)
        if data.name is not unset:
            problems += text_problems("name", data.name, required=True, max_length=60)
        _refuse(problems)
        if data.name is not unset:
            group.name = _texts(data.name)
        if data.position is not unset:
            group.position = data.position
        group.required, group.min_choices, group.max_choices = required, low, high
        await self.listings.flush()
        return group

    async def delete_group(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, group_id: uuid.UUID
    ) -> None:
        # Placed orders keep a snapshot of the options they chose, so removing is safe.
        _, group = await self.group(shop_id, listing_id, group_id)
        await self.listings.delete(group)
        await self.listings.flush()

    async def add_option(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, group_id: uuid.UUID, data: OptionIn
    ) -> Option:
        listing, group = await self.group(shop_id, listing_id, group_id)
        _refuse(option_problems("", data, listing.price_minor))
        option = self._option(group, data)
        self.listings.add(option)
        await self.listings.flush()
        return option

    async def _option_of(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, group_id: uuid.UUID, option_id: uuid.UUID
    ) -> tuple[Listing, Option]:
        listing, group = await self.group(shop_id, listing_id, group_id)
        option = await self.listings.option(option_id)
        if option is None or option.group_id != group.id:
            raise NotFound(f"There is no option {option_id} in this group.")
        return listing, option

    async def update_option(
        self,
        shop_id: uuid.UUID,
        listing_id: uuid.UUID,
        group_id: uuid.UUID,
        option_id: uuid.UUID,
        data: OptionUpdate,
    ) -> Option:
        listing, option = await self._option_of(shop_id, listing_id, group_id, option_id)
        unset = msgspec.UNSET
        merged = OptionIn(
            name=option.name if data.name is unset else data.name,
            price_delta_minor=(
                option.price_delta_minor
                if data.price_delta_minor is unset
                else data.price_delta_minor
            ),
        )
        _refuse(option_problems("", merged, listing.price_minor))
        option.name = _texts(merged.name)
        option.price_delta_minor = merged.price_delta_minor
        if data.is_available is not unset:
            option.is_available = data.is_available
        if data.position is not unset:
            option.position = data.position
        await self.listings.flush()
        return option

    async def delete_option(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, group_id: uuid.UUID, option_id: uuid.UUID
    ) -> None:
        _, option = await self._option_of(shop_id, listing_id, group_id, option_id)
        await self.listings.delete(option)
        await self.listings.flush()
