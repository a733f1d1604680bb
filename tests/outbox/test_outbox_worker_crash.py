"""The real thing: a Celery worker process is SIGKILLed in the middle of a task, and every
event's handler still takes effect exactly once.

PostgreSQL and Redis only. Two `onestreet outbox relay` processes hand 30 events to Redis at
the same time; a prefork worker handles them, one handler hangs, and the whole worker is
killed while it hangs. Its transaction dies with it, Redis hands the unacknowledged task out
again after the (short) visibility timeout, and a second worker handles it. Events that the
first worker finished but had not acknowledged come back too, and handler dedupe skips them.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import redis

from tests.conftest import REDIS_URL, redis_unavailable_reason, skip_or_fail
from tests.outbox.support import EFFECT_HANDLER, MARKER_DIR_ENV

REPO = Path(__file__).resolve().parents[2]
EVENTS = 30
VISIBILITY_TIMEOUT = 3
# Its own Redis database: conftest flushes REDIS_URL's after every test.
BROKER_URL = REDIS_URL.rsplit("/", 1)[0] + "/14"


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


def cli_env(database_url: str, work_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONESTREET_")}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "ONESTREET_APP__ENVIRONMENT": "test",
            "ONESTREET_APP__LOG_JSON": "false",
            "ONESTREET_APP__DATA_DIR": str(work_dir),
            "ONESTREET_DATABASE_URL": database_url,
            "ONESTREET_CELERY__BROKER_URL": BROKER_URL,
            "ONESTREET_CELERY__VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_TIMEOUT),
            "ONESTREET_CELERY__EXTRA_HANDLER_MODULES": "tests.outbox.support",
            # Small batches, so the two relays really take turns.
            "ONESTREET_CELERY__OUTBOX_BATCH_SIZE": "4",
            MARKER_DIR_ENV: str(work_dir),
        }
    )
    return env


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # Its own process group, so one killpg takes the worker and all its pool children.
    return subprocess.Popen(
        [sys.executable, "-m", "infra.bootstrap.cli", *args],
        cwd=log.parent,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_worker(name: str, env: dict[str, str], work_dir: Path) -> subprocess.Popen[bytes]:
    args = ["worker", "-c", "2", "--pool", "prefork", "-n", f"{name}@%h"]
    return start([*args, "--without-mingle", "--without-gossip"], env, work_dir / f"{name}.log")


def kill_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def logs(work_dir: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in work_dir.glob("*.log"))


@pytest.mark.services
def test_a_task_killed_with_its_worker_is_redelivered_and_every_event_handled_once(
    backend, database_url, publish_events, effects_table, outbox_rows, handled_rows, tmp_path
):
    if backend != "postgres":
        pytest.skip("needs PostgreSQL and Redis for a real worker")
    if reason := redis_unavailable_reason():
        skip_or_fail(reason)
    broker = redis.Redis.from_url(BROKER_URL)
    broker.flushdb()
    env = cli_env(database_url, tmp_path)
    ids = publish_events(*({"n": n, "slow": n == 0} for n in range(EVENTS)))
    slow_id = ids[0]
    marker = tmp_path / f"slow-{slow_id}"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        first_worker = start_worker("first", env, tmp_path)
        processes.append(first_worker)
        relays = [start(["outbox", "relay"], env, tmp_path / f"relay{n}.log") for n in (1, 2)]
        processes += relays
        for relay in relays:
            assert relay.wait(timeout=60) == 0, logs(tmp_path)
        relayed = [
            int(re.findall(r"relayed (\d+) events?", (tmp_path / f"relay{n}.log").read_text())[0])
            for n in (1, 2)
        ]
        # Two relays, no event sent twice.
        assert sum(relayed) == EVENTS, (relayed, logs(tmp_path))

        wait_for(marker.exists, 30, f"the slow handler to start\n{logs(tmp_path)}")
        stalled_pid = int(marker.read_text())
        kill_group(first_worker)
        # The killed handler's transaction died with it: no effect for the slow event yet.
        assert str(slow_id) not in {event_id for event_id, _, _ in effects_table()}

        processes.append(start_worker("second", env, tmp_path))

        def all_handled() -> bool:
            return {e for e, _, _ in effects_table()} == {str(i) for i in ids}

        wait_for(all_handled, 40, f"every event to be handled\n{logs(tmp_path)}")
        # Let anything still unacknowledged come back once more, then check nothing is left.
        wait_for(
            lambda: broker.llen("celery") == 0 and broker.hlen("unacked") == 0,
            3 * VISIBILITY_TIMEOUT + 10,
            "the queue to drain",
        )
        time.sleep(1)
    finally:
        for process in processes:
            kill_group(process)
        broker.flushdb()

    effects = effects_table()
    assert Counter(event_id for event_id, _, _ in effects) == {str(i): 1 for i in ids}
    [slow_pid] = [pid for event_id, _, pid in effects if event_id == str(slow_id)]
    assert slow_pid != stalled_pid, "the slow event was handled by the second worker"
    assert Counter(handled_rows()) == {(i, EFFECT_HANDLER): 1 for i in ids}
    rows = outbox_rows()
    assert all(rows[i].published_at is not None and rows[i].last_error is None for i in ids)
