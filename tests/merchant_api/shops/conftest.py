"""Shared helpers for the shop detail tests (the `world` and `caller` fixtures come from
tests/merchant_api/conftest.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support.passwords import use_cheap_hashing

TAIPEI = ZoneInfo("Asia/Taipei")


@pytest.fixture
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts made through the API hash their password; production Argon2 is slow here."""
    use_cheap_hashing(monkeypatch)


def taipei_today() -> date:
    return datetime.now(TAIPEI).date()


def days_from_today(days: int) -> date:
    return taipei_today() + timedelta(days=days)


def problem_keys(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [problem["key"] for problem in response.json()["error"]["details"]["problems"]]


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    return response.json()["error"]["code"]
