"""The app answers probes and turns every failure into a clear JSON error with a code."""

from __future__ import annotations


def test_liveness_and_readiness(client, backend):
    assert client.get("/health/live").json() == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    checks = ready.json()["checks"]
    assert checks["database"] == "ok"
    if backend == "postgres":
        assert checks["redis"] == "ok"


def test_readiness_reports_unreachable_database(settings, tmp_path):
    from litestar.testing import TestClient

    from infra.bootstrap.asgi import create_app
    from infra.settings import DatabaseSettings

    broken = settings.model_copy(
        update={"database": DatabaseSettings(url="postgresql+asyncpg://nobody@127.0.0.1:1/none")}
    )
    with TestClient(create_app(broken)) as client:
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "not_ready"
    assert "unavailable" in response.json()["error"]["details"]["database"]


def test_unknown_route_is_json_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_wrong_method_is_json_405(client):
    response = client.delete("/health/live")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_every_response_has_request_id_and_security_headers(client):
    response = client.get("/health/live", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_openapi_schema_and_viewer(client):
    spec = client.get("/schema/openapi.json")
    assert spec.status_code == 200
    assert spec.json()["info"]["title"] == "OneStreet API"
    assert "/health/ready" in spec.json()["paths"]
    viewer = client.get("/schema")
    assert viewer.status_code == 200
    assert "/static/openapi/swagger-ui-bundle.js" in viewer.text
    assert client.get("/static/openapi/swagger-ui-bundle.js").status_code == 200


def test_large_responses_are_compressed(client):
    response = client.get("/schema/openapi.json", headers={"accept-encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"


def test_logs_are_json_lines_with_the_request_id(settings, capfd):
    import json

    from litestar.testing import TestClient

    from infra.bootstrap.asgi import create_app

    json_settings = settings.model_copy(
        update={"app": settings.app.model_copy(update={"log_json": True, "log_level": "INFO"})}
    )
    with TestClient(create_app(json_settings)) as client:
        client.get("/health/live", headers={"x-request-id": "trace-42"})
    lines = [
        json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")
    ]
    request_lines = [line for line in lines if line.get("event") == "request"]
    assert any(
        line["request_id"] == "trace-42"
        and line["path"] == "/health/live"
        and line["status"] == 200
        for line in request_lines
    )
