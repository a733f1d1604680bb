"""`onestreet serve`: the web app under uvicorn."""

from __future__ import annotations

import click
import uvicorn

from infra.bootstrap.cli_support import require_database, settings


@click.command()
@click.option("--host", default=None, help="Address to listen on (default from settings).")
@click.option("--port", type=int, default=None, help="Port (default from settings).")
@click.option(
    "--workers",
    type=int,
    default=1,
    show_default=True,
    help="Web processes; use several on PostgreSQL.",
)
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the web app and API."""
    current = settings()
    require_database(current)
    run_server(host or current.app.host, port or current.app.port, workers)


def run_server(host: str, port: int, workers: int = 1) -> None:
    uvicorn.run(
        "infra.bootstrap.asgi:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        proxy_headers=True,
    )
