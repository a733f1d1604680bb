"""Who is calling: turns the session cookie or bearer token into `request.user`.

It never rejects a request: anonymous callers get `request.user = None` and public pages stay
public. Guards (infra.auth.guards) decide what needs a signed-in caller. When a credential was
presented but not accepted, the reason is left in the scope so the guard's 401 can say
"session expired" rather than "please sign in".

A bearer token wins over a cookie; an accepted one is remembered for a few seconds
(infra.auth.principal_cache: revocation elsewhere takes effect within that bound). Routes
marked `exclude_from_auth=True` (health probes, static assets) skip the lookup entirely and
always see `request.user = None`.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.types import ASGIApp, Receive, Scope, Send

from infra.auth.api_tokens import ApiTokenService
from infra.auth.credentials import api_token_hash
from infra.auth.guards import AUTH_PROBLEM_KEY
from infra.auth.principal import Principal
from infra.auth.principal_cache import principal_cache_of
from infra.auth.sessions import WebSessionService
from infra.settings import Settings

_MAX_CREDENTIAL_LENGTH = 200


def principal_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            scope["user"] = None
            scope["auth"] = None
            handler = scope.get("route_handler")
            if not (handler is not None and handler.opt.get("exclude_from_auth")):
                await _identify(scope)
        await app(scope, receive, send)

    return middleware


async def _identify(scope: Scope) -> None:
    connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
    state = connection.app.state
    settings: Settings = state.settings
    bearer = _bearer_token(connection.headers.get("authorization"))
    cookie = connection.cookies.get(settings.auth.session_cookie_name)
    if not bearer and not cookie:
        return
    principal: Principal | None
    cache = principal_cache_of(state)
    if bearer:
        # A token seen in the last few seconds needs no transaction (see principal_cache).
        principal = cache.get(api_token_hash(bearer))
        if principal is not None:
            scope["user"] = principal
            scope["auth"] = principal.via
            return
    # Its own short transaction: the request's session is not open yet (guards run first),
    # and last-seen times must be saved even when the request itself fails.
    async with state.session_factory() as session:
        if bearer:
            principal = await ApiTokenService(session).resolve(bearer, cache)
            problem = None if principal else "invalid_token"
        else:
            found = await WebSessionService(session, settings.auth).resolve(cookie or "")
            principal, problem = found.principal, found.problem
        await session.commit()
    scope["user"] = principal
    scope["auth"] = principal.via if principal else None
    if problem:
        scope[AUTH_PROBLEM_KEY] = problem  # type: ignore[literal-required]


def _bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or len(value) > _MAX_CREDENTIAL_LENGTH:
        return None
    return value
