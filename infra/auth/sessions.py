"""Web sessions: a random cookie value, kept as a keyed hash, with idle and absolute timeouts.
Never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.credentials import (
    mask_csrf,
    new_csrf_secret,
    new_session_token,
    session_token_hash,
)
from infra.auth.models import Account, WebSession
from infra.auth.principal import Principal
from infra.auth.repository import WebSessionRepository
from infra.auth.roles import scopes_for
from infra.db import utcnow
from infra.settings import AuthSettings

# last_seen_at is written at most this often (and at most every tenth of the idle timeout),
# so a busy page does not turn every read into a write.
_TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str  # the cookie value; shown once, stored only as a hash
    web_session: WebSession
    principal: Principal


@dataclass(frozen=True, slots=True)
class SessionLookup:
    principal: Principal | None
    # "session_expired" or "invalid_session" when a cookie was presented but not accepted.
    problem: str | None = None


class WebSessionService:
    def __init__(self, session: AsyncSession, settings: AuthSettings) -> None:
        self.settings = settings
        self.sessions = WebSessionRepository(session)

    async def start(self, account: Account) -> NewSession:
        now = utcnow()
        token = new_session_token()
        web_session = await self.sessions.add(
            WebSession(
                account_id=account.id,
                token_hash=session_token_hash(self.settings.secret_key, token),
                csrf_secret=new_csrf_secret(),
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(hours=self.settings.session_absolute_timeout_hours),
            )
        )
        return NewSession(token, web_session, _principal(account, web_session))

    async def resolve(self, token: str) -> SessionLookup:
        found = await self.sessions.with_account(
            session_token_hash(self.settings.secret_key, token)
        )
        if found is None:
            return SessionLookup(None, "invalid_session")
        web_session, account = found
        if web_session.revoked_at is not None or not account.is_active:
            return SessionLookup(None, "invalid_session")
        now = utcnow()
        idle = timedelta(minutes=self.settings.session_idle_timeout_minutes)
        if web_session.expires_at <= now or web_session.last_seen_at + idle <= now:
            return SessionLookup(None, "session_expired")
        if now - web_session.last_seen_at >= min(_TOUCH_EVERY, idle / 10):
            await self.sessions.touch(web_session.id, now)
        return SessionLookup(_principal(account, web_session))

    async def revoke(self, session_id: UUID) -> None:
        await self.sessions.revoke(session_id, utcnow())

    async def revoke_all_of(self, account_id: UUID) -> None:
        """Sign an account out everywhere (after a password change or when disabling it)."""
        await self.sessions.revoke_all_of(account_id, utcnow())

    async def purge_ended(self, older_than: timedelta = timedelta(days=30)) -> int:
        """Delete sessions that ended more than `older_than` ago; for a periodic task."""
        return await self.sessions.delete_ended_before(utcnow() - older_than)


def _principal(account: Account, web_session: WebSession) -> Principal:
    return Principal(
        account_id=account.id,
        # The account's current role, so a role change applies to open sessions.
        role=account.role,
        scopes=scopes_for(account.role),
        via="session",
        csrf=mask_csrf(web_session.csrf_secret),
        credential_id=web_session.id,
        csrf_secret=web_session.csrf_secret,
    )


def session_cookie_max_age(settings: AuthSettings) -> int:
    return settings.session_absolute_timeout_hours * 3600


def expires_in(moment: datetime) -> int:
    return max(1, int((moment - utcnow()).total_seconds()))
