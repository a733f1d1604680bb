"""How tasks are wired: the Celery configuration, the beat schedule, the web process's own
relay when there is no broker, and the `onestreet worker|beat|outbox` commands."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest
from litestar.testing import TestClient

from infra.bootstrap.asgi import create_app
from infra.bootstrap.worker import build_worker, start_embedded_relay
from infra.celery_app import create_celery_app
from infra.settings import CelerySettings, Settings
from tests.outbox.support import EFFECT_HANDLER
from tests.support.cli import onestreet as run_onestreet

HANDLERS = "tests.outbox.support"
REPO = Path(__file__).resolve().parents[2]


def with_celery(settings: Settings, **changes: object) -> Settings:
    celery = CelerySettings(**{**settings.celery.model_dump(), **changes})
    return settings.model_copy(update={"celery": celery})


def onestreet(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_onestreet(
        *args, cwd=cwd, env={"ONESTREET_APP__LOG_JSON": "false", **env}, timeout=120
    )


def test_celery_is_configured_for_redelivery(settings):
    app = create_celery_app(
        with_celery(settings, broker_url="redis://127.0.0.1:6379/14", visibility_timeout_seconds=7)
    )
    conf = app.conf
    assert not conf.task_always_eager
    assert (conf.task_acks_late, conf.task_reject_on_worker_lost) == (True, True)
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] == 7
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]


def test_without_a_broker_tasks_run_in_process(settings):
    assert create_celery_app(settings).conf.task_always_eager


def test_beat_relays_the_outbox_every_interval(settings):
    worker = build_worker(with_celery(settings, outbox_relay_interval_seconds=3.5))
    entry = worker.celery.conf.beat_schedule["outbox-relay"]
    assert (entry["task"], entry["schedule"]) == ("outbox.relay", 3.5)
    assert {"outbox.deliver", "outbox.relay"} <= set(worker.celery.tasks)


def test_the_web_app_delivers_events_itself_without_a_broker(
    settings, publish_events, effects_table
):
    settings = with_celery(
        settings, extra_handler_modules=HANDLERS, outbox_relay_interval_seconds=0.1
    )
    with TestClient(create_app(settings)):
        [event_id] = publish_events({"n": 1})
        deadline = time.monotonic() + 15
        while not effects_table() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [row[:2] for row in effects_table()] == [(str(event_id), EFFECT_HANDLER)]
    # Shutting the app down stopped the relay thread.
    assert not [t for t in threading.enumerate() if t.name == "outbox-relay" and t.is_alive()]


def test_the_embedded_relay_can_be_switched_off_and_is_off_with_a_broker(settings):
    assert start_embedded_relay(with_celery(settings, embedded_relay=False)) is None
    assert start_embedded_relay(with_celery(settings, broker_url="redis://x:6379/0")) is None


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_worker_and_beat_say_clearly_that_no_broker_is_configured(command, tmp_path):
    result = onestreet(command, cwd=tmp_path, env={})
    assert result.returncode == 1
    assert "no broker configured" in result.stderr
    assert "ONESTREET_CELERY__BROKER_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_relay_delivers_in_process_and_reports_counts(
    database_url, publish_events, effects_table, tmp_path
):
    publish_events({"n": 1}, {"n": 2}, {"n": 3})
    env = {
        "ONESTREET_DATABASE_URL": database_url,
        "ONESTREET_CELERY__EXTRA_HANDLER_MODULES": HANDLERS,
        "ONESTREET_CELERY__OUTBOX_BATCH_SIZE": "2",
    }

    relayed = onestreet("outbox", "relay", cwd=tmp_path, env=env)

    assert relayed.returncode == 0, relayed.stderr
    assert "no broker configured: tasks run in-process" in relayed.stderr
    assert relayed.stdout.splitlines() == [
        "batch of 2 events",
        "batch of 1 event",
        "relayed 3 events in 2 batches",
    ]
    assert len(effects_table()) == 3
    status = onestreet("outbox", "status", cwd=tmp_path, env=env)
    assert status.stdout.strip() == "published: 3 due: 0 failing: 0"
