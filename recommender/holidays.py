"""Taiwan's public holidays 2017-2027, built in, and an override file.

Statutory dates from the Directorate-General of Personnel Administration's yearly calendars:
fixed-date holidays plus the lunar ones (Lunar New Year's Eve and the first three days,
Tomb Sweeping, Dragon Boat, Mid-Autumn). Observed make-up days and bridge holidays change
every year by decree; put them in an override CSV (`date,name`, ISO dates; a name of `-`
removes a built-in date) named by ONESTREET_RECOMMENDER__HOLIDAYS_FILE.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from functools import cache
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 2017, 2027

# Lunar New Year's Day (正月初一), Dragon Boat (端午), Mid-Autumn (中秋), Tomb Sweeping (清明).
_LUNAR_NEW_YEAR = {
    2017: "01-28", 2018: "02-16", 2019: "02-05", 2020: "01-25", 2021: "02-12", 2022: "02-01",
    2023: "01-22", 2024: "02-10", 2025: "01-29", 2026: "02-17", 2027: "02-06",
}  # fmt: skip
_DRAGON_BOAT = {
    2017: "05-30", 2018: "06-18", 2019: "06-07", 2020: "06-25", 2021: "06-14", 2022: "06-03",
    2023: "06-22", 2024: "06-10", 2025: "05-31", 2026: "06-19", 2027: "06-09",
}  # fmt: skip
_MID_AUTUMN = {
    2017: "10-04", 2018: "09-24", 2019: "09-13", 2020: "10-01", 2021: "09-21", 2022: "09-10",
    2023: "09-29", 2024: "09-17", 2025: "10-06", 2026: "09-25", 2027: "09-15",
}  # fmt: skip
_TOMB_SWEEPING = {
    2017: "04-04", 2018: "04-05", 2019: "04-05", 2020: "04-04", 2021: "04-04", 2022: "04-05",
    2023: "04-05", 2024: "04-04", 2025: "04-04", 2026: "04-05", 2027: "04-05",
}  # fmt: skip
_FIXED = {
    "01-01": "中華民國開國紀念日 Founding Day",
    "02-28": "和平紀念日 Peace Memorial Day",
    "04-04": "兒童節 Children's Day",
    "10-10": "國慶日 National Day",
}
# Holidays restored or added by the 2025 amendment of the Memorial Days Act.
_FROM_2025 = {
    "05-01": "勞動節 Labour Day",
    "09-28": "孔子誕辰紀念日 Teachers' Day",
    "10-25": "臺灣光復暨金門古寧頭大捷紀念日 Retrocession Day",
    "12-25": "行憲紀念日 Constitution Day",
}


def _on(year: int, month_day: str) -> date:
    return date.fromisoformat(f"{year}-{month_day}")


@cache
def built_in_holidays() -> dict[date, str]:
    days: dict[date, str] = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for month_day, name in _FIXED.items():
            days[_on(year, month_day)] = name
        if year >= 2025:
            for month_day, name in _FROM_2025.items():
                days[_on(year, month_day)] = name
        new_year = _on(year, _LUNAR_NEW_YEAR[year])
        days[new_year - timedelta(days=1)] = "農曆除夕 Lunar New Year's Eve"
        for offset in range(3):
            days[new_year + timedelta(days=offset)] = "春節 Lunar New Year"
        days[_on(year, _TOMB_SWEEPING[year])] = "民族掃墓節 Tomb Sweeping Day"
        days[_on(year, _DRAGON_BOAT[year])] = "端午節 Dragon Boat Festival"
        days[_on(year, _MID_AUTUMN[year])] = "中秋節 Mid-Autumn Festival"
    return days


class HolidayCalendar:
    def __init__(self, overrides: dict[date, str | None] | None = None) -> None:
        days = dict(built_in_holidays())
        for day, name in (overrides or {}).items():
            if name is None:
                days.pop(day, None)
            else:
                days[day] = name
        self.days = days

    @classmethod
    def from_file(cls, path: str | Path | None) -> HolidayCalendar:
        if not path:
            return cls()
        overrides: dict[date, str | None] = {}
        with Path(path).open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    day = date.fromisoformat((row.get("date") or "").strip())
                except ValueError:
                    raise ValueError(f"{path} line {line}: date must be YYYY-MM-DD") from None
                name = (row.get("name") or "").strip()
                overrides[day] = None if name == "-" else (name or "holiday")
        return cls(overrides)

    def is_holiday(self, day: date) -> bool:
        return day in self.days

    def name(self, day: date) -> str | None:
        return self.days.get(day)

    def is_day_off(self, day: date) -> bool:
        return day.weekday() >= 5 or day in self.days
