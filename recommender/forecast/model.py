"""One gradient-boosted forecaster for all shops, scale-free through per-shop levels.

Target: orders in an hour. Features: hour, weekday, day off (weekend or public holiday),
the same hour 7 and 14 days before, the mean of the same weekday-hour over the last four
weeks, and the shop's mean for that hour over the last 28 days; plus, only when imported, one
column per open-data metric (weather, tourism counts) of the shop's county that day. The baseline is
seasonal-naive: the same hour one week earlier. Both are scored by WAPE
(sum |actual - forecast| / sum actual) on the last `test_days` days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from recommender.forecast.grid import HourlyGrid
from recommender.holidays import HolidayCalendar

HISTORY_DAYS = 28  # lags need four weeks before the first training day
# Train on the most recent days only: recent behaviour matters most, and it bounds the cost
# at programme scale (600 shops x 120 days x 24 hours = 1.7M rows).
MAX_TRAIN_DAYS = 120
MIN_DAYS = HISTORY_DAYS + 21  # at least a week to train on and two to test


@dataclass
class ForecastBacktest:
    model_wape: float
    naive_wape: float
    per_shop: dict[int, tuple[float, float, float]]  # row -> (model, naive, actual total)
    train_rows: int


def _wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    total = float(actual.sum())
    return float(np.abs(actual - forecast).sum() / total) if total > 0 else float("nan")


def features(grid: HourlyGrid, calendar: HolidayCalendar, days: range) -> np.ndarray:
    """Rows ordered shop, day, hour for the given day indexes (each >= HISTORY_DAYS)."""
    y = grid.orders
    n_shops = y.shape[0]
    hours = np.arange(24)
    blocks = []
    for d in days:
        day = grid.days[d]
        same_hour = y[:, [d - 7, d - 14, d - 21, d - 28], :]  # [shop, 4, hour]
        level = y[:, d - HISTORY_DAYS : d, :].mean(axis=1)  # [shop, hour]
        block = np.column_stack(
            [
                np.tile(hours, n_shops),
                np.full(n_shops * 24, day.weekday()),
                np.full(n_shops * 24, float(calendar.is_day_off(day))),
                np.full(n_shops * 24, float(calendar.is_holiday(day))),
                same_hour[:, 0, :].ravel(),
                same_hour[:, 1, :].ravel(),
                same_hour.mean(axis=1).ravel(),
                level.ravel(),
                *[_day_values(values, d) for _, values in sorted(grid.outside.items())],
            ]
        )
        blocks.append(block.reshape(n_shops, 24, -1))
    # [day, shop, hour, f] -> [shop, day, hour, f]
    return np.stack(blocks).transpose(1, 0, 2, 3).reshape(-1, blocks[0].shape[-1])


def _day_values(values: np.ndarray, day: int) -> np.ndarray:
    """One shop-day value repeated over the 24 hours; NaN past the imported days."""
    if day >= values.shape[1]:
        return np.full(values.shape[0] * 24, np.nan)
    return np.repeat(values[:, day], 24)


def _target(grid: HourlyGrid, days: range) -> np.ndarray:
    return grid.orders[:, days.start : days.stop, :].reshape(-1)


class DemandForecaster:
    def __init__(self, max_iter: int = 150) -> None:
        self.model = HistGradientBoostingRegressor(
            loss="poisson", max_iter=max_iter, learning_rate=0.08, categorical_features=[1],
            random_state=0,
        )  # fmt: skip

    def fit(self, grid: HourlyGrid, calendar: HolidayCalendar, days: range) -> DemandForecaster:
        # One thread: OpenMP spinning on a shared, busy machine costs more than it saves.
        with threadpool_limits(1):
            self.model.fit(features(grid, calendar, days), _target(grid, days))
        return self

    def predict(self, grid: HourlyGrid, calendar: HolidayCalendar, days: range) -> np.ndarray:
        """[shop, day, hour] forecasts of orders."""
        x = features(grid, calendar, days)
        with threadpool_limits(1):
            predicted = self.model.predict(x)
        return predicted.reshape(grid.orders.shape[0], len(days), 24)


def backtest(grid: HourlyGrid, calendar: HolidayCalendar, test_days: int = 14) -> ForecastBacktest:
    n_days = grid.orders.shape[1]
    if n_days < MIN_DAYS:
        raise ValueError(f"a forecast needs {MIN_DAYS} days of orders, not {n_days}")
    train = range(max(HISTORY_DAYS, n_days - test_days - MAX_TRAIN_DAYS), n_days - test_days)
    test = range(n_days - test_days, n_days)
    model = DemandForecaster().fit(grid, calendar, train)
    forecast = model.predict(grid, calendar, test)
    actual = grid.orders[:, test.start :, :]
    naive = grid.orders[:, test.start - 7 : test.stop - 7, :]
    per_shop = {
        s: (_wape(actual[s], forecast[s]), _wape(actual[s], naive[s]), float(actual[s].sum()))
        for s in range(actual.shape[0])
    }
    return ForecastBacktest(
        model_wape=_wape(actual, forecast),
        naive_wape=_wape(actual, naive),
        per_shop=per_shop,
        train_rows=len(train) * 24 * actual.shape[0],
    )


def forecast_next_week(grid: HourlyGrid, calendar: HolidayCalendar) -> np.ndarray:
    """[shop, 7, hour] expected orders for the 7 days after the grid (trained on all of it)."""
    n_days = grid.orders.shape[1]
    future = HourlyGrid(
        shops=grid.shops,
        first_day=grid.first_day,
        orders=np.concatenate([grid.orders, np.zeros_like(grid.orders[:, :7])], axis=1),
        sales=grid.sales,
        outside=grid.outside,
    )
    model = DemandForecaster().fit(
        grid, calendar, range(max(HISTORY_DAYS, n_days - MAX_TRAIN_DAYS), n_days)
    )
    # The features of day d read days d-7 and earlier only, so the zero padding is never read.
    return model.predict(future, calendar, range(n_days, n_days + 7))
