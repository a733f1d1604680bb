"""Argon2 at production strength costs ~0.2 s per hash here, and many tests create accounts
or sign in. These helpers swap in the same algorithm with cheap parameters; tests/auth
checks the production parameters themselves."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from infra.auth import passwords

CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def use_cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_hasher", CHEAP_HASHER)
    passwords._dummy_hash.cache_clear()
