"""Shortcuts the demo's home page and `onestreet demo` print: a consumer's table order and the
owner's kiosk, without knowing any shop's id."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get
from litestar.di import NamedDependency
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.shops.member_shops import shops_of_member
from merchant_api.streets.service import StreetService
from storefront.owner.access import SignInFirst, login_redirect, signed_in


@get("/demo/table", include_in_schema=False, exclude_from_auth=True)
async def demo_table(db_session: NamedDependency[AsyncSession]) -> Redirect:
    """The first active food shop's table 1: the journey with options, payment and points."""
    streets = StreetService(db_session)
    for street, _count in await streets.list_streets():
        for shop in (await streets.get_by_slug(street.slug)).shops:
            if shop.category == "food_and_drink" and shop.status == "active":
                return Redirect(f"/shops/{shop.slug}?table=1", status_code=303)
    return Redirect("/", status_code=303)


@get("/kiosk", include_in_schema=False)
async def kiosk_of_mine(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Redirect:
    principal = signed_in(request)
    mine = await shops_of_member(db_session, principal.account_id)
    return Redirect(f"/kiosk/{mine[0].shop.id}" if mine else "/owner", status_code=303)


def demo_router() -> Router:
    return Router(
        path="/",
        route_handlers=[demo_table, kiosk_of_mine],
        exception_handlers={SignInFirst: login_redirect},  # type: ignore[dict-item]
    )
