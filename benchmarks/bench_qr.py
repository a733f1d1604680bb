"""QR rendering throughput: codes/s for PNG and SVG, and a sheet of 50 table tents.

    .venv/bin/python benchmarks/bench_qr.py [--codes 200]

Payloads are real static and dynamic payment link URLs. "cold" means nothing cached (a new
payload each time, as when a shop first prints); "warm" means the same codes again.
"""

from __future__ import annotations

import argparse
import time
import uuid
from datetime import UTC, datetime, timedelta

from payments.links.tokens import DynamicLink, LinkSigner, StaticLink
from payments.qr import render as render_module
from payments.qr.render import render
from payments.qr.sheet import Tent, table_tents_html

BASE = "https://onestreet.example.tw/p/"
SIGNER = LinkSigner("benchmark-secret-key-of-sufficient-length-0123")


def _urls(count: int) -> list[str]:
    shop = uuid.uuid4()
    expires = datetime.now(UTC) + timedelta(minutes=10)
    urls = []
    for n in range(count):
        link = (
            StaticLink(shop, "table", str(n))
            if n % 2
            else DynamicLink(shop, uuid.uuid4(), 100 + n, "901", expires, f"ORD-{n:06d}")
        )
        urls.append(BASE + SIGNER.sign(link))
    return urls


def _clear() -> None:
    render_module._cached.cache_clear()
    render_module._matrix.cache_clear()


def _rate(fmt: str, urls: list[str]) -> float:
    started = time.perf_counter()
    for url in urls:
        render(url, fmt, "山林茶坊")  # type: ignore[arg-type]
    return len(urls) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=200)
    args = parser.parse_args()
    urls = _urls(args.codes)

    _clear()
    png_cold = _rate("png", urls)
    _clear()
    svg_cold = _rate("svg", urls)
    svg_warm = _rate("svg", urls)

    tents = [Tent("table", str(n), url) for n, url in enumerate(_urls(50), start=1)]
    _clear()
    started = time.perf_counter()
    table_tents_html("山林茶坊", tents)
    sheet_cold = time.perf_counter() - started
    started = time.perf_counter()
    html = table_tents_html("山林茶坊", tents)
    sheet_warm = time.perf_counter() - started

    print(f"PNG cold: {png_cold:8.0f} codes/s")
    print(f"SVG cold: {svg_cold:8.0f} codes/s")
    print(f"SVG warm: {svg_warm:8.0f} codes/s (cached)")
    print(f"sheet of 50, cold: {sheet_cold * 1000:7.1f} ms ({len(html) // 1024} KiB of HTML)")
    print(f"sheet of 50, warm: {sheet_warm * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
