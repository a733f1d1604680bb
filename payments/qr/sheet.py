"""A printable A4 sheet of table tents for one shop: one code per counter, table or kiosk.

Six tents per page (2 × 3, each 90 × 85 mm) with the shop's name, the spot ("桌 12 · Table
12") and the code; print CSS keeps tents whole across pages. Codes are inline SVG from the
render cache, so a reprinted sheet costs string joins only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from payments.qr.render import svg_markup

SPOT_TITLES = {
    "shop": ("掃碼付款", "Scan to pay"),
    "counter": ("櫃台 {label}", "Counter {label}"),
    "table": ("桌 {label}", "Table {label}"),
    "kiosk": ("自助機 {label}", "Kiosk {label}"),
}

_STYLE = """
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei",
  sans-serif; color: #111; }
.sheet { display: grid; grid-template-columns: repeat(2, 90mm); gap: 6mm; }
.tent { width: 90mm; height: 85mm; border: 0.3mm dashed #999; padding: 4mm;
  display: flex; flex-direction: column; align-items: center; break-inside: avoid;
  page-break-inside: avoid; }
.tent h2 { font-size: 5mm; margin: 0 0 1mm; text-align: center; }
.tent p { font-size: 3.5mm; margin: 0 0 1mm; }
.tent svg { width: 55mm; height: auto; }
@media screen { body { padding: 10mm; background: #eee; } .tent { background: #fff; } }
"""


@dataclass(frozen=True, slots=True)
class Tent:
    spot: str  # shop, counter, table, kiosk
    label: str
    url: str


def spot_title(spot: str, label: str) -> str:
    zh, en = SPOT_TITLES.get(spot, SPOT_TITLES["shop"])
    return f"{zh.format(label=label)} · {en.format(label=label)}"


def table_tents_html(shop_name: str, tents: Sequence[Tent]) -> str:
    name = escape(shop_name)
    cards = "".join(
        f'<section class="tent"><h2>{name}</h2>'
        f"<p>{escape(spot_title(tent.spot, tent.label))}</p>"
        f"{svg_markup(tent.url, shop_name)}</section>"
        for tent in tents
    )
    return (
        '<!DOCTYPE html><html lang="zh-Hant-TW"><head><meta charset="utf-8">'
        f"<title>{name} · QR</title><style>{_STYLE}</style></head>"
        f'<body><main class="sheet">{cards}</main></body></html>'
    )
