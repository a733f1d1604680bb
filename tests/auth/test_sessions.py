"""Web sessions: idle and absolute timeouts, logout, and nothing secret stored in the clear."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from infra.auth.models import WebSession
from infra.db import utcnow
from tests.auth.conftest import error_code


def _age_sessions(db, **values):  # type: ignore[no-untyped-def]
    async def update(session):  # type: ignore[no-untyped-def]
        await session.execute(sa.update(WebSession).values(**values))

    db(update)


def test_idle_session_expires(client, make_account, sign_in, db, settings):
    make_account()
    sign_in()
    idle = timedelta(minutes=settings.auth.session_idle_timeout_minutes)
    _age_sessions(db, last_seen_at=utcnow() - idle - timedelta(seconds=5))
    response = client.get("/api/auth/me")
    assert response.status_code == 401
    assert error_code(response) == "session_expired"


def test_activity_keeps_a_session_alive(client, make_account, sign_in, db, settings):
    make_account()
    sign_in()
    idle = timedelta(minutes=settings.auth.session_idle_timeout_minutes)
    _age_sessions(db, last_seen_at=utcnow() - idle + timedelta(seconds=30))
    assert client.get("/api/auth/me").status_code == 200
    seen = db(lambda session: session.scalar(sa.select(WebSession.last_seen_at)))
    assert utcnow() - seen < timedelta(minutes=1)


def test_session_expires_at_its_absolute_limit_despite_activity(
    client, make_account, sign_in, db, settings
):
    make_account()
    sign_in()
    web_session = db(lambda session: session.scalar(sa.select(WebSession)))
    lifetime = web_session.expires_at - web_session.created_at
    assert lifetime == timedelta(hours=settings.auth.session_absolute_timeout_hours)
    _age_sessions(db, expires_at=utcnow() - timedelta(seconds=1), last_seen_at=utcnow())
    response = client.get("/api/auth/me")
    assert error_code(response) == "session_expired"


def test_logout_revokes_the_session(client, make_account, sign_in, settings):
    make_account()
    login = sign_in()
    cookie = client.cookies.get(settings.auth.session_cookie_name)
    response = client.post("/api/auth/logout", headers={"x-csrf-token": login["csrf_token"]})
    assert response.status_code == 204
    assert client.get("/api/auth/me").status_code == 401
    # Replaying the old cookie does not bring the session back.
    client.cookies.set(settings.auth.session_cookie_name, cookie)
    replay = client.get("/api/auth/me")
    assert replay.status_code == 401
    assert error_code(replay) == "not_authenticated"


def test_session_token_is_stored_only_as_a_hash(client, make_account, sign_in, db, settings):
    make_account()
    login = sign_in()
    cookie = client.cookies.get(settings.auth.session_cookie_name)
    web_session = db(lambda session: session.scalar(sa.select(WebSession)))
    assert cookie and cookie not in (web_session.token_hash, web_session.csrf_secret)
    assert login["csrf_token"] != web_session.csrf_secret


def test_unknown_cookie_is_simply_anonymous(client, settings):
    client.cookies.set(settings.auth.session_cookie_name, "forged-value")
    assert client.get("/health/live").status_code == 200
    assert client.get("/").status_code == 200
    assert error_code(client.get("/api/auth/me")) == "not_authenticated"


def test_public_pages_stay_public_with_an_expired_session(client, make_account, sign_in, db):
    make_account()
    sign_in()
    _age_sessions(db, expires_at=utcnow() - timedelta(seconds=1))
    assert client.get("/").status_code == 200
    assert client.get("/health/live").status_code == 200
