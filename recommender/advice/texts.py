"""Wording of advice in zh-Hant-TW and English; every number comes from the evidence."""

from __future__ import annotations

ZH_WEEKDAYS = ("週一", "週二", "週三", "週四", "週五", "週六", "週日")
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def twd(minor: int) -> str:
    """NT$ and whole dollars: prices are whole dollars in practice."""
    return f"NT${round(minor / 100):,}"


def both(zh: str, en: str) -> dict[str, str]:
    return {"zh-Hant-TW": zh, "en": en}


def name_in(names: dict[str, str], lang: str) -> str:
    return names.get(lang) or names.get("zh-Hant-TW") or next(iter(names.values()), "?")


FOOTFALL_MISSING = both(
    "熱點人流資料尚未提供，無法判斷是否為來客變少。",
    "Hotspot footfall data is not available yet, so we cannot tell whether fewer people passed by.",
)
FOOTFALL_PRESENT = both(
    "熱點人流資料已連接，請顧問對照該時段的人流。",
    "Hotspot footfall data is connected; the consultant can compare this window's footfall.",
)
