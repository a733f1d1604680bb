"""/api/shops/{shop_id}/listings/{listing_id}/option-groups: sizes, spice levels, add-ons."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, delete, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.catalog.models import OptionGroup
from merchant_api.catalog.options import OptionService
from merchant_api.catalog.repository import ListingRepository
from merchant_api.catalog.routes import SECURITY, WRITE_GUARDS
from merchant_api.catalog.schemas import (
    OptionGroupIn,
    OptionGroupOut,
    OptionGroupUpdate,
    OptionIn,
    OptionUpdate,
    group_out,
)
from merchant_api.i18n import resolve_language
from merchant_api.strict_body import decode_strictly


async def _group_answer(
    session: AsyncSession, group: OptionGroup, lang: str | None
) -> OptionGroupOut:
    options = await ListingRepository(session).options_of([group.id])
    return group_out(group, options, resolve_language(lang))


class OptionGroupController(Controller):
    path = "/api/shops/{shop_id:uuid}/listings/{listing_id:uuid}/option-groups"
    tags = ["catalog"]  # noqa: RUF012
    guards = WRITE_GUARDS
    security = SECURITY

    @post("/", summary="Add an option group, with its options")
    async def create_group(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
        data: JSONBody[OptionGroupIn],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> OptionGroupOut:
        body = await decode_strictly(request, OptionGroupIn)
        group = await OptionService(db_session).create_group(shop_id, listing_id, body)
        return await _group_answer(db_session, group, lang)

    @patch("/{group_id:uuid}", summary="Change an option group's name or choice rules")
    async def update_group(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
        group_id: FromPath[uuid.UUID],
        data: JSONBody[OptionGroupUpdate],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> OptionGroupOut:
        body = await decode_strictly(request, OptionGroupUpdate)
        group = await OptionService(db_session).update_group(shop_id, listing_id, group_id, body)
        return await _group_answer(db_session, group, lang)

    @delete("/{group_id:uuid}", summary="Remove an option group and its options")
    async def delete_group(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
        group_id: FromPath[uuid.UUID],
    ) -> None:
        await OptionService(db_session).delete_group(shop_id, listing_id, group_id)

    @post("/{group_id:uuid}/options", summary="Add an option to a group")
    async def add_option(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
        group_id: FromPath[uuid.UUID],
        data: JSONBody[OptionIn],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> OptionGroupOut:
        body = await decode_strictly(request, OptionIn)
        service = OptionService(db_session)
        await service.add_option(shop_id, listing_id, group_id, body)
        _, group = await service.group(shop_id, listing_id, group_id)
        return await _group_answer(db_session, group, lang)

    @patch("/{group_id:uuid}/options/{option_id:uuid}", summary="Change an option")
    async def update_option(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
        group_id: FromPath[uuid.UUID],
        option_id: FromPath[uuid.UUID],
        data: JSONBody[OptionUpdate],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> OptionGroupOut:
        body = await decode_strictly(request, OptionUpdate)
        service = OptionService(db_session)
        await service.update_option(shop_id, listing_id, group_id, option_id, body)
        _, group = await service.group(shop_id, listing_id, group_id)
        return await _group_answer(db_session, group, lang)

    @delete("/{group_id:uuid}/options/{option_id:uuid}", summary="Remove an option")
    async def delete_option(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
        group_id: FromPath[uuid.UUID],
        option_id: FromPath[uuid.UUID],
    ) -> None:
        await OptionService(db_session).delete_option(shop_id, listing_id, group_id, option_id)
