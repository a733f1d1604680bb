"""The SQL of free-text search on PostgreSQL and SQLite: planning grams and relevance pages.

Part of the repository layer (merchant_api.discovery.repository uses it).

Why this is not one query: PostgreSQL estimates the containment of several n-grams as if
they were independent, which they are not ("wild boar": wi, il, ld, ...), and a LIKE
'%long pattern%' as nearly never true. It then collects 100,000 candidates through the GIN
index to sort them, where reading rows in id order would have filled a page after a few
dozen. So the code decides, from the planner's own gram statistics (pg_stats):

- some grams of the query are rare: the index intersects them (fast, few candidates);
- all are common: read the next few thousand documents in id order (a bounded walk) and
  keep the matches; a word in 1 % of the rows fills a page within 2,000 rows. If the walk
  finds too few, the word is rarer than its grams, and the index (all grams) finishes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from merchant_api.discovery.filters import RELEVANCE_TIERS, relevance_tier
from merchant_api.discovery.normalise import query_grams
from merchant_api.discovery.query import SearchQuery

# Statistics change slowly (autovacuum's ANALYZE); re-read them every few minutes.
_STATS_SECONDS = 300.0
_stats: dict[tuple[str, str], tuple[float, dict[str, float]]] = {}
# When the rarest gram is in more than this share of rows, walk instead of using the index.
WALK_ABOVE = 0.01
# Documents one walk reads (a few milliseconds).
WALK_ROWS = 4000


@dataclass(frozen=True)
class GramPlan:
    grams: list[str] | None  # for the index; None on SQLite (LIKE alone)
    every_gram_common: bool

    def index_grams(self, *, narrowed: bool) -> list[str] | None:
        """Grams to give the index. None when a shop or street filter already leaves few
        rows and the grams are common: offered them, the planner underestimates their
        matches and reads 40,000 candidates instead of the street's 1,500 listings."""
        return None if narrowed and self.every_gram_common else self.grams


async def _common_grams(session: AsyncSession, table: str, column: str) -> dict[str, float]:
    """gram -> share of rows holding it, for the grams ANALYZE found most common."""
    cached = _stats.get((table, column))
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    rows = await session.execute(
        text(
            "SELECT element, frequency FROM pg_stats, unnest("
            "most_common_elems::text::text[], most_common_elem_freqs) AS u(element, frequency)"
            " WHERE schemaname = current_schema() AND tablename = :table AND attname = :column"
            " AND element IS NOT NULL"
        ),
        {"table": table, "column": column},
    )
    common = {element: frequency for element, frequency in rows.all()}
    _stats[(table, column)] = (time.monotonic() + _STATS_SECONDS, common)
    return common


class TextSearch:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"

    async def plan(self, document: Any, column: str, query_text: str) -> GramPlan:
        if not self.postgres:
            return GramPlan(None, every_gram_common=False)
        grams = query_grams(query_text)
        common = await _common_grams(self.session, document.__tablename__, column)
        rare = [gram for gram in grams if gram not in common]
        if rare:
            return GramPlan(rare, every_gram_common=False)
        rarest = min(common[gram] for gram in grams)
        return GramPlan(grams, every_gram_common=rarest > WALK_ABOVE)

    async def relevance_page(
        self,
        stmt: Select[Any],
        document: Any,
        key: str,
        row_id: Any,
        query: SearchQuery,
        *,
        narrowed: bool,
    ) -> list[tuple[Any, ...]]:
        """One page in relevance order: tier by tier (name matches first), each in id order
        with a LIMIT; the cursor is (tier, id). `stmt` selects the rows with every filter
        but the text; `narrowed` says a shop or street filter already keeps it small (then
        the planner starts from that filter and no walk is needed)."""
        assert query.text is not None
        plans = {
            2: await self.plan(document, "name_grams", query.text),
            1: await self.plan(document, "grams", query.text),
        }
        start_tier, after_id = query.after if query.after else (RELEVANCE_TIERS[0], None)
        found: list[tuple[Any, ...]] = []
        for tier in RELEVANCE_TIERS:
            if tier > start_tier:
                continue
            after = after_id if tier == start_tier else None
            need = query.limit + 1 - len(found)
            rows: list[tuple[Any, ...]] = []
            if plans[tier].every_gram_common and not narrowed:
                rows = await self._walk(stmt, document, key, row_id, query.text, tier, after, need)
            if len(rows) < need:
                source_key = getattr(document, key)
                tier_stmt = stmt.join(document, source_key == row_id).where(
                    relevance_tier(
                        document, query.text, tier, plans[tier].index_grams(narrowed=narrowed)
                    )
                )
                rows = await self._fetch(tier_stmt, tier, row_id, after, need)
            found += rows
            if len(found) > query.limit:
                break
        return found

    async def _walk(
        self,
        stmt: Select[Any],
        document: Any,
        key: str,
        row_id: Any,
        query_text: str,
        tier: int,
        after: Any,
        need: int,
    ) -> list[tuple[Any, ...]]:
        """The matches among the next WALK_ROWS documents in id order (an index range read
        the planner cannot turn into a sort of every match)."""
        source_key = getattr(document, key)
        chunk = select(document)
        if after is not None:
            chunk = chunk.where(source_key > after)
        walked = aliased(document, chunk.order_by(source_key).limit(WALK_ROWS).subquery())
        tier_stmt = stmt.join(walked, getattr(walked, key) == row_id).where(
            relevance_tier(walked, query_text, tier, None)
        )
        return await self._fetch(tier_stmt, tier, row_id, after, need)

    async def _fetch(
        self, stmt: Select[Any], tier: int, row_id: Any, after: Any, need: int
    ) -> list[tuple[Any, ...]]:
        if after is not None:
            stmt = stmt.where(row_id > after)
        stmt = stmt.add_columns(literal(tier), row_id).order_by(row_id).limit(need)
        return [tuple(row) for row in (await self.session.execute(stmt)).all()]
