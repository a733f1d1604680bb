"""KPI tables as CSV (UTF-8 with a BOM, so Excel reads the Chinese names) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from merchant_api.programme.kpi_service import Cell

Table = tuple[list[str], list[list[Any]]]

OVERVIEW_HEADERS = ["kpi", "name_zh", "unit", "roc_year", "target", "actual", "progress"]
BREAKDOWN_HEADERS = ["key", "label", "value", "records", "suppressed"]


def overview_table(overview: list[dict[str, Any]]) -> Table:
    rows = [
        [
            item["kpi"],
            item["name_zh"],
            item["unit"],
            year["roc_year"],
            year["target"],
            year["actual"],
            year["progress"],
        ]
        for item in overview
        for year in item["years"]
    ]
    return OVERVIEW_HEADERS, rows


def breakdown_table(cells: Sequence[Cell]) -> Table:
    return BREAKDOWN_HEADERS, [
        [cell.key, cell.label, cell.value, cell.records, cell.suppressed] for cell in cells
    ]


def records_table(records: list[dict[str, Any]], columns: list[str]) -> Table:
    return columns, [[_plain(record.get(column)) for column in columns] for record in records]


def to_csv(table: Table) -> bytes:
    headers, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: dict[str, Table]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append([_plain(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return value.get("zh-Hant-TW") or next(iter(value.values()), "")
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)
