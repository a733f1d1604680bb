"""How the pages write money and categories."""

from __future__ import annotations

# Shown in Traditional Chinese with an English line for visitors; order is the page order.
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "agriculture_produce": ("農糧漁牧", "Farm and sea produce"),
    "food_and_drink": ("餐飲服務", "Food and drink"),
    "handicrafts": ("手工藝品", "Handicrafts"),
    "tourism": ("觀光旅遊", "Tourism and travel"),
    "retail": ("產品零售", "Shops"),
}


def format_twd(amount_minor: int) -> str:
    """12000 -> "NT$120"; 123456 -> "NT$1,234.56". Shops quote whole dollars, so cents are
    only shown when there are some."""
    sign = "-" if amount_minor < 0 else ""
    dollars, cents = divmod(abs(amount_minor), 100)
    if cents:
        return f"{sign}NT${dollars:,}.{cents:02d}"
    return f"{sign}NT${dollars:,}"
