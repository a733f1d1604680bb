"""Recommendations from the shop's current "bought together" artifact.

"You may also like" for a listing reads the related listings the nightly training stored;
the next basket for a signed-in consumer ranks their own frequent items first (the
GP-TopFreq rule that the Ta-Feng evaluation shows is hard to beat with little data) and fills
up with items related to them.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from recommender.artifacts.service import ArtifactService
from recommender.nextbasket.baselines import personal_frequency
from recommender.recommendations.repository import RecommendationRepository

# A shop's related-items table changes once a night; keeping it a minute in the process
# saves reading and decoding the artifact on every "you may also like" request.
RELATED_CACHE_SECONDS = 60.0
_related_cache: dict[uuid.UUID, tuple[float, dict[str, list[str]]]] = {}


@dataclass(frozen=True)
class Suggestion:
    listing_id: uuid.UUID
    name: dict[str, str]
    price_minor: int
    reason: str  # "bought_together", "you_often_buy"


class RecommendationService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = RecommendationRepository(session)
        self.artifacts = ArtifactService(session)

    async def _related(self, shop_id: uuid.UUID) -> dict[str, list[str]]:
        cached = _related_cache.get(shop_id)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        artifact = await self.artifacts.current("affinity", f"shop:{shop_id}")
        if artifact is None:
            return {}  # not cached: the first training shows at once
        related = artifact.payload.get("related", {})
        _related_cache[shop_id] = (time.monotonic() + RELATED_CACHE_SECONDS, related)
        return related

    async def also_like(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, limit: int
    ) -> list[Suggestion]:
        related = (await self._related(shop_id)).get(str(listing_id), [])
        return await self._offered(
            shop_id, [(uuid.UUID(x), "bought_together") for x in related], limit
        )

    async def next_basket(
        self, shop_id: uuid.UUID, consumer_id: uuid.UUID, limit: int
    ) -> list[Suggestion]:
        baskets = await self.repo.consumer_baskets(shop_id, consumer_id)
        mine = personal_frequency(baskets)  # type: ignore[arg-type]
        picks: list[tuple[uuid.UUID, str]] = [(x, "you_often_buy") for x in mine]
        related = await self._related(shop_id)
        for item in mine:
            picks += [(uuid.UUID(x), "bought_together") for x in related.get(str(item), [])]
        return await self._offered(shop_id, picks, limit)

    async def _offered(
        self, shop_id: uuid.UUID, picks: list[tuple[uuid.UUID, str]], limit: int
    ) -> list[Suggestion]:
        seen: dict[uuid.UUID, str] = {}
        for listing, reason in picks:
            seen.setdefault(listing, reason)
        offered = await self.repo.offered(shop_id, list(seen))
        out = [
            Suggestion(x, offered[x][0], offered[x][1], reason)
            for x, reason in seen.items()
            if x in offered
        ]
        return out[:limit]
