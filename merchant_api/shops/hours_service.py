"""Publishing a shop's opening hours, closures and special openings. Never commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound, ValidationFailed
from merchant_api.i18n import text_problems
from merchant_api.shops.hours import load_schedule, shop_status_at
from merchant_api.shops.hours_models import OpeningPeriod, ShopClosure, SpecialOpening
from merchant_api.shops.hours_repository import HoursRepository
from merchant_api.shops.hours_schemas import ClosureIn, SpecialDayIn, WeeklyHoursIn
from merchant_api.shops.hours_validation import (
    MAX_PERIODS_PER_DAY,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    Problems,
    closure_problems,
    overlap_problems,
    parse_clock,
    problem,
    span,
)
from merchant_api.shops.models import Shop
from merchant_api.shops.repository import ShopRepository
from merchant_api.shops.schedule import TAIPEI, OpenStatus


@dataclass(frozen=True)
class ShopHours:
    weekly: list[OpeningPeriod]
    closures: list[ShopClosure]
    special: list[SpecialOpening]
    status: OpenStatus


class HoursService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.hours = HoursRepository(session)
        self.shops = ShopRepository(session)

    async def read(self, shop_id: uuid.UUID, at: datetime) -> ShopHours:
        """The weekly hours, closures and special openings from `at`'s date on."""
        shop = await self._shop(shop_id)
        since = at.astimezone(TAIPEI).date()
        schedule = await load_schedule(self.session, shop_id, around=at)
        return ShopHours(
            weekly=await self.hours.weekly(shop_id),
            closures=await self.hours.closures(shop_id, since=since),
            special=await self.hours.special(shop_id, since=since),
            status=shop_status_at(shop.status, schedule, at),
        )

    async def replace_weekly(self, shop_id: uuid.UUID, body: WeeklyHoursIn) -> None:
        await self._locked_shop(shop_id)
        problems: Problems = []
        rows: list[OpeningPeriod] = []
        ranges: list[tuple[str, int, int]] = []
        per_day: dict[int, int] = {}
        for index, period in enumerate(body.periods):
            key = f"periods[{index}]"
            if not 0 <= period.weekday <= 6:
                problems.append(problem(f"{key}.weekday", "0 is Monday, 6 is Sunday."))
                continue
            opens = parse_clock(period.opens, f"{key}.opens", problems, closing=False)
            closes = parse_clock(period.closes, f"{key}.closes", problems, closing=True)
            if opens is None or closes is None:
                continue
            if closes == opens:
                problems.append(problem(f"{key}.closes", "Closes when it opens; use 00:00-24:00."))
                continue
            per_day[period.weekday] = per_day.get(period.weekday, 0) + 1
            start, end = span(opens, closes)
            offset = period.weekday * MINUTES_PER_DAY
            ranges.append((f"[{index}]", offset + start, offset + end))
            rows.append(
                OpeningPeriod(
                    shop_id=shop_id,
                    weekday=period.weekday,
                    opens_minute=opens,
                    closes_minute=closes,
                )
            )
        problems += overlap_problems(ranges, wrap=MINUTES_PER_WEEK, field="periods")
        for weekday, count in per_day.items():
            if count > MAX_PERIODS_PER_DAY:
                problems.append(
                    problem(
                        "periods", f"At most {MAX_PERIODS_PER_DAY} periods on weekday {weekday}."
                    )
                )
        if problems:
            raise ValidationFailed(
                "The opening hours cannot be saved.", details={"problems": problems}
            )
        await self.hours.replace_weekly(shop_id, rows)

    async def replace_special_day(
        self, shop_id: uuid.UUID, on_date: date, body: SpecialDayIn, today: date
    ) -> None:
        await self._locked_shop(shop_id)
        problems: Problems = []
        if on_date < today:
            problems.append(problem("on_date", "The date is already over."))
        problems += text_problems("note", body.note, required=False, max_length=200)
        if len(body.periods) > MAX_PERIODS_PER_DAY:
            problems.append(problem("periods", f"At most {MAX_PERIODS_PER_DAY} periods."))
        rows: list[SpecialOpening] = []
        ranges: list[tuple[str, int, int]] = []
        for index, period in enumerate(body.periods):
            key = f"periods[{index}]"
            opens = parse_clock(period.opens, f"{key}.opens", problems, closing=False)
            closes = parse_clock(period.closes, f"{key}.closes", problems, closing=True)
            if opens is None or closes is None:
                continue
            if closes == opens:
                problems.append(problem(f"{key}.closes", "Closes when it opens."))
                continue
            ranges.append((f"[{index}]", *span(opens, closes)))
            rows.append(
                SpecialOpening(
                    shop_id=shop_id,
                    on_date=on_date,
                    opens_minute=opens,
                    closes_minute=closes,
                    note=_texts(body.note),
                )
            )
        problems += overlap_problems(ranges, wrap=None, field="periods")
        if problems:
            raise ValidationFailed(
                "The special opening cannot be saved.", details={"problems": problems}
            )
        await self.hours.replace_special_on(shop_id, on_date, rows)

    async def add_closure(
        self, shop_id: uuid.UUID, body: ClosureIn, by: uuid.UUID, today: date
    ) -> ShopClosure:
        await self._shop(shop_id)
        problems = closure_problems(body.starts_on, body.ends_on, body.kind, today)
        problems += text_problems("reason", body.reason, required=False, max_length=200)
        if problems:
            raise ValidationFailed("The closure cannot be saved.", details={"problems": problems})
        closure = ShopClosure(
            shop_id=shop_id,
            starts_on=body.starts_on,
            ends_on=body.ends_on,
            kind=body.kind,
            reason=_texts(body.reason),
            created_by=by,
        )
        self.hours.add(closure)
        await self.hours.flush()
        return closure

    async def remove_closure(self, shop_id: uuid.UUID, closure_id: uuid.UUID) -> None:
        # Looked up within the shop, so another shop's closure id reads as unknown.
        closure = await self.hours.closure(shop_id, closure_id)
        if closure is None:
            raise NotFound(f"This shop has no closure {closure_id}.")
        await self.hours.delete(closure)

    async def _locked_shop(self, shop_id: uuid.UUID) -> None:
        # Replacing periods is delete-then-insert: two editors at once would otherwise both
        # delete and both insert, leaving overlapping periods nobody validated together.
        if await self.shops.lock_shop(shop_id) is None:
            raise NotFound(f"There is no shop {shop_id}.")

    async def _shop(self, shop_id: uuid.UUID) -> Shop:
        shop = await self.shops.get(shop_id)
        if shop is None:
            raise NotFound(f"There is no shop {shop_id}.")
        return shop


def _texts(texts: dict[str, str]) -> dict[str, str]:
    return {language: text.strip() for language, text in texts.items() if text.strip()}
