"""Argon2id password hashing.

Hashing is deliberately slow (tens of milliseconds of CPU and 64 MiB), so it runs in a worker
thread instead of stalling the event loop for every other request.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY

from infra.errors import ValidationFailed

MIN_PASSWORD_LENGTH = 10
# Long enough for any passphrase; short enough that nobody makes us hash megabytes.
MAX_PASSWORD_LENGTH = 1024

# RFC 9106's second recommended profile (argon2id, 64 MiB, 3 passes): strong, and still
# affordable on the small servers a street association rents. Raising it later is safe:
# older hashes are upgraded at their owner's next sign-in.
PARAMETERS = RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(PARAMETERS)


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Passwords must be at least {MIN_PASSWORD_LENGTH} characters long.",
            details={"field": "password", "min_length": MIN_PASSWORD_LENGTH},
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Passwords can be at most {MAX_PASSWORD_LENGTH} characters long.",
            details={"field": "password", "max_length": MAX_PASSWORD_LENGTH},
        )


async def hash_password(password: str) -> str:
    check_password_policy(password)
    return await asyncio.to_thread(_hasher.hash, password)


async def rehash_password(password: str) -> str:
    """A hash with today's parameters for a password that already verified (no policy check:
    an older, shorter password must not stop its owner from signing in)."""
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no hash (unknown e-mail, passwordless account) the same
    work is done against a dummy hash, so timing does not reveal which accounts exist."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    return await asyncio.to_thread(_verify, password_hash or _dummy_hash(), password) and (
        password_hash is not None
    )


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's (or is unreadable)."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("not a real password; only here to spend the same time")
