"""Unsafe requests made with the session cookie need the session's CSRF token."""

from __future__ import annotations

from litestar.testing import TestClient

from infra.bootstrap.asgi import create_app
from tests.auth.conftest import PASSWORD, error_code

TOKEN_REQUEST = {"name": "till script", "scopes": ["catalog:read"]}


def test_cookie_request_without_csrf_token_is_refused(client, make_account, sign_in):
    make_account()
    sign_in()
    response = client.post("/api/auth/tokens", json=TOKEN_REQUEST)
    assert response.status_code == 403
    assert error_code(response) == "csrf_failed"


def test_wrong_csrf_token_is_refused(client, make_account, sign_in):
    make_account()
    login = sign_in()
    forged = login["csrf_token"][:-4] + (
        "AAAA" if not login["csrf_token"].endswith("AAAA") else "BBBB"
    )
    for token in (forged, "nonsense", ""):
        response = client.post(
            "/api/auth/tokens", json=TOKEN_REQUEST, headers={"x-csrf-token": token}
        )
        assert error_code(response) == "csrf_failed"


def test_csrf_token_from_another_session_is_refused(client, make_account, sign_in, settings):
    make_account()
    make_account(email="bo@example.tw", name="Bo")
    with TestClient(create_app(settings)) as other:
        other_login = other.post(
            "/api/auth/login", json={"email": "bo@example.tw", "password": PASSWORD}
        ).json()
    sign_in()
    response = client.post(
        "/api/auth/tokens", json=TOKEN_REQUEST, headers={"x-csrf-token": other_login["csrf_token"]}
    )
    assert error_code(response) == "csrf_failed"


def test_correct_csrf_header_is_accepted(client, make_account, sign_in):
    make_account()
    login = sign_in()
    response = client.post(
        "/api/auth/tokens", json=TOKEN_REQUEST, headers={"x-csrf-token": login["csrf_token"]}
    )
    assert response.status_code == 201


def test_every_token_from_me_and_login_is_accepted(client, make_account, sign_in):
    """Tokens are masked differently each time, but all of them stand for the same secret."""
    make_account()
    login = sign_in()
    from_me = client.get("/api/auth/me").json()["csrf_token"]
    assert from_me != login["csrf_token"]
    for token in (login["csrf_token"], from_me):
        response = client.post(
            "/api/auth/tokens", json=TOKEN_REQUEST, headers={"x-csrf-token": token}
        )
        assert response.status_code == 201


def test_form_posts_carry_the_token_in_a_field(client, make_account, sign_in):
    make_account()
    login = sign_in()
    refused = client.post("/api/auth/logout", data={"next": "/"})
    assert error_code(refused) == "csrf_failed"
    accepted = client.post("/api/auth/logout", data={"_csrf_token": login["csrf_token"]})
    assert accepted.status_code == 204
    assert client.get("/api/auth/me").status_code == 401


def test_safe_requests_need_no_token(client, make_account, sign_in):
    make_account()
    sign_in()
    assert client.get("/api/auth/tokens").status_code == 200
