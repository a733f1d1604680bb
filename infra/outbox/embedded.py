"""The in-process relay of the embedded mode: no broker, so the web process delivers events.

It runs on a daemon thread with no event loop of its own running, because in-process Celery
tasks call asyncio.run themselves, which cannot happen inside a running loop.
"""

from __future__ import annotations

import threading

from infra.logging import get_logger
from infra.outbox.relay import OutboxRelay, RelayCounts

log = get_logger("onestreet.outbox")


class EmbeddedRelay:
    def __init__(self, relay: OutboxRelay, interval: float) -> None:
        self.relay = relay
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)

    def start(self) -> None:
        self._thread.start()
        log.info("outbox_relay_started", mode="in-process", interval_seconds=self.interval)

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the current batch and stop; undelivered events wait for the next start."""
        self._stop.set()
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("outbox_relay_still_running", timeout_seconds=timeout)

    def _run(self) -> None:
        self.relay.run_forever(self._stop, self.interval, on_pass=self._report)

    @staticmethod
    def _report(counts: RelayCounts) -> None:
        if counts.relayed:
            log.info("outbox_relayed", **counts.as_dict())
