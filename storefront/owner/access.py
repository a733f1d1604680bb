"""Who may open the owner console for a shop: its owners and staff, and platform admins.

Pages answer a visitor who is not signed in with the login page (not a JSON 401), since the
people who reach them are shop owners following a link, not scripts.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from litestar import Request
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import principal_of, shop_access_policy
from infra.auth.principal import Principal
from infra.auth.roles import Role
from infra.errors import PermissionDenied


class SignInFirst(Exception):
    """The visitor must sign in; carries where to come back to."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def signed_in(request: Request[Any, Any, Any]) -> Principal:
    principal = principal_of(request)
    if principal is None or principal.via != "session":
        raise SignInFirst(request.url.path)
    return principal


async def console_role(
    request: Request[Any, Any, Any], session: AsyncSession, shop_id: uuid.UUID
) -> tuple[Principal, str]:
    """(the principal, "owner" | "staff" | "admin") or PermissionDenied."""
    principal = signed_in(request)
    if principal.role == Role.platform_admin:
        return principal, "admin"
    if principal.role == Role.merchant:
        role = await shop_access_policy(request).member_role(session, principal.account_id, shop_id)
        if role:
            return principal, role
    raise PermissionDenied("You do not work at this shop.")


def login_redirect(_: Request[Any, Any, Any], exc: SignInFirst) -> Redirect:
    return Redirect(f"/owner/login?next={quote(exc.next_path)}", status_code=303)
