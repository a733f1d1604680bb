"""Settings come from ONESTREET_* variables and .env; bad settings and an unreachable
database stop the `onestreet` command with one clear sentence and a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.settings import SettingsError, load_settings
from tests.support.cli import onestreet


def test_defaults_are_the_embedded_mode(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in [k for k in os.environ if k.startswith("ONESTREET_")]:
        monkeypatch.delenv(name)
    settings = load_settings()
    assert settings.database.url == "sqlite+aiosqlite:///./var/onestreet.sqlite3"
    assert settings.celery.broker_url == ""
    assert settings.redis.url == ""
    assert settings.payments.provider == "sandbox"


def test_environment_and_dotenv_are_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("ONESTREET_APP__PORT=9001\n")
    monkeypatch.setenv("ONESTREET_DATABASE_URL", "postgresql+asyncpg://u@db:5432/onestreet")
    monkeypatch.setenv("ONESTREET_CELERY__BROKER_URL", "redis://127.0.0.1:6379/0")
    settings = load_settings()
    assert settings.app.port == 9001
    assert settings.database.url == "postgresql+asyncpg://u@db:5432/onestreet"
    assert not settings.database.is_sqlite
    assert settings.celery.broker_url == "redis://127.0.0.1:6379/0"


def test_unknown_setting_is_refused(monkeypatch):
    monkeypatch.setenv("ONESTREET_DATABSE_URL", "typo")
    with pytest.raises(SettingsError, match="Unknown setting ONESTREET_DATABSE_URL"):
        load_settings()


def test_malformed_setting_names_the_variable(monkeypatch):
    monkeypatch.setenv("ONESTREET_APP__PORT", "eighty")
    with pytest.raises(SettingsError, match="ONESTREET_APP__PORT is invalid"):
        load_settings()


def test_unsupported_database_url_is_refused(monkeypatch):
    monkeypatch.setenv("ONESTREET_DATABASE_URL", "mysql://root@localhost/test")
    with pytest.raises(SettingsError, match="ONESTREET_DATABASE_URL is invalid"):
        load_settings()


def test_cli_bad_setting_exits_with_a_sentence(tmp_path):
    result = onestreet("db", "current", cwd=tmp_path, env={"ONESTREET_APP__PORT": "eighty"})
    assert result.returncode == 2
    assert "ONESTREET_APP__PORT is invalid" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_unreachable_database_exits_with_a_sentence(tmp_path):
    result = onestreet(
        "db",
        "current",
        cwd=tmp_path,
        env={"ONESTREET_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none"},
    )
    assert result.returncode == 1
    assert "Cannot reach the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_db_upgrade_current_downgrade(tmp_path):
    env = {"ONESTREET_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"}
    upgraded = onestreet("db", "upgrade", cwd=tmp_path, env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    current = onestreet("db", "current", cwd=tmp_path, env=env)
    assert current.returncode == 0, current.stderr
    lines = dict(line.split(":", 1) for line in current.stdout.strip().splitlines())
    assert lines["current"].strip() == lines["newest"].strip() != "None"
    downgraded = onestreet("db", "downgrade", "base", cwd=tmp_path, env=env)
    assert downgraded.returncode == 0, downgraded.stderr
    assert "Database is at base" in downgraded.stdout


def test_layer_contract_holds():
    """import-linter enforces infra <- payments <- merchant_api <- recommender <- storefront."""
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_readme_documents_every_setting():
    from infra.settings_doc import settings_table

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme, "README settings table is stale: `onestreet settings`"


def test_cli_prints_the_settings_table(tmp_path):
    result = onestreet("settings", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "`ONESTREET_DATABASE__URL`" in result.stdout
