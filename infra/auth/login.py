"""Password sign-in with per-IP rate limiting and per-account lock-out. Never commits.

A failed attempt must be counted even though the request fails, so `attempt` returns the
error instead of raising it; the route commits the count and then raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from infra.auth.passwords import needs_rehash, rehash_password, verify_password
from infra.auth.repository import AccountRepository
from infra.auth.service import normalise_email
from infra.auth.sessions import NewSession, WebSessionService, expires_in
from infra.db import utcnow
from infra.errors import AccountLocked, InvalidCredentials, OneStreetError
from infra.logging import get_logger
from infra.ratelimit import RateLimiter
from infra.settings import AuthSettings

log = get_logger("onestreet.auth")


@dataclass(frozen=True, slots=True)
class LoginResult:
    account: Account | None = None
    new_session: NewSession | None = None
    error: OneStreetError | None = None


class LoginService:
    def __init__(self, session: AsyncSession, settings: AuthSettings, limiter: RateLimiter):
        self.settings = settings
        self.limiter = limiter
        self.accounts = AccountRepository(session)
        self.web_sessions = WebSessionService(session, settings)

    async def attempt(self, email: str, password: str, ip: str) -> LoginResult:
        """Check the credentials and start a web session. Raises RateLimited (nothing to save);
        returns InvalidCredentials or AccountLocked as `error` (a failure to save)."""
        try:
            await self.limiter.hit(
                f"login-ip:{ip}",
                limit=self.settings.login_ip_max_attempts_per_minute,
                window_seconds=60,
            )
        except OneStreetError:
            log.warning("login_rate_limited", ip=ip)
            raise
        account = await self.accounts.by_email(normalise_email(email))
        if account is not None and _locked(account):
            log.warning("login_refused_locked", account_id=str(account.id), ip=ip)
            return LoginResult(error=_locked_error(account))
        # Unknown e-mails are verified against a dummy hash: same answer, same time.
        ok = await verify_password(account.password_hash if account else None, password)
        if account is None or not ok or not account.is_active:
            return LoginResult(error=await self._failed(account, ip))
        return await self._succeeded(account, password, ip)

    async def _failed(self, account: Account | None, ip: str) -> OneStreetError:
        wrong = InvalidCredentials("The e-mail address or password is not correct.")
        if account is None or not account.is_active:
            log.warning("login_failed", account_id=str(account.id) if account else None, ip=ip)
            return wrong
        failures = await self.accounts.count_failure(account.id)
        log.warning("login_failed", account_id=str(account.id), ip=ip, failures=failures)
        if failures < self.settings.login_max_failures:
            return wrong
        until = utcnow() + timedelta(minutes=self.settings.login_lockout_minutes)
        await self.accounts.lock(account.id, until)
        account.locked_until = until
        log.warning("account_locked", account_id=str(account.id), ip=ip, until=until.isoformat())
        return _locked_error(account)

    async def _succeeded(self, account: Account, password: str, ip: str) -> LoginResult:
        await self.accounts.record_login(account.id, utcnow())
        if account.password_hash and needs_rehash(account.password_hash):
            # Hashing parameters were raised since this hash was made: upgrade it now, while
            # we know the password.
            await self.accounts.set_password_hash(account.id, await rehash_password(password))
            log.info("password_rehashed", account_id=str(account.id))
        new_session = await self.web_sessions.start(account)
        log.info(
            "login_succeeded",
            account_id=str(account.id),
            role=account.role.value,
            ip=ip,
            session_id=str(new_session.web_session.id),
        )
        return LoginResult(account=account, new_session=new_session)


def _locked(account: Account) -> bool:
    return account.locked_until is not None and account.locked_until > utcnow()


def _locked_error(account: Account) -> AccountLocked:
    assert account.locked_until is not None
    wait = expires_in(account.locked_until)
    minutes = max(1, round(wait / 60))
    return AccountLocked(
        f"Too many failed sign-ins; this account is locked for about {minutes} more minute(s).",
        details={"retry_after_seconds": wait},
        headers={"Retry-After": str(wait)},
    )
