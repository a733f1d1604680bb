"""All SQL about shop invitations."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from merchant_api.shops.invitation_models import ShopInvitation


class InvitationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_token_hash(self, token_hash: str) -> ShopInvitation | None:
        return await self.session.scalar(
            select(ShopInvitation).where(ShopInvitation.token_hash == token_hash)
        )

    async def get(self, shop_id: uuid.UUID, invitation_id: uuid.UUID) -> ShopInvitation | None:
        return await self.session.scalar(
            select(ShopInvitation).where(
                ShopInvitation.id == invitation_id, ShopInvitation.shop_id == shop_id
            )
        )

    async def for_shop(self, shop_id: uuid.UUID) -> list[ShopInvitation]:
        rows = await self.session.scalars(
            select(ShopInvitation)
            .where(ShopInvitation.shop_id == shop_id)
            .order_by(ShopInvitation.created_at.desc(), ShopInvitation.id)
        )
        return list(rows)

    async def revoke_pending_to(
        self, shop_id: uuid.UUID, email: str | None, phone: str | None, at: datetime
    ) -> None:
        """A new invitation to the same address replaces the older, unused ones."""
        address = (
            ShopInvitation.email == email if email is not None else ShopInvitation.phone == phone
        )
        await self.session.execute(
            update(ShopInvitation)
            .where(
                ShopInvitation.shop_id == shop_id,
                address,
                ShopInvitation.accepted_at.is_(None),
                ShopInvitation.revoked_at.is_(None),
            )
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )

    async def claim(self, invitation_id: uuid.UUID, account_id: uuid.UUID, at: datetime) -> bool:
        """Mark the invitation used, only if it is still usable: the conditional UPDATE is the
        lock, so one token makes one membership however many requests race."""
        result = await self.session.execute(
            update(ShopInvitation)
            .where(
                ShopInvitation.id == invitation_id,
                ShopInvitation.accepted_at.is_(None),
                ShopInvitation.revoked_at.is_(None),
                ShopInvitation.expires_at > at,
            )
            .values(accepted_at=at, accepted_by=account_id)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def revoke(self, invitation_id: uuid.UUID, at: datetime) -> bool:
        result = await self.session.execute(
            update(ShopInvitation)
            .where(
                ShopInvitation.id == invitation_id,
                ShopInvitation.accepted_at.is_(None),
                ShopInvitation.revoked_at.is_(None),
            )
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def account_by_phone(self, phone: str) -> Account | None:
        return await self.session.scalar(select(Account).where(Account.phone == phone))

    def add(self, invitation: ShopInvitation) -> None:
        self.session.add(invitation)

    async def flush(self) -> None:
        await self.session.flush()
