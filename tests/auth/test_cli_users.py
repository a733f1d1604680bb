"""`onestreet users create`: accounts from the command line, with one-sentence failures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.auth.conftest import PASSWORD


def onestreet(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONESTREET_")}
    env["ONESTREET_DATABASE_URL"] = database_url
    env["ONESTREET_APP__LOG_LEVEL"] = "WARNING"
    return subprocess.run(
        [sys.executable, "-m", "infra.bootstrap.cli", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,  # no terminal: nobody can be asked for a password
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_create_with_a_password_then_sign_in(database_url, tmp_path, client):
    result = onestreet(
        "users", "create", "--email", "Admin@Example.TW", "--role", "platform_admin",
        "--name", "Street Admin", "--password", PASSWORD,
        database_url=database_url, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Created platform_admin account admin@example.tw" in result.stdout
    login = client.post("/api/auth/login", json={"email": "admin@example.tw", "password": PASSWORD})
    assert login.status_code == 200
    assert login.json()["account"]["role"] == "platform_admin"


def test_without_a_terminal_a_password_is_generated_and_printed_once(
    database_url, tmp_path, client
):
    result = onestreet(
        "users", "create", "--email", "c@example.tw", "--role", "consultant", "--name", "Chen",
        database_url=database_url, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("Generated password"))
    password = line.split(": ", 1)[1].strip()
    assert len(password) >= 10
    login = client.post("/api/auth/login", json={"email": "c@example.tw", "password": password})
    assert login.status_code == 200


def test_duplicate_email_fails_with_one_sentence(database_url, tmp_path):
    args = ("users", "create", "--email", "dup@example.tw", "--role", "merchant", "--name", "D")
    first = onestreet(*args, "--password", PASSWORD, database_url=database_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = onestreet(*args, "--password", PASSWORD, database_url=database_url, cwd=tmp_path)
    assert again.returncode != 0
    assert "dup@example.tw already exists" in again.stderr
    assert "Traceback" not in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1


def test_bad_role_and_short_password_fail_clearly(database_url, tmp_path):
    bad_role = onestreet(
        "users", "create", "--email", "x@example.tw", "--role", "mayor", "--name", "X",
        "--password", PASSWORD, database_url=database_url, cwd=tmp_path,
    )  # fmt: skip
    assert bad_role.returncode != 0
    assert "'mayor' is not one of" in bad_role.stderr
    assert "Traceback" not in bad_role.stderr
    short = onestreet(
        "users", "create", "--email", "x@example.tw", "--role", "merchant", "--name", "X",
        "--password", "short", database_url=database_url, cwd=tmp_path,
    )  # fmt: skip
    assert short.returncode != 0
    assert "at least 10 characters" in short.stderr
    assert "Traceback" not in short.stderr
