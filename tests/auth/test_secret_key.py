"""The secret key: configured in production, generated once and kept elsewhere."""

from __future__ import annotations

import stat

import pytest

from infra.auth.secret_key import ensure_secret_key
from infra.settings import AppSettings, AuthSettings, Settings, SettingsError


def _settings(tmp_path, environment: str, key: str = "") -> Settings:  # type: ignore[no-untyped-def]
    return Settings(
        app=AppSettings(environment=environment, data_dir=tmp_path / "data"),
        auth=AuthSettings(secret_key=key),
    )


def test_configured_key_is_used_as_is(tmp_path):
    settings = ensure_secret_key(_settings(tmp_path, "production", key="k" * 48))
    assert settings.auth.secret_key == "k" * 48
    assert not (tmp_path / "data" / "secret_key").exists()


def test_empty_key_is_generated_once_kept_private_and_reused(tmp_path):
    first = ensure_secret_key(_settings(tmp_path, "embedded")).auth.secret_key
    path = tmp_path / "data" / "secret_key"
    assert len(first) >= 48
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ensure_secret_key(_settings(tmp_path, "development")).auth.secret_key == first
    assert list((tmp_path / "data").iterdir()) == [path]  # no temporary files left behind


def test_production_refuses_an_empty_key(tmp_path):
    with pytest.raises(SettingsError, match="ONESTREET_AUTH__SECRET_KEY must be set in production"):
        ensure_secret_key(_settings(tmp_path, "production"))


def test_sessions_survive_a_restart_with_the_generated_key(settings, make_account, tmp_path):
    from litestar.testing import TestClient

    from infra.bootstrap.asgi import create_app
    from tests.auth.conftest import PASSWORD, with_auth

    make_account()
    keyless = with_auth(settings, secret_key="")
    with TestClient(create_app(keyless)) as first:
        first.post("/api/auth/login", json={"email": "ana@example.tw", "password": PASSWORD})
        cookies = dict(first.cookies)
    with TestClient(create_app(keyless), cookies=cookies) as second:
        assert second.get("/api/auth/me").status_code == 200
