"""SQL expressions the search repository composes: text match, relevance tiers, open now,
keyset.

Part of the repository layer (all SQL stays there); split out to keep each file readable.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, not_, or_
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import Text

from merchant_api.discovery.normalise import like_escape
from merchant_api.shops.hours_models import OpeningPeriod, ShopClosure, SpecialOpening
from merchant_api.shops.models import Shop
from merchant_api.shops.schedule import TAIPEI


def contains_text(
    grams_column: Any, text_column: Any, text: str, grams: list[str] | None
) -> ColumnElement[bool]:
    """`text` occurs in `text_column`. With `grams` (PostgreSQL), containment of those grams
    lets the GIN index find candidates first; LIKE then checks the exact substring, so the
    grams may be any subset of the query's (see SearchRepository.planning_grams)."""
    contains = text_column.like(f"%{like_escape(text)}%", escape="\\")
    if grams is None:
        return contains
    wanted = bindparam(None, grams, type_=postgresql.ARRAY(Text()))
    return and_(grams_column.op("@>", is_comparison=True)(wanted), contains)


def text_match(document: Any, text: str, grams: list[str] | None) -> ColumnElement[bool]:
    return contains_text(document.grams, document.search_text, text, grams)


# Relevance tiers, best first: a name contains the query, only a description does. Within a
# tier rows follow their id: stable, and an index order, so a page of a frequent word stops
# after a few dozen rows instead of ranking every match.
RELEVANCE_TIERS = (2, 1)


def relevance_tier(
    document: Any, text: str, tier: int, grams: list[str] | None
) -> ColumnElement[bool]:
    """Rows of one tier; `grams` are for name_grams in tier 2, for grams in tier 1."""
    if tier == 2:
        return contains_text(document.name_grams, document.name_text, text, grams)
    in_name = document.name_text.like(f"%{like_escape(text)}%", escape="\\")
    return and_(text_match(document, text, grams), not_(in_name))


def open_at(at: datetime) -> ColumnElement[bool]:
    """The shop is open at `at`, by the rules of merchant_api.shops.schedule.status_at:
    hours in Asia/Taipei minutes, special openings replace a date's weekly periods, a
    closure closes its whole day, a late period of yesterday may still run, and a shop that
    published no hours is open unless closed today."""
    local = at.astimezone(TAIPEI)
    today = local.date()
    yesterday = today - timedelta(days=1)
    minute = local.hour * 60 + local.minute

    def closed(day: Any) -> ColumnElement[bool]:
        return exists().where(
            ShopClosure.shop_id == Shop.id, ShopClosure.starts_on <= day, ShopClosure.ends_on >= day
        )

    def special_on(day: Any, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists().where(
            SpecialOpening.shop_id == Shop.id, SpecialOpening.on_date == day, *conditions
        )

    def weekly_on(weekday: int, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists().where(
            OpeningPeriod.shop_id == Shop.id, OpeningPeriod.weekday == weekday, *conditions
        )

    def running_from_start(period: Any) -> list[ColumnElement[bool]]:
        # Started today and not yet closed (a period past midnight is open until the end).
        crosses = period.closes_minute <= period.opens_minute
        return [period.opens_minute <= minute, or_(period.closes_minute > minute, crosses)]

    def running_after_midnight(period: Any) -> list[ColumnElement[bool]]:
        return [period.closes_minute <= period.opens_minute, period.closes_minute > minute]

    def periods_of(day: Any, weekday: int, running: Any) -> ColumnElement[bool]:
        return or_(
            special_on(day, *running(SpecialOpening)),
            and_(not_(special_on(day)), weekly_on(weekday, *running(OpeningPeriod))),
        )

    has_hours = or_(
        exists().where(OpeningPeriod.shop_id == Shop.id),
        exists().where(SpecialOpening.shop_id == Shop.id, SpecialOpening.on_date >= yesterday),
    )
    open_by_hours = or_(
        and_(not_(closed(today)), periods_of(today, today.weekday(), running_from_start)),
        and_(
            not_(closed(yesterday)),
            periods_of(yesterday, yesterday.weekday(), running_after_midnight),
        ),
    )
    return or_(and_(not_(has_hours), not_(closed(today))), and_(has_hours, open_by_hours))


def keyset_after(keys: list[tuple[Any, bool]], values: tuple[Any, ...]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `keys` ((expression, descending), ...):
    (k1 after v1) or (k1 = v1 and (k2 after v2 or ...))."""
    (expression, descending), *rest = keys
    value, *rest_values = values
    beyond = expression < value if descending else expression > value
    if not rest:
        return beyond
    return or_(beyond, and_(expression == value, keyset_after(rest, tuple(rest_values))))
