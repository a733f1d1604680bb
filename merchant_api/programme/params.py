"""Query parameters shared by the KPI routes: the ROC year and the breakdown filters."""

from __future__ import annotations

import uuid

from litestar.params import FromQuery

from infra.errors import ValidationFailed
from merchant_api.programme.definitions import Kpi
from merchant_api.programme.kpi_repository import FLAG_COLUMNS, Filters
from merchant_api.programme.periods import current_roc_year


def query_filters(
    county: FromQuery[str | None] = None,
    digital_level: FromQuery[int | None] = None,
    area_flag: FromQuery[str | None] = None,
    street_id: FromQuery[uuid.UUID | None] = None,
    category: FromQuery[str | None] = None,
    channel: FromQuery[str | None] = None,
    method: FromQuery[str | None] = None,
    source: FromQuery[str | None] = None,
) -> Filters:
    if digital_level is not None and not 1 <= digital_level <= 5:
        raise ValidationFailed("digital_level is 1 to 5.")
    if area_flag is not None and area_flag not in FLAG_COLUMNS:
        raise ValidationFailed(f"area_flag is one of {', '.join(FLAG_COLUMNS)}.")
    return Filters(county, digital_level, area_flag, street_id, category, channel, method, source)


def checked_year(roc_year: int | None) -> int:
    year = roc_year or current_roc_year()
    if not 100 <= year <= 200:
        raise ValidationFailed("roc_year is a ROC year such as 108 (= 2019).")
    return year


def checked_kpi(name: str) -> Kpi:
    try:
        return Kpi(name)
    except ValueError:
        raise ValidationFailed(
            f"Unknown KPI {name!r}.", details={"allowed": [k.value for k in Kpi]}
        ) from None
