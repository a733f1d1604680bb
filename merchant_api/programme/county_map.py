"""The ministry's county map: one tile per county or city, laid out roughly as Taiwan lies,
so no outline data is needed. (row, column) with row 0 in the north, column 0 in the west;
the outlying islands sit in the westmost column."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.programme.definitions import Kpi
from merchant_api.programme.kpi_repository import Filters
from merchant_api.programme.kpi_service import KpiService

TILES: dict[str, tuple[int, int]] = {
    "連江縣": (0, 0),
    "基隆市": (0, 4),
    "桃園市": (1, 2),
    "臺北市": (1, 3),
    "新北市": (1, 4),
    "金門縣": (2, 0),
    "新竹市": (2, 1),
    "新竹縣": (2, 2),
    "宜蘭縣": (2, 4),
    "苗栗縣": (3, 2),
    "臺中市": (3, 3),
    "花蓮縣": (3, 4),
    "彰化縣": (4, 2),
    "南投縣": (4, 3),
    "澎湖縣": (5, 0),
    "雲林縣": (5, 2),
    "嘉義縣": (5, 3),
    "臺東縣": (5, 4),
    "嘉義市": (6, 2),
    "臺南市": (6, 3),
    "高雄市": (7, 3),
    "屏東縣": (8, 3),
}


def county_name(raw: str) -> str:
    """台 and 臺 are both in use; the tiles use 臺."""
    return raw.replace("台", "臺")


async def county_tiles(
    session: AsyncSession, roc: int, min_cell: int, service: KpiService | None = None
) -> list[dict[str, Any]]:
    """Pass the service that drew the overview to reuse what it already read."""
    service = service or KpiService(session, min_cell)
    figures: dict[str, dict[str, Any]] = {
        name: {"county": name, "row": row, "column": column}
        for name, (row, column) in TILES.items()
    }
    for kpi in (Kpi.areas, Kpi.devices, Kpi.services, Kpi.courses, Kpi.uses, Kpi.business):
        for cell in await service.breakdown(kpi, "county", roc, Filters()):
            tile = figures.get(county_name(cell.key))
            if tile is not None:
                tile[kpi.value] = cell.value
                if cell.suppressed:
                    tile.setdefault("suppressed", []).append(kpi.value)
    for tile in figures.values():
        for kpi in Kpi:
            tile.setdefault(kpi.value, 0)
        tile.setdefault("suppressed", [])
    return sorted(figures.values(), key=lambda tile: (tile["row"], tile["column"]))
