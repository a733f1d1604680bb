"""Liveness and readiness probes for load balancers and process managers."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.datastructures import State
from sqlalchemy import text

from infra.http.errors import error_body


class HealthController(Controller):
    path = "/health"
    tags = ["health"]  # noqa: RUF012

    @get("/live", summary="The process is up", exclude_from_auth=True)
    async def live(self) -> dict[str, str]:
        return {"status": "ok"}

    @get(
        "/ready", summary="The database (and Redis, when configured) answer", exclude_from_auth=True
    )
    async def ready(self, state: State) -> Response[dict[str, Any]]:
        checks: dict[str, str] = {}
        try:
            async with state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:  # any driver error means "not ready"
            checks["database"] = f"unavailable: {type(exc).__name__}"
        redis = state.get("redis")
        if redis is not None:
            try:
                await redis.ping()
                checks["redis"] = "ok"
            except Exception as exc:
                checks["redis"] = f"unavailable: {type(exc).__name__}"
        if all(value == "ok" for value in checks.values()):
            return Response({"status": "ok", "checks": checks})
        body = error_body("not_ready", "A required service does not answer.", checks)
        return Response(body, status_code=503)
