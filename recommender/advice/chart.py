"""A small bar chart for an advice item: a spec the owner console can draw, and its SVG.

The SVG is built from numbers only (labels are escaped), so it is safe to inline.
"""

from __future__ import annotations

from html import escape
from typing import Any

WIDTH, HEIGHT, PAD = 320, 140, 18


def bar_chart(
    labels: list[str], values: list[float], highlight: list[int], unit: str
) -> dict[str, Any]:
    top = max(values) if values and max(values) > 0 else 1.0
    step = (WIDTH - 2 * PAD) / max(len(values), 1)
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = (HEIGHT - 2 * PAD) * value / top
        bars.append(
            {
                "label": label,
                "value": value,
                "x": round(PAD + i * step + step * 0.1, 1),
                "y": round(HEIGHT - PAD - h, 1),
                "width": round(step * 0.8, 1),
                "height": round(h, 1),
                "highlight": i in highlight,
            }
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img">'
    ]
    for bar in bars:
        fill = "#d9480f" if bar["highlight"] else "#868e96"
        parts.append(
            f'<rect x="{bar["x"]}" y="{bar["y"]}" width="{bar["width"]}" '
            f'height="{bar["height"]}" fill="{fill}"><title>{escape(str(bar["label"]))}: '
            f"{bar['value']}</title></rect>"
        )
        parts.append(
            f'<text x="{bar["x"] + bar["width"] / 2:.1f}" y="{HEIGHT - 4}" font-size="9" '
            f'text-anchor="middle">{escape(str(bar["label"]))}</text>'
        )
    parts.append("</svg>")
    return {"type": "bar", "unit": unit, "bars": bars, "svg": "".join(parts)}
