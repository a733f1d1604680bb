"""The bearer-token principal cache: how long a resolved token may be trusted without a look-up.

Pure and fast (no database): the end-to-end behaviour (a token revoked through the API stops
at once) is in test_api_tokens.py.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from infra.auth.principal import Principal
from infra.auth.principal_cache import PrincipalCache
from infra.auth.roles import Role, scopes_for
from infra.db import utcnow


def _principal() -> Principal:
    return Principal(
        uuid.uuid4(), Role.consumer, scopes_for(Role.consumer), "token", None, uuid.uuid4()
    )


def test_an_entry_lives_no_longer_than_the_ttl_or_the_token() -> None:
    cache = PrincipalCache(ttl_seconds=0.0)
    cache.put("a", _principal(), None)
    assert cache.get("a") is None  # a zero TTL remembers nothing

    cache = PrincipalCache(ttl_seconds=60.0)
    who = _principal()
    cache.put("a", who, None)
    assert cache.get("a") is who
    cache.put("expired", who, utcnow() - timedelta(seconds=1))
    assert cache.get("expired") is None  # never past the token's own expiry


def test_revocation_forgets_the_token_and_the_size_is_bounded() -> None:
    cache = PrincipalCache(ttl_seconds=60.0, max_entries=2)
    first, second, third = _principal(), _principal(), _principal()
    cache.put("1", first, None)
    cache.put("2", second, None)
    cache.forget_credential(second.credential_id)
    assert cache.get("2") is None
    cache.put("2", second, None)
    cache.put("3", third, None)  # full: the oldest entry makes room
    assert cache.get("1") is None
    assert (cache.get("2"), cache.get("3")) == (second, third)
