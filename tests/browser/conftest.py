"""A real app for real browsers: uvicorn in a subprocess on a free port, on a temp SQLite file
migrated and seeded like `onestreet demo`, and Debian's Chromium driven by Playwright.

Chromium missing: the tests skip with the reason, or fail under ONESTREET_TEST_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from infra.bootstrap.seed import seed_database
from infra.migrations import runner
from infra.settings import AppSettings, DatabaseSettings, Settings

CHROMIUM = os.environ.get("ONESTREET_TEST_CHROMIUM", "/usr/bin/chromium")
REQUIRE = os.environ.get("ONESTREET_TEST_REQUIRE_SERVICES") == "1"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "test-artifacts"
SECRET = "browser-test-secret-key-of-sufficient-length-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite+aiosqlite:///{folder / 'onestreet.sqlite3'}"
    runner.upgrade(url)
    seed_database(
        Settings(
            app=AppSettings(environment="test", data_dir=folder), database=DatabaseSettings(url=url)
        )
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ONESTREET_")},
        "ONESTREET_APP__ENVIRONMENT": "test",
        "ONESTREET_APP__DATA_DIR": str(folder),
        "ONESTREET_APP__PUBLIC_URL": base,
        "ONESTREET_APP__LOG_LEVEL": "WARNING",
        "ONESTREET_DATABASE__URL": url,
        "ONESTREET_AUTH__SECRET_KEY": SECRET,
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "infra.bootstrap.asgi:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180  # a busy 2-core machine imports slowly
        while True:
            try:
                if httpx.get(f"{base}/health/live", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start; see {ARTIFACTS / 'server.log'}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# Module-scoped: while Playwright's sync API is open it keeps an event loop running on the
# main thread, and every later test that calls asyncio.run (migrations, SDK clients) would
# be refused. Closing it after each browser module leaves the rest of the suite untouched.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE:
            pytest.fail(f"{reason} (ONESTREET_TEST_REQUIRE_SERVICES=1)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


def screenshot(page: object, name: str) -> None:
    """The page at phone (360 px) and desktop (1280 px) width, kept under var/test-artifacts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})  # type: ignore[attr-defined]
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)  # type: ignore[attr-defined]


def sign_in(page: object, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/owner/login?next={next_path}")  # type: ignore[attr-defined]
    page.fill("#email", email)  # type: ignore[attr-defined]
    page.fill("#password", "onestreet-demo")  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(lambda url: url.startswith(f"{base}{next_path}"))  # type: ignore[attr-defined]
