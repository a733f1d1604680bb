"""Importing a basket CSV: report every bad row; load good rows only when asked to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from recommender.imports.csv_format import ParsedFile, RowError
from recommender.imports.open_data import OpenDataRow
from recommender.imports.repository import ImportedLineRepository, OpenDataRepository

CHUNK = 5_000


@dataclass(frozen=True)
class ImportOutcome:
    batch: str
    good_rows: int
    errors: list[RowError]
    loaded: int  # 0 when the file had errors and loading the good rows was not asked for


class ImportService:
    def __init__(self, session: AsyncSession) -> None:
        self.lines = ImportedLineRepository(session)
        self.open_data = OpenDataRepository(session)

    async def load_open_data(
        self, batch: str, rows: list[OpenDataRow], errors: list[RowError], *, load_good_rows: bool
    ) -> ImportOutcome:
        """Same rule as baskets: a file with bad rows loads nothing unless asked."""
        if errors and not load_good_rows:
            return ImportOutcome(batch, len(rows), errors, 0)
        for start in range(0, len(rows), CHUNK):
            await self.open_data.add_rows(batch, rows[start : start + CHUNK])
        return ImportOutcome(batch, len(rows), errors, len(rows))

    async def load(self, batch: str, parsed: ParsedFile, *, load_good_rows: bool) -> ImportOutcome:
        """All or nothing by default: a file with bad rows loads nothing unless asked."""
        if parsed.errors and not load_good_rows:
            return ImportOutcome(batch, len(parsed.rows), parsed.errors, 0)
        for start in range(0, len(parsed.rows), CHUNK):
            await self.lines.add_rows(batch, parsed.rows[start : start + CHUNK])
        return ImportOutcome(batch, len(parsed.rows), parsed.errors, len(parsed.rows))
