"""The auth API: sign in and out, who am I, and API tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import Cookie, State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import FromPath, JSONBody
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.api_tokens import ApiTokenService
from infra.auth.guards import authenticated, principal_of, require_authenticated, require_scope
from infra.auth.login import LoginService
from infra.auth.principal_cache import principal_cache_of
from infra.auth.schemas import (
    LoginIn,
    LoginOut,
    MalformedJson,
    MeOut,
    TokenCreatedOut,
    TokenCreateIn,
    TokenOut,
)
from infra.auth.service import AccountService
from infra.auth.sessions import WebSessionService, session_cookie_max_age
from infra.errors import CsrfFailed, NotAuthenticated, PermissionDenied, ValidationFailed
from infra.logging import get_logger
from infra.ratelimit import RateLimiter
from infra.settings import Settings

log = get_logger("onestreet.auth")

_FORM_TYPES = (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART)


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]  # noqa: RUF012

    @post(
        "/login",
        status_code=200,
        opt={"csrf_exempt": True},
        summary="Sign in with e-mail and password (JSON, or a form post from the login page)",
        description="Sets the session cookie and returns the CSRF token. A form post is "
        "answered with a 303 redirect to its `next` field (a path on this site) instead.",
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        state: State,
    ) -> Response[LoginOut]:
        _refuse_cross_site_sign_in(request)
        fields, is_form = await _login_fields(request)
        settings: Settings = state.settings
        service = LoginService(db_session, settings.auth, RateLimiter(state.rate_limits))
        result = await service.attempt(fields.email, fields.password, _client_ip(request))
        if result.error is not None:
            # The failure count and any lock-out must survive this error response.
            await db_session.commit()
            raise result.error
        assert result.account is not None and result.new_session is not None
        new = result.new_session
        cookie = _session_cookie(settings, new.token)
        if is_form:
            target = _safe_next(await request.form())
            return Redirect(target, status_code=303, cookies=[cookie])  # type: ignore[return-value]
        body = LoginOut(
            account=MeOut.of(result.account, new.principal),
            csrf_token=new.principal.csrf or "",
            session_expires_at=new.web_session.expires_at,
        )
        return Response(body, cookies=[cookie])

    @post("/logout", status_code=204, summary="Sign out: revoke this session, drop the cookie")
    async def logout(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> Response[None]:
        settings: Settings = request.app.state.settings
        principal = principal_of(request)
        if principal is not None and principal.via == "session":
            await WebSessionService(db_session, settings.auth).revoke(principal.credential_id)
            log.info("logout", account_id=str(principal.account_id))
        response: Response[None] = Response(None, status_code=204)
        response.delete_cookie(settings.auth.session_cookie_name, path="/")
        return response

    @get("/me", guards=[require_authenticated], summary="The signed-in account and CSRF token")
    async def me(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> MeOut:
        principal = authenticated(request)
        account = await AccountService(db_session).get(principal.account_id)
        if account is None:
            raise NotAuthenticated("Please sign in to continue.")
        return MeOut.of(account, principal)

    @post(
        "/tokens",
        guards=[require_authenticated],
        summary="Make an API token (shown once)",
        description="Only from a signed-in session: a leaked token cannot mint more tokens. "
        "Scopes must be ones your role has.",
    )
    async def create_token(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[TokenCreateIn],
    ) -> TokenCreatedOut:
        principal = authenticated(request)
        if principal.via != "session":
            raise PermissionDenied("API tokens can only be made from a signed-in session.")
        new = await ApiTokenService(db_session).create(
            principal, name=data.name, scopes=data.scopes, expires_at=data.expires_at
        )
        log.info(
            "api_token_created",
            account_id=str(principal.account_id),
            token_id=str(new.api_token.id),
        )
        return TokenCreatedOut(token=new.token, api_token=TokenOut.of(new.api_token))

    @get("/tokens", guards=[require_scope("tokens:read")], summary="Your API tokens")
    async def list_tokens(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> list[TokenOut]:
        principal = authenticated(request)
        tokens = await ApiTokenService(db_session).list_of(principal.account_id)
        return [TokenOut.of(token) for token in tokens]

    @delete(
        "/tokens/{token_id:uuid}",
        guards=[require_scope("tokens:write")],
        summary="Revoke an API token",
    )
    async def revoke_token(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        token_id: FromPath[UUID],
    ) -> None:
        principal = authenticated(request)
        await ApiTokenService(db_session).revoke(principal.account_id, token_id)
        # This process forgets it now; other workers within principal_cache.TTL_SECONDS.
        principal_cache_of(request.app.state).forget_credential(token_id)
        log.info("api_token_revoked", account_id=str(principal.account_id), token_id=str(token_id))


def auth_routes() -> list[type[Controller]]:
    return [AuthController]


async def _login_fields(request: Request[Any, Any, Any]) -> tuple[LoginIn, bool]:
    if request.content_type[0] in _FORM_TYPES:
        form = await request.form()
        payload: Any = {"email": form.get("email") or "", "password": form.get("password") or ""}
        is_form = True
    else:
        try:
            payload = msgspec.json.decode(await request.body())
        except msgspec.DecodeError:
            raise MalformedJson("The request body is not valid JSON.") from None
        is_form = False
    try:
        return msgspec.convert(payload, LoginIn), is_form
    except msgspec.ValidationError as exc:
        raise ValidationFailed(
            "Send an e-mail address and a password.", details={"problem": str(exc)}
        ) from None


def _session_cookie(settings: Settings, token: str) -> Cookie:
    return Cookie(
        key=settings.auth.session_cookie_name,
        value=token,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.auth.session_cookie_secure,
        max_age=session_cookie_max_age(settings.auth),
    )


def _client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def _refuse_cross_site_sign_in(request: Request[Any, Any, Any]) -> None:
    """Refuse sign-ins posted from other sites (login CSRF: signing a victim into our attacker's
    account). Browsers send Origin on every cross-site POST; scripts usually send none."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        log.warning("login_cross_origin", origin=origin, ip=_client_ip(request))
        raise CsrfFailed("Sign-in forms must be posted from this site.")


def _safe_next(form: Any) -> str:
    """Only paths on this site, so the login form cannot be used to redirect elsewhere."""
    target = str(form.get("next") or "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
