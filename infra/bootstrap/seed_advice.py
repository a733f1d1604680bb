"""Demo advice: trained on the seeded 90 days, drafted for every shop, and for the demo
consultant's shops the top item already approved, so the owner console shows advice at once."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from infra.bootstrap.seed_data import CONSULTANT_SHOP_SLUGS
from infra.db import utcnow
from recommender.advice.service import AdviceService
from recommender.features.repository import FeatureRepository
from recommender.holidays import HolidayCalendar
from recommender.training import train_all


async def seed_advice(
    session: AsyncSession,
    shop_ids: dict[str, uuid.UUID],
    consultant_street_id: uuid.UUID,
    consultant_id: uuid.UUID,
) -> str:
    """Train, draft, approve; returns the progress line."""
    now = utcnow()
    calendar = HolidayCalendar()
    await train_all(session, now, calendar)
    service = AdviceService(session)
    made = await service.generate(None, now, calendar)
    shops = await FeatureRepository(session).shops()
    theirs = {s.id for s in shops if s.street_id == consultant_street_id}
    theirs |= {shop_ids[slug] for slug in CONSULTANT_SHOP_SLUGS}
    approved = 0
    for shop_id in sorted(theirs, key=str):
        drafts = await service.list_for_shop(shop_id, reviewer=True, status="draft")
        for item in sorted(drafts, key=lambda i: i.rank)[:2]:
            if item.kind == "not_enough_data":
                continue
            await service.review(shop_id, item.id, True, consultant_id, None, now)
            approved += 1
    return (
        f"Drafted {sum(made.values())} advice items for {len(made)} shops; the demo "
        f"consultant approved {approved}"
    )
