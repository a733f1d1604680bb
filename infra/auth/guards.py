"""Guards: one line on a route says who may call it.

    @get("/shops/{shop_id:uuid}/orders", guards=[shop_guard()])
    @post("/streets", guards=[require_roles(Role.platform_admin)])
    @put("/shops/{shop_id:uuid}/products", guards=[require_scope("catalog:write"), shop_guard()])

Anonymous callers get 401 (`not_authenticated`, or `session_expired` when their cookie has
timed out); authenticated callers without the right get 403 `permission_denied`.

Shop and street guards answer an unknown id, a malformed id and an id the caller has no role in
with the same 403, so nobody learns which shops exist. (A route that declares its parameter as
`{shop_id:uuid}` never reaches the guard with a malformed id: Litestar's router answers 404.)
The role the caller holds in the shop is kept for the handler: `shop_role(request)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from infra.auth.principal import Principal
from infra.auth.roles import SCOPES, Role
from infra.auth.shop_access import DenyAllShopAccess, ShopAccessPolicy
from infra.errors import NotAuthenticated, PermissionDenied, SessionExpired
from infra.logging import get_logger

log = get_logger("onestreet.auth")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SHOP_ACCESS = frozenset({"owner", "staff", "consultant", "admin"})
STREET_ACCESS = frozenset({"consultant", "admin"})
# Where the shop guard leaves the caller's role in the shop for the handler.
_SHOP_ROLE_KEY = "onestreet_shop_role"
# Where the principal middleware notes why a presented credential was not accepted.
AUTH_PROBLEM_KEY = "onestreet_auth_problem"


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The caller, or None for anonymous requests (and routes marked exclude_from_auth)."""
    return connection.scope.get("user")  # type: ignore[return-value]


def authenticated(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The caller, or the 401 that explains why there is none."""
    principal = principal_of(connection)
    if principal is not None:
        return principal
    problem = connection.scope.get(AUTH_PROBLEM_KEY)  # type: ignore[misc]
    if problem == "session_expired":
        raise SessionExpired("Your session has expired; please sign in again.")
    if problem == "invalid_token":
        raise NotAuthenticated("The API token is unknown, expired or revoked.")
    raise NotAuthenticated("Please sign in to continue.")


def _deny(
    connection: ASGIConnection[Any, Any, Any, Any], principal: Principal, reason: str
) -> PermissionDenied:
    log.warning(
        "access_denied",
        account_id=str(principal.account_id),
        role=principal.role.value,
        via=principal.via,
        path=connection.url.path,
        reason=reason,
        ip=connection.client.host if connection.client else None,
    )
    return PermissionDenied("You do not have permission to do this.")


async def require_authenticated(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    authenticated(connection)


def require_roles(*roles: Role) -> Guard:
    """Only accounts with one of these roles."""
    allowed = frozenset(Role(role) for role in roles)
    if not allowed:
        raise ValueError("require_roles needs at least one role")

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = authenticated(connection)
        if principal.role not in allowed:
            raise _deny(connection, principal, f"role {principal.role.value} not allowed")

    return guard


def require_scope(*scopes: str) -> Guard:
    """The credential must hold every one of these scopes (sessions hold all their role's)."""
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        # Fail at import time: a typo here would otherwise deny everyone, silently.
        raise ValueError(f"unknown scope(s) {unknown}; known scopes are in infra.auth.roles")
    needed = frozenset(scopes)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = authenticated(connection)
        missing = needed - principal.scopes
        if missing:
            raise _deny(connection, principal, f"missing scope {sorted(missing)[0]}")

    return guard


async def ministry_viewer(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Programme KPI pages and exports: ministry viewers read, platform admins read and write."""
    principal = authenticated(connection)
    if principal.role == Role.platform_admin:
        return
    if principal.role != Role.ministry_viewer:
        raise _deny(connection, principal, "not a ministry viewer")
    if connection.scope.get("method", "GET") not in SAFE_METHODS:
        raise _deny(connection, principal, "ministry viewers are read-only")


def shop_role(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """What the shop guard granted: "owner", "staff", "consultant" or "admin"."""
    return connection.scope.get(_SHOP_ROLE_KEY)  # type: ignore[return-value]


def shop_access_policy(connection: ASGIConnection[Any, Any, Any, Any]) -> ShopAccessPolicy:
    return connection.app.state.get("shop_access") or DenyAllShopAccess()


def shop_guard(param: str = "shop_id", allow: Iterable[str] = SHOP_ACCESS) -> Guard:
    """Owner or staff of the shop in path parameter `param`, a consultant assigned to it, or a
    platform admin; `allow` narrows that (e.g. {"owner", "admin"} for closing a shop)."""
    allowed = _checked(allow, SHOP_ACCESS)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = authenticated(connection)
        shop_id = _uuid_param(connection, param)
        granted = None
        if shop_id is not None:
            granted = await _shop_grant(connection, principal, shop_id, allowed)
        if granted is None:
            raise _deny(
                connection, principal, f"no access to shop {connection.path_params.get(param)}"
            )
        connection.scope[_SHOP_ROLE_KEY] = granted  # type: ignore[literal-required]

    return guard


def street_guard(param: str = "street_id", allow: Iterable[str] = STREET_ACCESS) -> Guard:
    """A consultant assigned to the street in path parameter `param`, or a platform admin."""
    allowed = _checked(allow, STREET_ACCESS)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = authenticated(connection)
        street_id = _uuid_param(connection, param)
        if street_id is not None:
            if "admin" in allowed and principal.role == Role.platform_admin:
                return
            if "consultant" in allowed and principal.role == Role.consultant:
                policy = shop_access_policy(connection)
                async with connection.app.state.session_factory() as session:
                    if await policy.consultant_street_assigned(
                        session, principal.account_id, street_id
                    ):
                        return
        raise _deny(
            connection, principal, f"no access to street {connection.path_params.get(param)}"
        )

    return guard


async def _shop_grant(
    connection: ASGIConnection[Any, Any, Any, Any],
    principal: Principal,
    shop_id: UUID,
    allowed: frozenset[str],
) -> str | None:
    if principal.role == Role.platform_admin:
        return "admin" if "admin" in allowed else None
    policy = shop_access_policy(connection)
    async with connection.app.state.session_factory() as session:
        if principal.role == Role.consultant:
            if "consultant" in allowed and await policy.consultant_assigned(
                session, principal.account_id, shop_id
            ):
                return "consultant"
            return None
        member = await policy.member_role(session, principal.account_id, shop_id)
    return member if member in allowed else None


def _checked(allow: Iterable[str], known: frozenset[str]) -> frozenset[str]:
    allowed = frozenset(allow)
    if not allowed or not allowed <= known:
        raise ValueError(f"allow must be a non-empty subset of {sorted(known)}, got {allow!r}")
    return allowed


def _uuid_param(connection: ASGIConnection[Any, Any, Any, Any], param: str) -> UUID | None:
    value = connection.path_params.get(param)
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        return None
