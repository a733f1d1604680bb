"""All SQL for accounts, web sessions and API tokens. Repositories take the session once."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account, ApiToken, WebSession


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, account_id: UUID) -> Account | None:
        return await self.session.get(Account, account_id)

    async def by_email(self, email: str) -> Account | None:
        return await self.session.scalar(sa.select(Account).where(Account.email == email))

    async def email_taken(self, email: str) -> bool:
        found = await self.session.scalar(sa.select(Account.id).where(Account.email == email))
        return found is not None

    async def phone_taken(self, phone: str) -> bool:
        found = await self.session.scalar(sa.select(Account.id).where(Account.phone == phone))
        return found is not None

    async def add(self, account: Account) -> bool:
        """Insert; False when the e-mail or phone was taken by a concurrent insert.

        The savepoint keeps the caller's transaction usable after the unique violation.
        """
        try:
            async with self.session.begin_nested():
                self.session.add(account)
        except IntegrityError:
            return False
        return True

    async def count_failure(self, account_id: UUID) -> int:
        """Add one failed login atomically (two wrong guesses at once both count)."""
        count = await self.session.scalar(
            sa.update(Account)
            .where(Account.id == account_id)
            .values(failed_login_count=Account.failed_login_count + 1)
            .returning(Account.failed_login_count)
        )
        return int(count or 0)

    async def lock(self, account_id: UUID, until: datetime) -> None:
        # The count restarts, so after the lock-out the owner gets the full number of tries.
        await self.session.execute(
            sa.update(Account)
            .where(Account.id == account_id)
            .values(locked_until=until, failed_login_count=0)
        )

    async def record_login(self, account_id: UUID, at: datetime) -> None:
        await self.session.execute(
            sa.update(Account)
            .where(Account.id == account_id)
            .values(last_login_at=at, failed_login_count=0, locked_until=None)
        )

    async def set_password_hash(self, account_id: UUID, password_hash: str) -> None:
        await self.session.execute(
            sa.update(Account).where(Account.id == account_id).values(password_hash=password_hash)
        )


class WebSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, web_session: WebSession) -> WebSession:
        self.session.add(web_session)
        await self.session.flush()
        return web_session

    async def with_account(self, token_hash: str) -> tuple[WebSession, Account] | None:
        row = (
            await self.session.execute(
                sa.select(WebSession, Account)
                .join(Account, Account.id == WebSession.account_id)
                .where(WebSession.token_hash == token_hash)
            )
        ).first()
        return (row[0], row[1]) if row else None

    async def touch(self, session_id: UUID, at: datetime) -> None:
        await self.session.execute(
            sa.update(WebSession).where(WebSession.id == session_id).values(last_seen_at=at)
        )

    async def revoke(self, session_id: UUID, at: datetime) -> None:
        await self.session.execute(
            sa.update(WebSession)
            .where(WebSession.id == session_id, WebSession.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def revoke_all_of(self, account_id: UUID, at: datetime) -> None:
        await self.session.execute(
            sa.update(WebSession)
            .where(WebSession.account_id == account_id, WebSession.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def delete_ended_before(self, cutoff: datetime) -> int:
        """Remove sessions that expired or were revoked before `cutoff`; returns how many."""
        result = await self.session.execute(
            sa.delete(WebSession).where(
                sa.or_(WebSession.expires_at < cutoff, WebSession.revoked_at < cutoff)
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


class ApiTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: ApiToken) -> ApiToken:
        self.session.add(token)
        await self.session.flush()
        return token

    async def with_account(self, token_hash: str) -> tuple[ApiToken, Account] | None:
        row = (
            await self.session.execute(
                sa.select(ApiToken, Account)
                .join(Account, Account.id == ApiToken.account_id)
                .where(ApiToken.token_hash == token_hash)
            )
        ).first()
        return (row[0], row[1]) if row else None

    async def of_account(self, account_id: UUID) -> list[ApiToken]:
        rows = await self.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.account_id == account_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id)
        )
        return list(rows)

    async def get_of_account(self, token_id: UUID, account_id: UUID) -> ApiToken | None:
        return await self.session.scalar(
            sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.account_id == account_id)
        )

    async def touch(self, token_id: UUID, at: datetime) -> None:
        await self.session.execute(
            sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=at)
        )

    async def revoke(self, token_id: UUID, at: datetime) -> None:
        await self.session.execute(
            sa.update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=at)
        )
