"""Fixtures for the auth tests: accounts made through the service, sign-in through the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

from infra.auth.roles import Role
from infra.auth.service import AccountService
from infra.settings import Settings
from tests.support.passwords import use_cheap_hashing

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cheap_hashing(monkeypatch)


@pytest.fixture
def make_account(db) -> Callable[..., UUID]:  # type: ignore[no-untyped-def]
    def make(
        email: str | None = "ana@example.tw",
        role: Role = Role.merchant,
        password: str | None = PASSWORD,
        name: str = "Ana",
        phone: str | None = None,
    ) -> UUID:
        async def create(session):  # type: ignore[no-untyped-def]
            account = await AccountService(session).create(
                email=email, password=password, role=role, display_name=name, phone=phone
            )
            return account.id

        return db(create)

    return make


@pytest.fixture
def sign_in(client) -> Callable[..., dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Sign `client` in; returns the login body (its csrf_token is needed for unsafe requests)."""

    def go(email: str = "ana@example.tw", password: str = PASSWORD) -> dict[str, Any]:
        response = client.post("/api/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        return response.json()

    return go


def with_auth(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(update={"auth": settings.auth.model_copy(update=changes)})


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    return response.json()["error"]["code"]
