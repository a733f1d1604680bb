"""Request and response bodies of the auth API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from infra.auth.models import Account, ApiToken
from infra.auth.principal import Principal
from infra.errors import OneStreetError


class MalformedJson(OneStreetError):
    status_code = 400
    code = "malformed_json"


class LoginIn(msgspec.Struct):
    email: Annotated[str, msgspec.Meta(min_length=1, max_length=254)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]


class MeOut(msgspec.Struct):
    account_id: UUID
    email: str | None
    phone: str | None
    display_name: str
    role: str
    scopes: list[str]
    via: Literal["session", "token"]
    # Send this back in `x-csrf-token` (or the `_csrf_token` form field) on unsafe requests
    # made with the session cookie. None when signed in with an API token.
    csrf_token: str | None

    @classmethod
    def of(cls, account: Account, principal: Principal) -> MeOut:
        return cls(
            account_id=account.id,
            email=account.email,
            phone=account.phone,
            display_name=account.display_name,
            role=account.role.value,
            scopes=sorted(principal.scopes),
            via=principal.via,
            csrf_token=principal.csrf,
        )


class LoginOut(msgspec.Struct):
    account: MeOut
    csrf_token: str
    session_expires_at: datetime


class TokenCreateIn(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    scopes: list[str]
    # With an offset ("Z" or "+08:00"): a bare local time is ambiguous.
    expires_at: Annotated[datetime, msgspec.Meta(tz=True)] | None = None


class TokenOut(msgspec.Struct):
    id: UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenOut:
        return cls(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            scopes=list(token.scopes),
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
        )


class TokenCreatedOut(msgspec.Struct):
    # The only time the plain token is shown; it is stored as a hash.
    token: str
    api_token: TokenOut
