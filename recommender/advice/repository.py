"""SQL for advice items."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from recommender.advice.models import AdviceItem, AdviceStatus


class AdviceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def supersede_drafts(self, shop_ids: Sequence[uuid.UUID], now: datetime) -> None:
        """Unreviewed drafts of these shops give way to a fresh run."""
        await self.session.execute(
            sa.update(AdviceItem)
            .where(AdviceItem.shop_id.in_(shop_ids), AdviceItem.status == AdviceStatus.draft.value)
            .values(status=AdviceStatus.superseded.value, updated_at=now)
        )

    def add_all(self, items: Sequence[AdviceItem]) -> None:
        self.session.add_all(items)

    async def for_shop(
        self, shop_id: uuid.UUID, statuses: Sequence[str], limit: int = 100
    ) -> list[AdviceItem]:
        query = (
            sa.select(AdviceItem)
            .where(AdviceItem.shop_id == shop_id, AdviceItem.status.in_(statuses))
            .order_by(AdviceItem.created_at.desc(), AdviceItem.rank)
            .limit(limit)
        )
        return list(await self.session.scalars(query))

    async def get_for_update(self, shop_id: uuid.UUID, advice_id: uuid.UUID) -> AdviceItem | None:
        query = (
            sa.select(AdviceItem)
            .where(AdviceItem.id == advice_id, AdviceItem.shop_id == shop_id)
            .with_for_update()
        )
        return (await self.session.scalars(query)).first()

    async def due_for_measurement(self, feedback_before: datetime) -> list[AdviceItem]:
        query = sa.select(AdviceItem).where(
            AdviceItem.status == AdviceStatus.done.value,
            AdviceItem.measured_at.is_(None),
            AdviceItem.owner_feedback_at <= feedback_before,
        )
        return list(await self.session.scalars(query))
