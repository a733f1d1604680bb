"""The shop's Stripe pieces: its connected account (Connect) and Terminal connection tokens.

/api/shops/{shop_id}/stripe-account: the owner (or an admin) creates it once; repeating the
request returns the same account; shop members and assigned consultants can read it.
/api/shops/{shop_id}/stripe-terminal/connection-token: for the shop's reader app (counter
phone tap to pay, kiosk reader), on the shop's account when Connect is on.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import require_scope, shop_guard
from infra.errors import NotFound
from infra.http.openapi import SIGNED_IN as SECURITY
from payments.providers.stripe.accounts import ShopAccountService, shop_account_for
from payments.providers.stripe.errors import StripeNotConfigured
from payments.providers.stripe.schemas import ShopStripeAccountOut, TerminalTokenOut

if TYPE_CHECKING:
    from payments.providers.stripe.provider import StripeProvider

ACCOUNT_CREATORS = frozenset({"owner", "admin"})
# Whoever runs the counter or kiosk reader.
TERMINAL_USERS = frozenset({"owner", "staff", "admin"})


def _connect_enabled(request: Request[Any, Any, Any]) -> bool:
    return bool(request.app.state.settings.stripe.connect_enabled)


class ShopStripeAccountController(Controller):
    path = "/api/shops/{shop_id:uuid}/stripe-account"
    tags = ["payments"]  # noqa: RUF012

    @get(
        "/",
        summary="The shop's Stripe connected account, if it has one",
        guards=[require_scope("payments:read"), shop_guard()],
        security=SECURITY,
    )
    async def read(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
    ) -> ShopStripeAccountOut:
        account = await shop_account_for(db_session, shop_id)
        return ShopStripeAccountOut(shop_id, account, _connect_enabled(request))

    @post(
        "/",
        summary="Create the shop's Stripe connected account once (repeats return it)",
        guards=[require_scope("payments:write"), shop_guard(allow=ACCOUNT_CREATORS)],
        security=SECURITY,
        status_code=200,
    )
    async def ensure(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
    ) -> ShopStripeAccountOut:
        directory = request.app.state.get("merchant_directory")
        if directory is not None and await directory.describe(db_session, shop_id) is None:
            raise NotFound("No such shop.")
        settings = request.app.state.settings.stripe
        account = await ShopAccountService(db_session, _provider(request)).ensure(shop_id)
        return ShopStripeAccountOut(
            shop_id, account.account_id, settings.connect_enabled, account.created
        )


class TerminalTokenController(Controller):
    path = "/api/shops/{shop_id:uuid}/stripe-terminal"
    tags = ["payments"]  # noqa: RUF012

    @post(
        "/connection-token",
        summary="A Stripe Terminal connection token for the shop's reader (tap to pay)",
        guards=[require_scope("payments:write"), shop_guard(allow=TERMINAL_USERS)],
        security=SECURITY,
        status_code=200,
    )
    async def connection_token(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
    ) -> Response[TerminalTokenOut]:
        provider = _provider(request)
        # Direct charges need the reader on the shop's own account; otherwise the platform's.
        account = await shop_account_for(db_session, shop_id) if _connect_enabled(request) else None
        secret = await provider.terminal_connection_token(account)
        return Response(
            TerminalTokenOut(secret=secret, connected_account=account),
            headers={"Cache-Control": "no-store"},
        )


def _provider(request: Request[Any, Any, Any]) -> StripeProvider:
    settings = request.app.state.settings.stripe
    if not settings.secret_key:
        raise StripeNotConfigured("Stripe is not configured on this platform.")
    from payments.providers.stripe import build_stripe_provider

    return build_stripe_provider(settings)


def stripe_account_routes() -> list[Any]:
    return [ShopStripeAccountController, TerminalTokenController]
