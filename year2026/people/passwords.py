"""Password hashing with argon2id (argon2-cffi), off the event loop."""

from __future__ import annotations

import asyncio
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128

# RFC 9106's second recommended profile (argon2id, 64 MiB, 3 passes), argon2-cffi's default.
_hasher = PasswordHasher()


@functools.cache
def _decoy_hash() -> str:
    """A hash to verify against when the email is unknown, so both cases take the same time."""
    return _hasher.hash("decoy password that matches nothing")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; with no stored hash it still spends the same time."""
    target = stored_hash if stored_hash is not None else _decoy_hash()
    try:
        await asyncio.to_thread(_hasher.verify, target, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
