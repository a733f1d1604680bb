"""localstripe as a real HTTP peer for the tests, and a recorder of the webhooks it sends.

localstripe is started as its own process on a free port, with an empty store, through
localstripe_connect.py (which adds the Connect accounts and Terminal token endpoints it
lacks). It posts each event once to every registered webhook URL, signed with the registered
secret (`t=<created>,v1=<hmac>`); `WebhookRecorder` is that URL and keeps the exact bytes
and headers, so tests can deliver, drop, duplicate and reorder them into our app.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

# localstripe itself, plus the Connect accounts and Terminal tokens it lacks.
EXTENDED = Path(__file__).with_name("localstripe_connect.py")


def free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


class LocalStripe:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, attempts: int = 3) -> None:
        """Start on a free port; another port if a concurrent process took this one first."""
        for attempt in range(attempts):
            try:
                self._start_once()
                return
            except RuntimeError:
                if attempt == attempts - 1:
                    raise
                self.port = free_port()
                self.url = f"http://127.0.0.1:{self.port}"

    def _start_once(self, timeout: float = 20.0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(EXTENDED), "--port", self.port, "--from-scratch"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"localstripe exited with {self.process.returncode}")
            try:
                httpx.delete(f"{self.url}/_config/data", timeout=1.0)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("localstripe did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def reset(self) -> None:
        httpx.delete(f"{self.url}/_config/data", timeout=5.0).raise_for_status()
        httpx.delete(f"{self.url}/_config/extensions", timeout=5.0).raise_for_status()

    def _extensions(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.url}/_config/extensions", timeout=5.0).json())

    def accounts_created(self) -> int:
        return int(self._extensions()["accounts"])

    def terminal_tokens(self) -> list[dict[str, Any]]:
        return list(self._extensions()["terminal_tokens"])

    def intent_creates(self) -> list[dict[str, Any]]:
        """Each PaymentIntent create: its Stripe-Account header and application fee."""
        return list(self._extensions()["intent_creates"])

    def register_webhook(self, name: str, url: str, secret: str) -> None:
        response = httpx.post(
            f"{self.url}/_config/webhooks/{name}", data={"url": url, "secret": secret}, timeout=5
        )
        response.raise_for_status()


@dataclass(frozen=True)
class Delivery:
    body: bytes
    headers: dict[str, str]

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def type(self) -> str:
        return str(self.event["type"])


class WebhookRecorder:
    """An HTTP endpoint that answers 200 and keeps every delivery, in arrival order."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self._changed = threading.Condition()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with recorder._changed:
                    recorder.deliveries.append(Delivery(body, dict(self.headers.items())))
                    recorder._changed.notify_all()
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def clear(self) -> None:
        with self._changed:
            self.deliveries.clear()

    def wait_for(self, event_type: str, intent_id: str, timeout: float = 15.0) -> Delivery:
        """The delivery of `event_type` about PaymentIntent `intent_id` (localstripe waits 1 s)."""

        def find() -> Delivery | None:
            for delivery in self.deliveries:
                event = delivery.event
                if event["type"] == event_type and event["data"]["object"]["id"] == intent_id:
                    return delivery
            return None

        with self._changed:
            found = self._changed.wait_for(find, timeout)
        if found is None:
            raise AssertionError(f"localstripe sent no {event_type} for {intent_id}")
        return found
