"""Signing in with e-mail and password: cookies, the same answer for every wrong guess,
lock-out, per-IP rate limits, and password rehashing."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from litestar.testing import TestClient

from infra.auth.models import Account
from infra.auth.passwords import needs_rehash
from infra.bootstrap.asgi import create_app
from infra.db import utcnow
from tests.auth.conftest import PASSWORD, error_code, with_auth


def test_login_sets_a_safe_cookie_and_returns_the_csrf_token(client, make_account, settings):
    account_id = make_account(email="Ana@Example.TW")
    response = client.post(
        "/api/auth/login", json={"email": "ana@example.tw", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["account"]["account_id"] == str(account_id)
    assert body["account"]["email"] == "ana@example.tw"  # stored lower-cased
    assert body["account"]["role"] == "merchant"
    assert "catalog:write" in body["account"]["scopes"]
    assert body["csrf_token"]
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{settings.auth.session_cookie_name}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Secure" not in cookie

    me = client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["account_id"] == str(account_id)
    assert me.json()["via"] == "session"
    assert me.json()["csrf_token"]


def test_production_cookie_is_secure(settings, make_account):
    make_account()
    with TestClient(create_app(with_auth(settings, session_cookie_secure=True))) as client:
        response = client.post(
            "/api/auth/login", json={"email": "ana@example.tw", "password": PASSWORD}
        )
    assert "Secure" in response.headers["set-cookie"]


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_account):
    make_account()
    wrong = client.post("/api/auth/login", json={"email": "ana@example.tw", "password": "x" * 12})
    unknown = client.post(
        "/api/auth/login", json={"email": "nobody@example.tw", "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert error_code(wrong) == "invalid_credentials"
    assert "set-cookie" not in wrong.headers
    assert client.get("/api/auth/me").status_code == 401


def test_disabled_account_cannot_sign_in(client, make_account, db):
    account_id = make_account()

    async def disable(session):  # type: ignore[no-untyped-def]
        await session.execute(
            sa.update(Account).where(Account.id == account_id).values(is_active=False)
        )

    db(disable)
    response = client.post(
        "/api/auth/login", json={"email": "ana@example.tw", "password": PASSWORD}
    )
    assert error_code(response) == "invalid_credentials"


def test_login_records_the_time(client, make_account, sign_in, db):
    account_id = make_account()
    sign_in()
    account = db(lambda session: session.get(Account, account_id))
    assert account.last_login_at is not None
    assert utcnow() - account.last_login_at < timedelta(minutes=1)


def test_account_locks_after_repeated_failures_and_unlocks_later(settings, make_account, db):
    account_id = make_account()
    settings = with_auth(settings, login_max_failures=3, login_lockout_minutes=5)
    wrong = {"email": "ana@example.tw", "password": "not the password"}
    right = {"email": "ana@example.tw", "password": PASSWORD}
    with TestClient(create_app(settings)) as client:
        for _ in range(2):
            assert error_code(client.post("/api/auth/login", json=wrong)) == "invalid_credentials"
        locked = client.post("/api/auth/login", json=wrong)
        assert locked.status_code == 423
        assert error_code(locked) == "account_locked"
        assert 240 < int(locked.headers["retry-after"]) <= 300

        # Even the right password is refused while the lock lasts.
        still = client.post("/api/auth/login", json=right)
        assert still.status_code == 423
        assert "retry-after" in still.headers

        async def lock_ran_out(session):  # type: ignore[no-untyped-def]
            await session.execute(
                sa.update(Account)
                .where(Account.id == account_id)
                .values(locked_until=utcnow() - timedelta(seconds=1))
            )

        db(lock_ran_out)
        assert client.post("/api/auth/login", json=right).status_code == 200


def test_successful_login_resets_the_failure_count(settings, make_account):
    make_account()
    settings = with_auth(settings, login_max_failures=3)
    wrong = {"email": "ana@example.tw", "password": "not the password"}
    right = {"email": "ana@example.tw", "password": PASSWORD}
    with TestClient(create_app(settings)) as client:
        for _ in range(2):
            client.post("/api/auth/login", json=wrong)
        assert client.post("/api/auth/login", json=right).status_code == 200
        for _ in range(2):
            assert client.post("/api/auth/login", json=wrong).status_code == 401


def test_unknown_emails_never_lock_anything(settings):
    settings = with_auth(settings, login_max_failures=2)
    with TestClient(create_app(settings)) as client:
        for _ in range(4):
            response = client.post(
                "/api/auth/login", json={"email": "ghost@example.tw", "password": PASSWORD}
            )
            assert error_code(response) == "invalid_credentials"


def test_too_many_attempts_from_one_ip_are_rate_limited(settings, make_account):
    make_account()
    settings = with_auth(settings, login_ip_max_attempts_per_minute=3)
    attempt = {"email": "ana@example.tw", "password": "wrong password!"}
    with TestClient(create_app(settings)) as client:
        for _ in range(3):
            assert client.post("/api/auth/login", json=attempt).status_code == 401
        limited = client.post("/api/auth/login", json={**attempt, "password": PASSWORD})
    assert limited.status_code == 429
    assert error_code(limited) == "rate_limited"
    assert 0 < int(limited.headers["retry-after"]) <= 60


def test_form_post_signs_in_and_redirects_to_a_local_page(client, make_account):
    make_account()
    response = client.post(
        "/api/auth/login",
        data={"email": "ana@example.tw", "password": PASSWORD, "next": "/shops/mine"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/shops/mine"
    assert client.get("/api/auth/me").status_code == 200


def test_form_post_never_redirects_off_site(client, make_account):
    make_account()
    response = client.post(
        "/api/auth/login",
        data={"email": "ana@example.tw", "password": PASSWORD, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_malformed_json_is_400(client):
    response = client.post(
        "/api/auth/login",
        content=b'{"email": "ana@example.tw", "password": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert error_code(response) == "malformed_json"


def test_missing_fields_are_422(client):
    response = client.post("/api/auth/login", json={"email": "ana@example.tw"})
    assert response.status_code == 422
    assert error_code(response) == "validation_failed"


def test_sign_in_posted_from_another_site_is_refused(client, make_account):
    make_account()
    response = client.post(
        "/api/auth/login",
        json={"email": "ana@example.tw", "password": PASSWORD},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert error_code(response) == "csrf_failed"


def test_old_hash_parameters_are_upgraded_at_sign_in(client, make_account, db, sign_in):
    account_id = make_account()
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)

    async def downgrade_hash(session):  # type: ignore[no-untyped-def]
        await session.execute(
            sa.update(Account).where(Account.id == account_id).values(password_hash=weak)
        )

    db(downgrade_hash)
    assert needs_rehash(weak)
    sign_in()
    account = db(lambda session: session.get(Account, account_id))
    assert account.password_hash != weak
    assert not needs_rehash(account.password_hash)
    assert PasswordHasher().verify(account.password_hash, PASSWORD)


def test_passwords_are_stored_as_argon2_hashes(make_account, db):
    account_id = make_account()
    account = db(lambda session: session.get(Account, account_id))
    assert account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash


def test_logs_name_the_account_and_never_the_password(settings, make_account, capsys):
    account_id = make_account()
    # The app is made here so its logger writes to the stream capsys captures.
    with TestClient(create_app(settings)) as client:
        client.post("/api/auth/login", json={"email": "ana@example.tw", "password": "Sekrit-1x"})
    logged = capsys.readouterr().err
    assert "login_failed" in logged
    assert str(account_id) in logged
    assert "Sekrit-1x" not in logged
