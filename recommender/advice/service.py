"""Advice: generate drafts, the consultant's review, the owner's verdict, measured effects.

Services never commit; the request or task boundary does.
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from recommender.advice.errors import AdviceNotFound, AdviceWrongState
from recommender.advice.generate import AdviceInputs, advise_shop
from recommender.advice.measure import effect, metric_after, uplift_effect
from recommender.advice.models import OWNER_VISIBLE, AdviceItem, AdviceStatus
from recommender.advice.repository import AdviceRepository
from recommender.analysis.uplift import Uplift, comparable_shops, diff_in_diff
from recommender.artifacts.service import ArtifactService
from recommender.features.repository import FeatureRepository
from recommender.forecast.evaluate import load_grid
from recommender.forecast.grid import TAIPEI, HourlyGrid
from recommender.forecast.model import MIN_DAYS, backtest, forecast_next_week
from recommender.holidays import HolidayCalendar

DAYS = 90
MEASURE_AFTER_DAYS = 14  # the effect is reported 2-4 weeks after the owner acts
MEASURE_WINDOW_DAYS = 28


class AdviceService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repo = AdviceRepository(session)
        self.features = FeatureRepository(session)

    async def generate(
        self,
        shop_ids: list[uuid.UUID] | None,
        now: datetime,
        calendar: HolidayCalendar,
        days: int = DAYS,
    ) -> dict[uuid.UUID, int]:
        """Fresh drafts for these shops (all when None); their old drafts are superseded.

        For named shops only their streets are read (an API call or one street's task stays
        cheap at programme scale), so cross-street pairs come from the full run.
        """
        streets = None
        if shop_ids is not None:
            streets = {s.street_id for s in await self.features.shops(shop_ids)}
        shops, grid, lines = await load_grid(self.session, days, now, streets)
        targets = [s for s in shops if shop_ids is None or s.id in shop_ids]
        since = datetime.combine(grid.first_day, time(), TAIPEI).astimezone(UTC)
        device_hours = await self.features.device_hours(
            since, since + timedelta(days=days), None if shop_ids is None else shop_ids
        )
        inputs = AdviceInputs(
            shops=shops,
            lines=lines,
            grid=grid,
            listing_names=await self.features.listing_names({x.listing_id for x in lines}),
            sources=await self.features.data_sources(),
            now=now,
            days=days,
            device_hours=device_hours,
        )
        if grid.orders.shape[1] >= MIN_DAYS:
            inputs.forecast_quality = await self._forecast_quality(grid, calendar)
            inputs.next_week = forecast_next_week(grid, calendar)
        await self.repo.supersede_drafts([s.id for s in targets], now)
        made: dict[uuid.UUID, int] = {}
        for shop in targets:
            drafts = advise_shop(inputs, shop)
            self.repo.add_all(
                [
                    AdviceItem(
                        shop_id=shop.id,
                        kind=d.kind,
                        status=AdviceStatus.draft.value,
                        rank=rank,
                        expected_value_minor=d.expected_value_minor,
                        title=d.title,
                        body=d.body,
                        expected_effect=d.expected_effect,
                        evidence={**d.evidence, "data_sources": _sources(inputs.sources)},
                        chart=d.chart,
                        measurement=d.measurement,
                        data_from=grid.first_day,
                        data_to=grid.days[-1],
                        created_at=now,
                        updated_at=now,
                    )
                    for rank, d in enumerate(drafts, start=1)
                ]
            )
            made[shop.id] = len(drafts)
        await self.session.flush()
        return made

    async def _forecast_quality(
        self, grid: HourlyGrid, calendar: HolidayCalendar
    ) -> dict[str, tuple[float, float]]:
        """Per shop (model WAPE, seasonal-naive WAPE): the current artifact's, else fresh."""
        artifact = await ArtifactService(self.session).current("forecast", "all")
        if artifact is not None:
            per_shop = artifact.payload.get("per_shop", {})
        else:
            result = backtest(grid, calendar)
            per_shop = {
                str(grid.shops[r]): {"model_wape": m, "naive_wape": n}
                for r, (m, n, _) in result.per_shop.items()
            }
        return {
            shop: (q["model_wape"], q["naive_wape"])
            for shop, q in per_shop.items()
            # NaN when the shop sold nothing in the test weeks: no forecast advice then.
            if not (math.isnan(q["model_wape"]) or math.isnan(q["naive_wape"]))
        }

    async def list_for_shop(
        self, shop_id: uuid.UUID, *, reviewer: bool, status: str | None = None
    ) -> list[AdviceItem]:
        """Consultants and admins see every state; the shop sees approved advice only."""
        allowed = [s.value for s in (AdviceStatus if reviewer else OWNER_VISIBLE)]
        if status is not None:
            allowed = [s for s in allowed if s == status]
        return await self.repo.for_shop(shop_id, allowed)

    async def _get(self, shop_id: uuid.UUID, advice_id: uuid.UUID) -> AdviceItem:
        item = await self.repo.get_for_update(shop_id, advice_id)
        if item is None:
            raise AdviceNotFound("No such advice for this shop.")
        return item

    async def edit(
        self,
        shop_id: uuid.UUID,
        advice_id: uuid.UUID,
        title: dict[str, str] | None,
        body: dict[str, str] | None,
        note: str | None,
        now: datetime,
    ) -> AdviceItem:
        item = await self._get(shop_id, advice_id)
        if item.status != AdviceStatus.draft.value:
            raise AdviceWrongState(f"Only a draft can be edited; this advice is {item.status}.")
        if title is not None:
            item.title = {**item.title, **title}
        if body is not None:
            item.body = {**item.body, **body}
        if note is not None:
            item.consultant_note = note
        item.updated_at = now
        await self.session.flush()
        return item

    async def review(
        self,
        shop_id: uuid.UUID,
        advice_id: uuid.UUID,
        approve: bool,
        reviewer: uuid.UUID,
        note: str | None,
        now: datetime,
    ) -> AdviceItem:
        item = await self._get(shop_id, advice_id)
        if item.status != AdviceStatus.draft.value:
            raise AdviceWrongState(f"Only a draft can be reviewed; this advice is {item.status}.")
        item.status = (AdviceStatus.approved if approve else AdviceStatus.rejected).value
        item.reviewed_by_account_id = reviewer
        item.reviewed_at = now
        if note is not None:
            item.consultant_note = note
        item.updated_at = now
        await self.session.flush()
        return item

    async def feedback(
        self, shop_id: uuid.UUID, advice_id: uuid.UUID, verdict: str, now: datetime
    ) -> AdviceItem:
        item = await self._get(shop_id, advice_id)
        if item.status != AdviceStatus.approved.value:
            raise AdviceWrongState(
                f"Only approved advice can be marked done or not useful; this is {item.status}."
            )
        item.status = AdviceStatus(verdict).value
        item.owner_feedback_at = now
        item.updated_at = now
        await self.session.flush()
        return item

    async def uplift(
        self,
        shop_ids: set[uuid.UUID],
        street_id: uuid.UUID | None,
        start: datetime,
        end: datetime,
    ) -> Uplift | str:
        """Difference in differences for these shops (or a whole street's) from `start`:
        as many days before as after, against comparable streets without a campaign then."""
        shops = await self.features.shops()
        if street_id is not None:
            shop_ids = {s.id for s in shops if s.street_id == street_id}
        streets = {s.street_id for s in shops if s.id in shop_ids}
        before_start = start - (end - start)
        busy = {
            c.street_id
            for c in await self.features.campaigns(before_start, end)
            if c.street_id is not None
        }
        comparable_by, control = comparable_shops(shops, streets, busy)
        control_ids = {s.id for s in control}
        totals = await self.features.order_totals(before_start, end, sorted(shop_ids | control_ids))
        return diff_in_diff(totals, shop_ids, control_ids, comparable_by, before_start, start, end)

    async def measure_due(self, now: datetime) -> int:
        """Measure advice acted on at least 14 days ago over up to 28 days after; idempotent."""
        due = await self.repo.due_for_measurement(now - timedelta(days=MEASURE_AFTER_DAYS))
        for item in due:
            assert item.owner_feedback_at is not None
            start = item.owner_feedback_at.astimezone(UTC)
            end = min(now, start + timedelta(days=MEASURE_WINDOW_DAYS))
            lines = await self.features.sold_lines(start, end, [item.shop_id])
            after = metric_after(item.measurement, lines, start, end)
            item.measured_effect = {
                **effect(item.measurement, after, start, end),
                **uplift_effect(await self.uplift({item.shop_id}, None, start, end)),
            }
            item.measured_at = now
        await self.session.flush()
        return len(due)


def _sources(sources: dict[str, str | None]) -> dict[str, str]:
    return {k: (v or "not available") for k, v in sources.items()}
