"""Render a payment link or wallet payload as a QR code, PNG or SVG, with a caption.

qrcode encodes; we write the pixels (Pillow) and the SVG path from its module matrix, which is
several times faster than its image factories and keeps a 50-code sheet small.
Error correction Q (about 25 % of the code may be lost, ISO/IEC 18004 table 1): printed codes
on tables and counters get scratched, wet and folded. Rendering costs milliseconds per code
and the same link is printed again and again, so results are cached by (payload, format,
caption); the cache holds bytes only.
"""

from __future__ import annotations

import io
from functools import lru_cache
from html import escape
from typing import Literal

import qrcode
from PIL import Image, ImageDraw, ImageFont

from payments.qr.fonts import cjk_font_path

Format = Literal["png", "svg"]
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_Q
PNG_BOX_PIXELS = 8
QUIET_ZONE_MODULES = 4  # ISO/IEC 18004 requires a quiet zone of 4 modules
CAPTION_FONTS = '"Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei", sans-serif'
CACHE_SIZE = 2048


def render(payload: str, fmt: Format, caption: str | None = None) -> bytes:
    """PNG or SVG bytes of the code for `payload`, the caption (shop name) under it."""
    if fmt not in ("png", "svg"):
        raise ValueError("format is png or svg")
    return _cached(payload, fmt, caption or "")


@lru_cache(maxsize=CACHE_SIZE)
def _cached(payload: str, fmt: Format, caption: str) -> bytes:
    return _png(payload, caption) if fmt == "png" else _svg(payload, caption).encode("utf-8")


def svg_markup(payload: str, caption: str | None = None) -> str:
    """The SVG as text, for inlining into HTML (shares the byte cache)."""
    return render(payload, "svg", caption).decode("utf-8")


@lru_cache(maxsize=CACHE_SIZE)
def _matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The modules, quiet zone included, as qrcode encodes them (smallest version that fits,
    best of the eight mask patterns); shared by the PNG and SVG writers."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE_MODULES)
    code.add_data(payload)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def _png(payload: str, caption: str) -> bytes:
    matrix = _matrix(payload)
    side = len(matrix)
    modules = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (side, side), modules)
    image = image.resize((side * PNG_BOX_PIXELS,) * 2, Image.Resampling.NEAREST)
    font_path = cjk_font_path()
    if caption and font_path is not None:
        image = _with_caption(image, caption, str(font_path))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _with_caption(image: Image.Image, caption: str, font_path: str) -> Image.Image:
    size = max(14, image.width // 14)
    font = ImageFont.truetype(font_path, size)
    band = int(size * 1.8)
    canvas = Image.new("L", (image.width, image.height + band), 255)
    canvas.paste(image, (0, 0))
    draw = ImageDraw.Draw(canvas)
    width = draw.textlength(caption, font=font)
    draw.text(((image.width - width) / 2, image.height), caption, font=font, fill=0)
    return canvas


def _svg(payload: str, caption: str) -> str:
    """One path of horizontal runs of dark modules (a quarter of the size of one square per
    module, which matters on a sheet of 50), nested with the caption as text: any browser or
    printer draws Chinese with its own fonts."""
    matrix = _matrix(payload)
    side = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < side:
            if row[x]:
                start = x
                while x < side and row[x]:
                    x += 1
                runs.append(f"M{start},{y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    height = side + (6 if caption else 0)
    text = (
        f'<text x="{side / 2}" y="{side + 3.5}" text-anchor="middle" font-size="3.2" '
        f"font-family='{CAPTION_FONTS}'>{escape(caption)}</text>"
        if caption
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {height}" '
        f'role="img" aria-label="{escape(caption or "QR code")}" shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{height}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/>{text}</svg>'
    )
