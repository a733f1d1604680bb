"""Imported open data (weather, tourism counts) as per-shop daily forecast features.

Only metrics that were imported exist here: with no open data the forecaster keeps exactly
its calendar and lag features. Days without a value are NaN, which gradient boosting
treats as missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np

from recommender.features.repository import ShopInfo
from recommender.imports.open_data import EVERY_COUNTY

AHEAD = 7  # next week's forecast reads values imported ahead (e.g. a weather forecast)


def outside_features(
    shops: list[ShopInfo],
    first_day: date,
    n_days: int,
    values: Iterable[tuple[date, str, str, float]],
) -> dict[str, np.ndarray]:
    """metric -> [shop, n_days + AHEAD]; a county's value beats the every-county one."""
    rows_of: dict[str, list[int]] = {}
    for row, shop in enumerate(shops):
        rows_of.setdefault(shop.county, []).append(row)
    out: dict[str, np.ndarray] = {}
    specific: dict[str, np.ndarray] = {}
    for day, county, metric, value in values:
        index = (day - first_day).days
        if not 0 <= index < n_days + AHEAD:
            continue
        if metric not in out:
            out[metric] = np.full((len(shops), n_days + AHEAD), np.nan)
            specific[metric] = np.zeros((len(shops), n_days + AHEAD), dtype=bool)
        if county == EVERY_COUNTY:
            free = ~specific[metric][:, index]
            out[metric][free, index] = value
        else:
            rows = rows_of.get(county, [])
            out[metric][rows, index] = value
            specific[metric][rows, index] = True
    return {m: out[m] for m in sorted(out) if not np.isnan(out[m]).all()}
