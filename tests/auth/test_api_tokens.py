"""Bearer API tokens: made once from a session, used without CSRF, limited by scopes,
revocable, and stored only as hashes.

After making a token, tests drop the client's cookies, so later requests carry only the token,
the way a script would.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from litestar.testing import TestClient

from infra.auth.models import ApiToken
from infra.auth.roles import Role
from infra.bootstrap.asgi import create_app
from infra.db import utcnow
from tests.auth.conftest import PASSWORD, error_code


def _make_token(client, csrf: str, **body) -> dict:  # type: ignore[no-untyped-def]
    body = {"name": "till", "scopes": ["catalog:read", "tokens:read"], **body}
    response = client.post("/api/auth/tokens", json=body, headers={"x-csrf-token": csrf})
    assert response.status_code == 201, response.text
    return response.json()


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_token_is_shown_once_and_works_as_bearer(client, make_account, sign_in):
    account_id = make_account()
    created = _make_token(client, sign_in()["csrf_token"])
    token = created["token"]
    assert token.startswith("ost_")
    assert created["api_token"]["prefix"] == token[:12]
    assert created["api_token"]["scopes"] == ["catalog:read", "tokens:read"]

    client.cookies.clear()
    me = client.get("/api/auth/me", headers=_bearer(token))
    assert me.status_code == 200
    assert me.json()["account_id"] == str(account_id)
    assert me.json()["via"] == "token"
    assert me.json()["csrf_token"] is None
    assert me.json()["scopes"] == ["catalog:read", "tokens:read"]
    listed = client.get("/api/auth/tokens", headers=_bearer(token)).json()
    assert [item["id"] for item in listed] == [created["api_token"]["id"]]
    assert "token" not in listed[0]
    assert listed[0]["last_used_at"] is not None


def test_tokens_are_hashed_at_rest(client, make_account, sign_in, db):
    make_account()
    token = _make_token(client, sign_in()["csrf_token"])["token"]

    async def dump(session):  # type: ignore[no-untyped-def]
        return repr((await session.execute(sa.text("SELECT * FROM api_tokens"))).all())

    stored = db(dump)
    assert token not in stored
    assert token[len("ost_") :] not in stored


def test_missing_scope_is_denied(client, make_account, sign_in):
    make_account()
    token = _make_token(client, sign_in()["csrf_token"], scopes=["catalog:read"])["token"]
    client.cookies.clear()
    response = client.get("/api/auth/tokens", headers=_bearer(token))
    assert response.status_code == 403
    assert error_code(response) == "permission_denied"


def test_bearer_requests_need_no_csrf_and_can_revoke(client, make_account, sign_in):
    make_account()
    csrf = sign_in()["csrf_token"]
    created = _make_token(client, csrf, scopes=["tokens:read", "tokens:write"])
    token, token_id = created["token"], created["api_token"]["id"]
    session_cookies = dict(client.cookies)

    client.cookies.clear()
    revoked = client.delete(f"/api/auth/tokens/{token_id}", headers=_bearer(token))
    assert revoked.status_code == 204
    after = client.get("/api/auth/me", headers=_bearer(token))
    assert after.status_code == 401
    assert error_code(after) == "not_authenticated"
    assert "revoked" in after.json()["error"]["message"]

    client.cookies.update(session_cookies)
    assert client.get("/api/auth/tokens").json()[0]["revoked_at"] is not None


def test_session_user_revokes_with_csrf(client, make_account, sign_in):
    make_account()
    csrf = sign_in()["csrf_token"]
    token_id = _make_token(client, csrf)["api_token"]["id"]
    assert error_code(client.delete(f"/api/auth/tokens/{token_id}")) == "csrf_failed"
    response = client.delete(f"/api/auth/tokens/{token_id}", headers={"x-csrf-token": csrf})
    assert response.status_code == 204


def test_nobody_revokes_another_accounts_token(client, settings, make_account, sign_in):
    make_account()
    token_id = _make_token(client, sign_in()["csrf_token"])["api_token"]["id"]
    make_account(email="bo@example.tw", name="Bo")
    with TestClient(create_app(settings)) as bo:
        login = bo.post("/api/auth/login", json={"email": "bo@example.tw", "password": PASSWORD})
        csrf = login.json()["csrf_token"]
        response = bo.delete(f"/api/auth/tokens/{token_id}", headers={"x-csrf-token": csrf})
        assert response.status_code == 404
        assert bo.get("/api/auth/tokens").json() == []
    assert client.get("/api/auth/tokens").json()[0]["revoked_at"] is None


def test_a_token_cannot_mint_tokens(client, make_account, sign_in):
    make_account()
    token = _make_token(client, sign_in()["csrf_token"])["token"]
    client.cookies.clear()
    response = client.post(
        "/api/auth/tokens",
        json={"name": "child", "scopes": ["catalog:read"]},
        headers=_bearer(token),
    )
    assert response.status_code == 403
    assert error_code(response) == "permission_denied"


def test_scopes_must_be_known_and_within_the_role(client, make_account, sign_in):
    make_account(role=Role.consumer)
    csrf = sign_in()["csrf_token"]
    for scopes in (["catalog:write"], ["no:such"], []):
        response = client.post(
            "/api/auth/tokens",
            json={"name": "x", "scopes": scopes},
            headers={"x-csrf-token": csrf},
        )
        assert response.status_code == 422, scopes
        assert error_code(response) == "validation_failed"


def test_expired_tokens_stop_working(client, make_account, sign_in, db):
    make_account()
    csrf = sign_in()["csrf_token"]
    past = client.post(
        "/api/auth/tokens",
        json={"name": "x", "scopes": ["catalog:read"], "expires_at": "2020-01-01T00:00:00Z"},
        headers={"x-csrf-token": csrf},
    )
    assert error_code(past) == "validation_failed"
    naive = client.post(
        "/api/auth/tokens",
        json={"name": "x", "scopes": ["catalog:read"], "expires_at": "2030-01-01T00:00:00"},
        headers={"x-csrf-token": csrf},
    )
    assert naive.status_code == 422  # a time without an offset is ambiguous
    soon = (utcnow() + timedelta(days=1)).isoformat()
    token = _make_token(client, csrf, expires_at=soon)["token"]

    async def expire(session):  # type: ignore[no-untyped-def]
        past = utcnow() - timedelta(seconds=1)
        await session.execute(sa.update(ApiToken).values(expires_at=past))

    db(expire)
    client.cookies.clear()
    assert client.get("/api/auth/me", headers=_bearer(token)).status_code == 401


def test_unknown_bearer_token_is_401_but_public_pages_stay_open(client):
    response = client.get("/api/auth/me", headers=_bearer("ost_made-up"))
    assert response.status_code == 401
    assert client.get("/health/live", headers=_bearer("ost_made-up")).status_code == 200


def test_listing_tokens_needs_authentication(client):
    response = client.get("/api/auth/tokens")
    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"
