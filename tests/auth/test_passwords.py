"""Password policy and the production hashing parameters."""

from __future__ import annotations

import pytest
from argon2 import Type

from infra.auth import passwords


def test_production_hasher_is_argon2id_at_rfc9106_strength():
    assert passwords.PARAMETERS.type is Type.ID
    assert passwords.PARAMETERS.memory_cost >= 65536
    assert passwords.PARAMETERS.time_cost >= 3


def test_short_passwords_are_refused_with_a_clear_sentence():
    from infra.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="at least 10 characters"):
        passwords.check_password_policy("123456789")
    passwords.check_password_policy("1234567890")
