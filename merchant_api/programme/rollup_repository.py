"""SQL for the rollups: refresh the days whose facts changed, rebuild everything, and compare
the rollups with a recomputation from the raw facts.

Daily rows are per shop; monthly rows per street and category (what the ministry reads);
demographic rows count only uses by people who chose to share their gender and age group.
"""

# The SQL below is assembled from module constants only; values are always bound parameters.
# ruff: noqa: S608

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

# The union of uses and business facts, already grouped by day, shop, source, channel, method.
_FACTS_BY_DAY = """
SELECT day, shop_id, source, channel, method,
       SUM(uses) AS uses, SUM(business_records) AS business_records,
       SUM(business_minor) AS business_minor
FROM (
  SELECT day, shop_id, source, channel, method, COUNT(*) AS uses,
         0 AS business_records, 0 AS business_minor
  FROM programme_uses WHERE {where} GROUP BY day, shop_id, source, channel, method
  UNION ALL
  SELECT day, shop_id, source, channel, method, 0, COUNT(*), SUM(amount_minor)
  FROM programme_business WHERE {where} GROUP BY day, shop_id, source, channel, method
) AS facts
GROUP BY day, shop_id, source, channel, method
"""

# Shops' daily rows plus device sessions (street-level; a kiosk in a shop takes its category).
_MONTH_ROWS = """
SELECT s.street_id, s.category, r.source, r.channel, r.method,
       r.uses, r.business_records, r.business_minor
FROM {daily} r JOIN shops s ON s.id = r.shop_id
WHERE r.day >= :start AND r.day < :end
UNION ALL
SELECT d.street_id, COALESCE(s.category, ''), d.source, '', '', d.sessions, 0, 0
FROM programme_device_uses d LEFT JOIN shops s ON s.id = d.shop_id
WHERE d.day >= :start AND d.day < :end
"""

_MONTH_FROM_ROWS = """
SELECT :month, street_id, category, source, channel, method,
       SUM(uses) AS uses, SUM(business_records) AS business_records,
       SUM(business_minor) AS business_minor
FROM ({rows}) AS m
GROUP BY street_id, category, source, channel, method
"""

_MONTH_FROM_DAILY = _MONTH_FROM_ROWS.format(rows=_MONTH_ROWS.format(daily="programme_daily_rollup"))

_DEMOGRAPHICS_OF_MONTH = """
SELECT :month, s.street_id, u.source, d.gender, d.age_group, COUNT(*)
FROM programme_uses u
JOIN programme_demographics d ON d.account_id = u.person_id
JOIN shops s ON s.id = u.shop_id
WHERE u.day >= :start AND u.day < :end
GROUP BY s.street_id, u.source, d.gender, d.age_group
"""

_MONTHLY_COLUMNS = (
    "month, street_id, category, source, channel, method, uses, business_records, business_minor"
)
_STREET_MONTH_COLUMNS = "month, street_id, uses, business_records, business_minor"
_STREET_MONTH = """
SELECT month, street_id, SUM(uses), SUM(business_records), SUM(business_minor)
FROM programme_monthly_rollup WHERE month = :month GROUP BY month, street_id
"""
_DAILY_COLUMNS = "day, shop_id, source, channel, method, uses, business_records, business_minor"
_DEMOGRAPHIC_COLUMNS = "month, street_id, source, gender, age_group, uses"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


class RollupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _sql(self, sql: str) -> sa.TextClause:
        if self.session.bind.dialect.name == "postgresql":  # type: ignore[union-attr]
            # A bare bound value in a SELECT list has no type on PostgreSQL.
            sql = sql.replace("SELECT :month,", "SELECT CAST(:month AS date),")
        return sa.text(sql)

    async def _run(self, sql: str, **params: object) -> None:
        await self.session.execute(self._sql(sql), params)

    async def take_dirty_days(self) -> list[date]:
        """The days to refresh, removed from the queue in this transaction: a fact recorded
        meanwhile marks its day again and the next refresh picks it up."""
        days = (await self.session.scalars(sa.text("SELECT day FROM programme_dirty_days"))).all()
        await self._run("DELETE FROM programme_dirty_days")
        return sorted(_as_date(day) for day in days)

    async def clear_rollups(self) -> None:
        for table in ("daily", "monthly", "demographic"):
            await self._run(f"DELETE FROM programme_{table}_rollup")
        await self._run("DELETE FROM programme_street_months")

    async def rebuild_daily(self) -> None:
        """Every day's shop rows in one statement (the nightly rebuild)."""
        await self._run("DELETE FROM programme_daily_rollup")
        await self._run(
            f"INSERT INTO programme_daily_rollup ({_DAILY_COLUMNS}) "
            + _FACTS_BY_DAY.format(where="1 = 1")
        )

    async def refresh_day(self, day: date) -> None:
        await self._run("DELETE FROM programme_daily_rollup WHERE day = :day", day=day)
        await self._run(
            f"INSERT INTO programme_daily_rollup ({_DAILY_COLUMNS}) "
            + _FACTS_BY_DAY.format(where="day = :day"),
            day=day,
        )

    async def refresh_month(self, month: date) -> None:
        bounds = {"month": month, "start": month, "end": next_month(month)}
        await self._run("DELETE FROM programme_monthly_rollup WHERE month = :month", month=month)
        await self._run(
            f"INSERT INTO programme_monthly_rollup ({_MONTHLY_COLUMNS}) {_MONTH_FROM_DAILY}",
            **bounds,
        )
        await self._run("DELETE FROM programme_street_months WHERE month = :month", month=month)
        await self._run(
            f"INSERT INTO programme_street_months ({_STREET_MONTH_COLUMNS}) {_STREET_MONTH}",
            month=month,
        )
        await self._run(
            "DELETE FROM programme_demographic_rollup WHERE month = :month", month=month
        )
        await self._run(
            f"INSERT INTO programme_demographic_rollup ({_DEMOGRAPHIC_COLUMNS}) "
            + _DEMOGRAPHICS_OF_MONTH,
            **bounds,
        )

    async def fact_day_count(self) -> int:
        return int(
            await self.session.scalar(
                sa.text(
                    "SELECT COUNT(*) FROM (SELECT day FROM programme_uses"
                    " UNION SELECT day FROM programme_business"
                    " UNION SELECT day FROM programme_device_uses) AS days"
                )
            )
            or 0
        )

    async def fact_months(self) -> list[date]:
        days = (
            await self.session.scalars(
                sa.text(
                    "SELECT MIN(day) FROM programme_uses UNION ALL "
                    "SELECT MAX(day) FROM programme_uses UNION ALL "
                    "SELECT MIN(day) FROM programme_business UNION ALL "
                    "SELECT MAX(day) FROM programme_business UNION ALL "
                    "SELECT MIN(day) FROM programme_device_uses UNION ALL "
                    "SELECT MAX(day) FROM programme_device_uses"
                )
            )
        ).all()
        known = [_as_date(day) for day in days if day is not None]
        if not known:
            return []
        months, month = [], month_start(min(known))
        while month <= max(known):
            months.append(month)
            month = next_month(month)
        return months

    async def daily_differences(self) -> int:
        """Rows in the daily rollup that a recomputation from the facts would not produce,
        plus the other way round."""
        fresh = _FACTS_BY_DAY.format(where="1 = 1")
        stored = f"SELECT {_DAILY_COLUMNS} FROM programme_daily_rollup"
        return await self._symmetric_difference(fresh, stored)

    async def monthly_differences(self, month: date) -> int:
        bounds = {"month": month, "start": month, "end": next_month(month)}
        fresh_daily = "(" + _FACTS_BY_DAY.format(where="day >= :start AND day < :end") + ")"
        fresh_monthly = _MONTH_FROM_ROWS.format(rows=_MONTH_ROWS.format(daily=fresh_daily))
        stored_monthly = (
            f"SELECT {_MONTHLY_COLUMNS} FROM programme_monthly_rollup WHERE month = :month"
        )
        stored_demo = (
            f"SELECT {_DEMOGRAPHIC_COLUMNS} FROM programme_demographic_rollup WHERE month = :month"
        )
        fresh_streets = (
            "SELECT :month, street_id, SUM(uses), SUM(business_records), SUM(business_minor)"
            f" FROM ({fresh_monthly}) AS fm GROUP BY street_id"
        )
        stored_streets = (
            f"SELECT {_STREET_MONTH_COLUMNS} FROM programme_street_months WHERE month = :month"
        )
        return (
            await self._symmetric_difference(fresh_monthly, stored_monthly, **bounds)
            + await self._symmetric_difference(fresh_streets, stored_streets, **bounds)
            + await self._symmetric_difference(_DEMOGRAPHICS_OF_MONTH, stored_demo, **bounds)
        )

    async def _symmetric_difference(self, left: str, right: str, **params: object) -> int:
        sql = (
            f"SELECT (SELECT COUNT(*) FROM ({left} EXCEPT {right}) AS a)"
            f" + (SELECT COUNT(*) FROM ({right} EXCEPT {left}) AS b)"
        )
        return int(await self.session.scalar(self._sql(sql), params) or 0)


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
