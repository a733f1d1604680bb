"""A scope check for the programme's own changes (shop status, street hotspots).

Consultants hold no `shops:write` or `streets:write` (they advise, they do not edit a shop's
data), yet they change a shop's programme status and record a street's hotspots. Their write
scope for programme records is `visits:write`; admins need the ordinary write scope. An API
token without that scope is refused, as a read-only token should be.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from infra.auth.guards import authenticated
from infra.auth.roles import Role
from infra.errors import PermissionDenied


def programme_write(admin_scope: str) -> Guard:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = authenticated(connection)
        needed = "visits:write" if principal.role == Role.consultant else admin_scope
        if needed not in principal.scopes:
            raise PermissionDenied("You do not have permission to do this.")

    return guard
