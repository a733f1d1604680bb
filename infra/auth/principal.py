"""Who is calling: the `Principal` found in `request.user` (None for anonymous callers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from infra.auth.roles import Role


@dataclass(frozen=True, slots=True)
class Principal:
    account_id: UUID
    role: Role
    scopes: frozenset[str]
    # "session": a browser cookie (unsafe requests need the CSRF token);
    # "token": an `Authorization: Bearer` API token (no CSRF, scopes narrowed by the token).
    via: Literal["session", "token"]
    # The CSRF token to send back in `x-csrf-token` or `_csrf_token` (None for tokens). A fresh
    # masked form per request, so a compressed page never repeats the same bytes (BREACH).
    csrf: str | None
    # The web session's or API token's id: what logout or revocation acts on.
    credential_id: UUID
    # The session's raw CSRF secret, kept off repr so it never reaches a log line.
    csrf_secret: str | None = field(default=None, repr=False)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles
