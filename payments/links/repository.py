"""All SQL about payment links."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from payments.links.models import PaymentLinkUse


class PaymentLinkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def is_used(self, link_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(PaymentLinkUse.link_id).where(PaymentLinkUse.link_id == link_id)
        )
        return found is not None

    async def record_use(self, use: PaymentLinkUse) -> bool:
        """Insert the use in a savepoint; False when the link was already used (the primary
        key refused it), leaving the caller's transaction usable."""
        try:
            async with self.session.begin_nested():
                self.session.add(use)
                await self.session.flush()
        except IntegrityError:
            return False
        return True
