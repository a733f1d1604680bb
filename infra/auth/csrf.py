"""CSRF protection for cookie-authenticated requests that change something.

A browser sends the session cookie with any request, including ones a hostile page makes, so
unsafe requests authenticated by the cookie must also carry the session's CSRF token, in the
`x-csrf-token` header (scripts) or the `_csrf_token` form field (HTML forms). Bearer-token
requests need none: no browser adds an Authorization header on its own.

Installed as an app-wide guard. A handler can opt out with `opt={"csrf_exempt": True}` (only
the login form, which has no session yet, does).
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection, Request
from litestar.enums import RequestEncodingType
from litestar.handlers.base import BaseRouteHandler

from infra.auth.credentials import csrf_matches
from infra.auth.guards import SAFE_METHODS, principal_of
from infra.errors import CsrfFailed
from infra.logging import get_logger

log = get_logger("onestreet.auth")

CSRF_HEADER = "x-csrf-token"
CSRF_FORM_FIELD = "_csrf_token"
_FORM_TYPES = (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART)


async def csrf_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler):
    principal = principal_of(connection)
    if principal is None or principal.via != "session" or principal.csrf_secret is None:
        return
    if connection.scope["type"] != "http" or connection.scope["method"] in SAFE_METHODS:
        return
    if handler.opt.get("csrf_exempt"):
        return
    token = connection.headers.get(CSRF_HEADER)
    if not token and isinstance(connection, Request) and connection.content_type[0] in _FORM_TYPES:
        # Parsed once and cached on the connection, so the handler still gets its form.
        token = (await connection.form()).get(CSRF_FORM_FIELD)
    if not csrf_matches(principal.csrf_secret, token if isinstance(token, str) else None):
        log.warning(
            "csrf_failed",
            account_id=str(principal.account_id),
            path=connection.url.path,
            ip=connection.client.host if connection.client else None,
            token_sent=bool(token),
        )
        raise CsrfFailed(
            "The form or request is missing its security token or it does not match; "
            "reload the page and try again."
        )
