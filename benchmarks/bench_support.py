"""What every benchmark shares: its own databases, the pgbench baseline and the app server.

Each benchmark reports its figure as a ratio to pgbench's TPC-B-like TPS measured in the
same run on the same machine, so a busy or slow machine moves both sides.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import asyncpg
import httpx


async def admin_sql(server: str, sql: str, database: str = "postgres") -> None:
    """Run SQL on one of the server's databases: by default its maintenance database
    (CREATE/DROP DATABASE)."""
    conn = await asyncpg.connect(f"{server}/{database}")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def pgbench_tps(server: str, database: str, seconds: int) -> float:
    """pgbench's TPC-B-like TPS at scale 10 with 32 clients, in a scratch database."""
    url = f"{server}/{database}"
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        raise SystemExit("pgbench is not installed (apt-get install postgresql-contrib)")
    subprocess.run([pgbench, "-i", "-s", "10", "-q", url], check=True, capture_output=True)  # noqa: S603
    out = subprocess.run(  # noqa: S603
        [pgbench, "-c", "32", "-j", "2", "-T", str(seconds), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return read_tps(out)


def read_tps(pgbench_output: str) -> float:
    """The TPS pgbench printed, without its connection time."""
    found = re.search(r"tps = ([\d.]+) \(without initial connection time\)", pgbench_output)
    if not found:
        raise SystemExit(f"could not read pgbench's TPS from:\n{pgbench_output}")
    return float(found.group(1))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(base: str, server: subprocess.Popen, attempts: int = 300) -> None:  # type: ignore[type-arg]
    """Wait (0.2 s per attempt) until the app server answers its readiness check."""
    for _ in range(attempts):
        if server.poll() is not None:
            raise SystemExit("the app server exited during start-up")
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the app server did not come up")


def start_app_server(root: Path, env: dict[str, str], port: int, workers: int) -> subprocess.Popen:  # type: ignore[type-arg]
    """The app served as it is deployed on a small machine: uvicorn with uvloop and httptools,
    no access log (a reverse proxy logs requests), built by its factory; waits until it answers.
    The server leads its own process group so that stop_app_server ends its workers too."""
    command = [
        str(root / ".venv/bin/uvicorn"), "infra.bootstrap.asgi:create_app", "--factory",
        "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port),
        "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        command,
        env=env,
        cwd=root,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_until_up(f"http://127.0.0.1:{port}", server)
    return server


def stop_app_server(server: subprocess.Popen) -> None:  # type: ignore[type-arg]
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
