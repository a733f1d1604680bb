"""Every rendered code is read back by a real decoder (zxing-cpp) to the exact payload."""

from __future__ import annotations

import io
import re
import time
import uuid

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from payments.links.tokens import LinkSigner, StaticLink
from payments.providers.emvco import (
    PaymentRequest,
    PromptPay,
    QrisNational,
    VietQR,
    build_payload,
    parse_payload,
    promptpay_transfer_payload,
)
from payments.providers.twqr import purchase_uri
from payments.qr import render as render_module
from payments.qr.render import render
from payments.qr.sheet import Tent, table_tents_html

SIGNER = LinkSigner("test-secret-key-of-sufficient-length-0123456789")
LINK = "https://onestreet.example.tw/p/" + SIGNER.sign(StaticLink(uuid.uuid4(), "table", "12"))
PAYLOADS = [
    LINK,
    promptpay_transfer_payload(PromptPay.mobile("0812345678"), 4200),
    build_payload(
        PaymentRequest(
            (VietQR("970436", "1012345678"),),
            "VND",
            "VN",
            "Bánh Mì Cô Ba",
            "Taitung",
            amount_minor=45000,
        )
    ),
    build_payload(
        PaymentRequest((QrisNational("ID1020021181745"),), "IDR", "ID", "Warung Bu Sri", "Taitung")
    ),
    purchase_uri("山林茶坊", order_no="A0001", acquirer_code="AeHoYzwSULbZ", amount_minor=12000),
]


def _decode(image: Image.Image) -> str:
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, "exactly one code expected"
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text


def _rasterise_svg(svg: str, scale: int = 8) -> Image.Image:
    """Draw our SVG's path (horizontal runs "Mx,yhNv1h-Nz") with Pillow."""
    side = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))  # type: ignore[union-attr]
    image = Image.new("L", (side * scale, side * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, width in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\d+z", svg):
        left, top = int(x) * scale, int(y) * scale
        draw.rectangle([left, top, left + int(width) * scale - 1, top + scale - 1], fill=0)
    return image


@pytest.mark.parametrize("payload", PAYLOADS, ids=["link", "promptpay", "vietqr", "qris", "twqr"])
def test_png_and_svg_decode_to_the_exact_payload(payload):
    png = render(payload, "png", "山林茶坊")
    assert png.startswith(b"\x89PNG")
    assert _decode(Image.open(io.BytesIO(png))) == payload
    svg = render(payload, "svg", "山林茶坊").decode()
    assert _decode(_rasterise_svg(svg)) == payload
    assert "山林茶坊</text>" in svg
    if payload.startswith("000201"):
        parse_payload(_decode(Image.open(io.BytesIO(png))))  # CRC still valid after the trip


def test_error_correction_is_fit_for_print():
    result = zxingcpp.read_barcodes(Image.open(io.BytesIO(render(LINK, "png"))))[0]
    assert result.ec_level in {"Q", "H"}


def test_caption_is_escaped_in_svg():
    svg = render(LINK, "svg", '<script>"&').decode()
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_renders_are_cached_by_payload_format_and_caption():
    render_module._cached.cache_clear()
    render_module._matrix.cache_clear()
    first = render(LINK, "svg", "A")
    assert render(LINK, "svg", "A") is first
    assert render(LINK, "png", "A") is not first
    assert render_module._cached.cache_info().hits == 1


def test_sheet_of_fifty_codes_renders_fast_and_contains_every_code():
    tents = [
        Tent("table", str(n), f"https://onestreet.example.tw/p/{uuid.uuid4().hex}")
        for n in range(1, 51)
    ]
    render_module._cached.cache_clear()
    render_module._matrix.cache_clear()
    started = time.perf_counter()
    cold = table_tents_html("山林茶坊", tents)
    cold_seconds = time.perf_counter() - started
    started = time.perf_counter()
    warm = table_tents_html("山林茶坊", tents)
    warm_seconds = time.perf_counter() - started
    assert cold == warm
    assert warm.count('<section class="tent">') == 50
    assert "桌 50 · Table 50" in warm and "@page { size: A4" in warm
    assert warm_seconds < 1.0, f"warm sheet took {warm_seconds:.3f} s"
    # Cold cost is the QR encoder (~20 ms a code on an idle machine); only a sanity bound here.
    assert cold_seconds < 10.0, f"cold sheet took {cold_seconds:.3f} s"
