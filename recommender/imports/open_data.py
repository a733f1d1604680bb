"""Open data by county and day (weather, tourism counts...): CSV format and validation.

Format (UTF-8, comma-separated, a header row with exactly these columns, any order):

    date,county,metric,value
    2024-03-01,臺東縣,rain_mm,12.5
    2024-03-01,臺東縣,tourists,5320
    2024-03-02,*,typhoon_day,1

- date: an Asia/Taipei calendar day, YYYY-MM-DD.
- county: a county as the streets record it (e.g. 臺東縣), or * for every county.
- metric: 1-40 characters of a-z, 0-9 and _ (e.g. rain_mm, temp_c, tourists).
- value: a finite number.
A later import of the same date, county and metric replaces the earlier value. Each metric
present becomes one feature of the demand forecast for the shops of that county; days
without a value are missing, which the forecaster handles natively.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from recommender.imports.csv_format import RowError, iter_csv_rows

COLUMNS = ("date", "county", "metric", "value")
METRIC = re.compile(r"^[a-z0-9_]{1,40}$")
EVERY_COUNTY = "*"


@dataclass(frozen=True)
class OpenDataRow:
    line: int
    day: date
    county: str
    metric: str
    value: float


def parse_row(line: int, record: dict[str, str]) -> OpenDataRow:
    raw_day = (record.get("date") or "").strip()
    try:
        day = date.fromisoformat(raw_day)
    except ValueError:
        raise ValueError(f"date {raw_day!r} is not YYYY-MM-DD") from None
    county = (record.get("county") or "").strip()
    if not county or len(county) > 20:
        raise ValueError("county is empty or longer than 20 characters")
    metric = (record.get("metric") or "").strip()
    if not METRIC.match(metric):
        raise ValueError(f"metric {metric!r} must be 1-40 characters of a-z, 0-9 and _")
    raw_value = (record.get("value") or "").strip()
    try:
        value = float(raw_value)
    except ValueError:
        raise ValueError(f"value {raw_value!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"value {raw_value!r} is not a finite number")
    return OpenDataRow(line, day, county, metric, value)


def iter_parsed(lines: Iterable[str]) -> Iterator[OpenDataRow | RowError]:
    return iter_csv_rows(lines, COLUMNS, parse_row)
