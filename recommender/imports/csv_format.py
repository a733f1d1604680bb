"""The basket CSV format and its row-by-row validation (no database here).

Format (UTF-8, comma-separated, a header row with exactly these columns, any order):

    customer_id,order_id,timestamp,item_id,quantity,price,shop
    c-001,o-1001,2024-03-01T10:15:00+08:00,oolong-150g,2,180,tea-house

- customer_id, order_id, item_id, shop: non-empty text, at most 100 characters.
- timestamp: ISO 8601; without an offset it is read as Asia/Taipei time.
- quantity: a whole number >= 1.
- price: the unit price in TWD, >= 0, at most 2 decimals (stored in minor units, x100).
Rows of one order_id form one basket.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")

COLUMNS = ("customer_id", "order_id", "timestamp", "item_id", "quantity", "price", "shop")
TAIPEI = ZoneInfo("Asia/Taipei")
MAX_TEXT = 100


@dataclass(frozen=True)
class BasketRow:
    line: int
    customer_ref: str
    order_ref: str
    ordered_at: datetime
    item_ref: str
    quantity: int
    price_minor: int
    shop_ref: str


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class ParsedFile:
    rows: list[BasketRow]
    errors: list[RowError]


class HeaderError(ValueError):
    """The header is missing columns; nothing in the file can be read."""


def _text(record: dict[str, str], column: str) -> str:
    value = (record.get(column) or "").strip()
    if not value:
        raise ValueError(f"{column} is empty")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{column} is longer than {MAX_TEXT} characters")
    return value


def _timestamp(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(
            f"timestamp {raw!r} is not ISO 8601 (e.g. 2024-03-01T10:15:00+08:00)"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=TAIPEI)
    return value.astimezone(UTC)


def _quantity(raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError(f"quantity {raw!r} is not a whole number") from None
    if value < 1:
        raise ValueError(f"quantity {value} is below 1")
    return value


def _price_minor(raw: str) -> int:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ValueError(f"price {raw!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"price {raw!r} must be 0 or more")
    minor = value * 100
    if minor != minor.to_integral_value():
        raise ValueError(f"price {raw!r} has more than 2 decimals")
    return int(minor)


def parse_row(line: int, record: dict[str, str]) -> BasketRow:
    return BasketRow(
        line=line,
        customer_ref=_text(record, "customer_id"),
        order_ref=_text(record, "order_id"),
        ordered_at=_timestamp(_text(record, "timestamp")),
        item_ref=_text(record, "item_id"),
        quantity=_quantity(_text(record, "quantity")),
        price_minor=_price_minor(_text(record, "price")),
        shop_ref=_text(record, "shop"),
    )


def iter_parsed(lines: Iterable[str]) -> Iterator[BasketRow | RowError]:
    return iter_csv_rows(lines, COLUMNS, parse_row)


def iter_csv_rows(
    lines: Iterable[str],
    columns: Sequence[str],
    parse: Callable[[int, dict[str, str]], T],
) -> Iterator[T | RowError]:
    """Each data row parsed by `parse(line, record)`, or a RowError naming its line; a header
    without every one of `columns` refuses the whole file (HeaderError)."""
    reader = csv.DictReader(lines)
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in columns if c not in header]
    if missing:
        raise HeaderError(
            f"line 1: the header lacks {', '.join(missing)}; expected {','.join(columns)}"
        )
    reader.fieldnames = header
    for record in reader:
        line = reader.line_num  # physical line, so quoted newlines still point at the row
        if None in record or any(v is None for v in record.values()):
            yield RowError(line, f"expected {len(header)} fields")
            continue
        try:
            yield parse(line, record)
        except ValueError as exc:
            yield RowError(line, str(exc))


def parse_lines(lines: Iterable[str]) -> ParsedFile:
    parsed = ParsedFile(rows=[], errors=[])
    for item in iter_parsed(lines):
        (parsed.errors if isinstance(item, RowError) else parsed.rows).append(item)  # type: ignore[arg-type]
    return parsed


def histories_from_rows(rows: Iterable[BasketRow]) -> dict[str, list[list[str]]]:
    """Customer -> baskets (orders) oldest first, each the distinct items in file order."""
    orders: dict[tuple[str, str], tuple[datetime, list[str]]] = {}
    for row in rows:
        key = (row.customer_ref, row.order_ref)
        at, items = orders.setdefault(key, (row.ordered_at, []))
        if row.item_ref not in items:
            items.append(row.item_ref)
        if row.ordered_at < at:
            orders[key] = (row.ordered_at, items)
    history: dict[str, list[tuple[datetime, str, list[str]]]] = {}
    for (customer, order), (at, items) in orders.items():
        history.setdefault(customer, []).append((at, order, items))
    return {c: [items for _, _, items in sorted(b)] for c, b in history.items()}
