"""/api/shops: a public read, and the member-only read and write behind the shop guard."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import require_scope, shop_guard
from infra.db import utcnow
from infra.http.openapi import SIGNED_IN as SECURITY
from merchant_api.i18n import resolve_language
from merchant_api.shops.schemas import (
    MemberOut,
    ShopDetail,
    ShopMembers,
    ShopUpdate,
    shop_detail,
)
from merchant_api.shops.service import ShopService
from merchant_api.strict_body import decode_strictly

# Platform admins act for shops whose owners need help (many are older and new to phones);
# consultants advise and read, but do not change a shop's data.
SHOP_EDITORS = frozenset({"owner", "staff", "admin"})


class ShopController(Controller):
    path = "/api/shops"
    tags = ["shops"]  # noqa: RUF012

    @get(
        "/{shop_id:uuid}",
        summary="A shop with its listings, payment methods, languages and opening now",
        exclude_from_auth=True,
    )
    async def get_shop(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        lang: FromQuery[str | None] = None,
    ) -> ShopDetail:
        profile = await ShopService(db_session).profile(shop_id, utcnow())
        return shop_detail(profile, resolve_language(lang))

    @get(
        "/{shop_id:uuid}/members",
        summary="The shop's owners, staff and assigned consultants",
        guards=[require_scope("shops:read"), shop_guard()],
        security=SECURITY,
    )
    async def list_members(
        self, db_session: NamedDependency[AsyncSession], shop_id: FromPath[uuid.UUID]
    ) -> ShopMembers:
        people = await ShopService(db_session).people(shop_id)
        return ShopMembers(
            shop_id=shop_id,
            members=[
                MemberOut(
                    account_id=account.id,
                    display_name=account.display_name,
                    email=account.email or "",
                    role=member.role,
                )
                for member, account in people.members
            ],
            consultants=[
                MemberOut(
                    account_id=account.id,
                    display_name=account.display_name,
                    email=account.email or "",
                    role="consultant",
                )
                for account in people.consultants
            ],
        )

    @patch(
        "/{shop_id:uuid}",
        summary="Change the shop's contact, description, payment methods or staff languages",
        guards=[require_scope("shops:write"), shop_guard(allow=SHOP_EDITORS)],
        security=SECURITY,
    )
    async def update_shop(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[ShopUpdate],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> ShopDetail:
        service = ShopService(db_session)
        # `data` documents the body; the phone must arrive as a JSON string, not a number.
        body = await decode_strictly(request, ShopUpdate)
        await service.update(shop_id, body)
        return shop_detail(await service.profile(shop_id, utcnow()), resolve_language(lang))


def shop_routes() -> list:  # type: ignore[type-arg]
    """The shop controllers, for merchant_api.routes."""
    from merchant_api.shops.hours_routes import HoursController
    from merchant_api.shops.people_routes import InvitationAcceptController, ShopPeopleController

    return [ShopController, HoursController, ShopPeopleController, InvitationAcceptController]
