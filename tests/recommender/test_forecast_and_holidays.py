"""The demand forecaster beats seasonal-naive where a holiday breaks the weekly rhythm."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import numpy as np

from recommender.forecast.grid import HourlyGrid
from recommender.forecast.model import backtest, forecast_next_week
from recommender.holidays import HolidayCalendar


def test_built_in_holidays_and_overrides(tmp_path):
    calendar = HolidayCalendar()
    assert calendar.is_holiday(date(2024, 2, 10))  # Lunar New Year 2024
    assert calendar.is_holiday(date(2027, 10, 10))
    assert calendar.is_holiday(date(2025, 12, 25)) and not calendar.is_holiday(date(2024, 12, 25))
    assert not calendar.is_holiday(date(2024, 3, 12))
    override = tmp_path / "holidays.csv"
    override.write_text("date,name\n2024-03-12,Township festival\n2024-02-10,-\n")
    custom = HolidayCalendar.from_file(override)
    assert custom.name(date(2024, 3, 12)) == "Township festival"
    assert not custom.is_holiday(date(2024, 2, 10))


def _grid(days: int, first: date, calendar: HolidayCalendar) -> HourlyGrid:
    rng = np.random.default_rng(0)
    shops = [uuid.uuid4(), uuid.uuid4()]
    orders = np.zeros((2, days, 24), dtype=np.float32)
    for d in range(days):
        day = first + timedelta(days=d)
        for s, scale in enumerate((4.0, 1.5)):
            base = np.zeros(24)
            base[11:14] = scale * 2
            base[17:20] = scale
            if calendar.is_day_off(day):
                base *= 2.5
            orders[s, d] = rng.poisson(base)
    return HourlyGrid(shops=shops, first_day=first, orders=orders, sales=orders * 100.0)


def test_model_beats_seasonal_naive_around_holidays():
    calendar = HolidayCalendar()
    # Ends just after the 2024 Lunar New Year, so the test weeks hold holidays that last
    # week's same hour does not.
    grid = _grid(84, date(2023, 11, 28), calendar)
    result = backtest(grid, calendar, test_days=14)
    assert result.model_wape < result.naive_wape
    week = forecast_next_week(grid, calendar)
    assert week.shape == (2, 7, 24)
    assert week[0, :, 12].mean() > week[0, :, 3].mean()
