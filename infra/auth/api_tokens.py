"""Bearer API tokens: made by a signed-in user, shown once, kept as a hash, revocable.
Never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.credentials import api_token_display_prefix, api_token_hash, new_api_token
from infra.auth.models import ApiToken
from infra.auth.principal import Principal
from infra.auth.principal_cache import PrincipalCache
from infra.auth.repository import ApiTokenRepository
from infra.auth.roles import SCOPES, scopes_for
from infra.db import utcnow
from infra.errors import NotFound, ValidationFailed

# last_used_at is informational; writing it once a minute is precise enough.
_TOUCH_EVERY_SECONDS = 60


@dataclass(frozen=True, slots=True)
class NewApiToken:
    token: str
    api_token: ApiToken


class ApiTokenService:
    def __init__(self, session: AsyncSession) -> None:
        self.tokens = ApiTokenRepository(session)

    async def create(
        self,
        owner: Principal,
        *,
        name: str,
        scopes: list[str],
        expires_at: datetime | None = None,
    ) -> NewApiToken:
        name = name.strip()
        if not name or len(name) > 100:
            raise ValidationFailed(
                "Give the token a name of 1 to 100 characters.", details={"field": "name"}
            )
        wanted = _checked_scopes(scopes, owner)
        if expires_at is not None and expires_at <= utcnow():
            raise ValidationFailed(
                "The expiry must be in the future.", details={"field": "expires_at"}
            )
        token = new_api_token()
        api_token = await self.tokens.add(
            ApiToken(
                account_id=owner.account_id,
                name=name,
                token_hash=api_token_hash(token),
                prefix=api_token_display_prefix(token),
                scopes=wanted,
                created_at=utcnow(),
                expires_at=expires_at,
            )
        )
        return NewApiToken(token, api_token)

    async def list_of(self, account_id: UUID) -> list[ApiToken]:
        return await self.tokens.of_account(account_id)

    async def revoke(self, account_id: UUID, token_id: UUID) -> None:
        """Revoke one of the account's tokens; someone else's token is 'not found'."""
        api_token = await self.tokens.get_of_account(token_id, account_id)
        if api_token is None:
            raise NotFound("You have no API token with this id.")
        await self.tokens.revoke(api_token.id, utcnow())

    async def resolve(self, token: str, cache: PrincipalCache | None = None) -> Principal | None:
        """The token's principal, or None; an accepted token is remembered in `cache`."""
        token_hash = api_token_hash(token)
        found = await self.tokens.with_account(token_hash)
        if found is None:
            return None
        api_token, account = found
        now = utcnow()
        if (
            api_token.revoked_at is not None
            or (api_token.expires_at is not None and api_token.expires_at <= now)
            or not account.is_active
        ):
            return None
        last_used = api_token.last_used_at
        if last_used is None or (now - last_used).total_seconds() >= _TOUCH_EVERY_SECONDS:
            await self.tokens.touch(api_token.id, now)
        principal = Principal(
            account_id=account.id,
            role=account.role,
            # Never more than the role allows today, whatever the token was given then.
            scopes=frozenset(api_token.scopes) & scopes_for(account.role),
            via="token",
            csrf=None,
            credential_id=api_token.id,
        )
        if cache is not None:
            cache.put(token_hash, principal, api_token.expires_at)
        return principal


def _checked_scopes(scopes: list[str], owner: Principal) -> list[str]:
    wanted = sorted(set(scopes))
    if not wanted:
        raise ValidationFailed(
            "Choose at least one scope for the token.", details={"field": "scopes"}
        )
    unknown = [scope for scope in wanted if scope not in SCOPES]
    if unknown:
        raise ValidationFailed(
            f"Unknown scope {unknown[0]!r}.",
            details={"field": "scopes", "known": sorted(SCOPES)},
        )
    beyond = [scope for scope in wanted if scope not in owner.scopes]
    if beyond:
        raise ValidationFailed(
            f"Your account cannot grant the scope {beyond[0]!r}.",
            details={"field": "scopes", "allowed": sorted(owner.scopes)},
        )
    return wanted
