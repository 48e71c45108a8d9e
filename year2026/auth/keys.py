"""Signing keys for access tokens: EC P-256 JWKs from the environment or the data folder.

The first key of the set signs; the others are retired keys, still published so that tokens they
signed verify until those expire. Production passes the set in `YEAR2026_JWT_KEYS`; the embedded
default generates one into `<data dir>/keys/jwks.json` on first use.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from joserfc.errors import JoseError
from joserfc.jwk import DictKey, ECKey, Key, KeySet

from year2026.settings import PREFIX, Settings

SIGNING_ALGORITHM = "ES256"
CURVE = "P-256"
#: private member of a stored key: unix seconds after which a retired key may be dropped
RETIRE_AFTER = "x-retire-after"
#: everything a verifier needs, and nothing more: `d` and our `x-` members never leave
PUBLIC_MEMBERS = ("kty", "crv", "x", "y", "kid", "alg", "use")
_KEY_MEMBERS = frozenset({*PUBLIC_MEMBERS, "d"})
#: kept beyond the last token's expiry, so that verification leeway never meets a dropped key
_RETIREMENT_MARGIN = timedelta(minutes=1)
_ENVIRONMENT_SOURCE = f"{PREFIX}JWT_KEYS"


class SigningKeysError(Exception):
    """The configured or stored signing keys cannot be used (or rotated)."""


@dataclasses.dataclass(frozen=True)
class _StoredKey:
    key: ECKey
    retire_after: int | None = None

    def as_stored(self) -> dict[str, object]:
        member: dict[str, object] = dict(self.key.as_dict(private=self.key.is_private))
        if self.retire_after is not None:
            member[RETIRE_AFTER] = self.retire_after
        return member


@dataclasses.dataclass(frozen=True)
class SigningKeys:
    """The key that signs new access tokens, and every key whose tokens may still be presented."""

    signing_key: ECKey
    #: public parts only: verification never needs (so never holds) a private key
    verification_keys: KeySet

    @property
    def signing_kid(self) -> str:
        return _text_member(self.signing_key, "kid")

    def public_jwks(self) -> dict[str, list[dict[str, str]]]:
        """The document served at `/.well-known/jwks.json`."""
        return {"keys": [_public_members(key) for key in self.verification_keys]}


def load_signing_keys(settings: Settings) -> SigningKeys:
    """The keys from `YEAR2026_JWT_KEYS`, or from the key file (generated on first use)."""
    if settings.jwt_keys:
        stored = _parse_jwks(settings.jwt_keys, _ENVIRONMENT_SOURCE)
    else:
        stored = _read_or_create(key_file_path(settings))
    return _signing_keys(stored)


def rotate_signing_keys(settings: Settings, now: datetime) -> str:
    """Put a new signing key first in the key file and return its kid.

    The previous signer stays published until its last token has expired (plus a minute); retired
    keys whose time has passed are dropped. Running processes keep the keys they loaded: restart
    them so that they sign with the new key.

    Only the key file is rotated here. Operators rotate `YEAR2026_JWT_KEYS` themselves: prepend a
    new key to the JWKS, and remove the old one once an access-token lifetime (plus a minute) has
    passed.
    """
    if settings.jwt_keys:
        raise SigningKeysError(
            f"the signing keys come from {_ENVIRONMENT_SOURCE}: rotate them there by prepending a"
            " new key and removing the old one after the access-token lifetime"
        )
    now_seconds = _unix_seconds(now)
    retire_after = _unix_seconds(
        now + timedelta(minutes=settings.access_token_minutes) + _RETIREMENT_MARGIN
    )
    path = key_file_path(settings)
    with _exclusive_lock(path.parent):
        current = _read_or_create(path)
        kept: list[_StoredKey] = []
        for stored in current:
            until = retire_after if stored.retire_after is None else stored.retire_after
            if until > now_seconds:
                kept.append(dataclasses.replace(stored, retire_after=until))
        signer = _StoredKey(_generate_key())
        _replace_file(path, [signer, *kept])
    return _text_member(signer.key, "kid")


def key_file_path(settings: Settings) -> Path:
    return settings.data_path / "keys" / "jwks.json"


def _signing_keys(stored: list[_StoredKey]) -> SigningKeys:
    public: list[Key] = []
    for entry in stored:
        members: DictKey = dict(_public_members(entry.key))
        public.append(ECKey.import_key(members))
    return SigningKeys(signing_key=stored[0].key, verification_keys=KeySet(public))


def _public_members(key: Key) -> dict[str, str]:
    return {name: _text_member(key, name) for name in PUBLIC_MEMBERS}


def _text_member(key: Key, name: str) -> str:
    value = key.get(name)
    assert isinstance(value, str), f"key member {name} is set on import"
    return value


def _generate_key() -> ECKey:
    # The kid is the RFC 7638 thumbprint: stable, unique per key, and reveals nothing.
    return ECKey.generate_key(
        CURVE, parameters={"alg": SIGNING_ALGORITHM, "use": "sig"}, auto_kid=True
    )


def _unix_seconds(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("a timezone-aware datetime is required")
    return int(moment.timestamp())


# --- reading and checking a JWKS ---


def _parse_jwks(text: str, source: str) -> list[_StoredKey]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        # Only the position: the text holds private keys.
        raise SigningKeysError(f"{source} is not valid JSON (at character {error.pos})") from None
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SigningKeysError(f'{source} holds no keys: expected a JWKS, {{"keys": [...]}}')
    stored = [
        _parse_key(entry, f"{source}, key {number}") for number, entry in enumerate(entries, 1)
    ]
    kids = [_text_member(entry.key, "kid") for entry in stored]
    if len(set(kids)) != len(kids):
        raise SigningKeysError(f"{source} has keys with the same kid: each kid must be unique")
    if not stored[0].key.is_private:
        raise SigningKeysError(f"{source}: the first key signs, so it needs its private part `d`")
    return stored


def _parse_key(entry: object, where: str) -> _StoredKey:
    if not isinstance(entry, dict):
        raise SigningKeysError(f"{where} is not a JSON object")
    if entry.get("kty") != "EC" or entry.get("crv") != CURVE:
        raise SigningKeysError(f"{where}: only EC keys on curve {CURVE} ({SIGNING_ALGORITHM})")
    kid = entry.get("kid")
    if not isinstance(kid, str) or not kid:
        raise SigningKeysError(f"{where} has no kid")
    for member, expected in (("alg", SIGNING_ALGORITHM), ("use", "sig")):
        if entry.get(member, expected) != expected:
            raise SigningKeysError(f"{where} (kid {kid}): {member} must be {expected}")
    retire_after = entry.get(RETIRE_AFTER)
    # bool is an int subclass, and never a date
    if retire_after is not None and type(retire_after) is not int:
        raise SigningKeysError(f"{where} (kid {kid}): {RETIRE_AFTER} must be unix seconds")
    jwk = {name: value for name, value in entry.items() if name in _KEY_MEMBERS}
    jwk.update(alg=SIGNING_ALGORITHM, use="sig")
    try:
        key = ECKey.import_key(jwk)
    except (JoseError, ValueError, TypeError, KeyError):
        # The cause would quote key material; the kid is enough to find the culprit.
        raise SigningKeysError(f"{where} (kid {kid}) is not a valid {CURVE} key") from None
    return _StoredKey(key, retire_after)


# --- the key file ---


def _read_or_create(path: Path) -> list[_StoredKey]:
    with contextlib.suppress(FileNotFoundError):
        return _parse_jwks(path.read_text(encoding="utf-8"), str(path))
    # Whichever process creates the file, everybody then reads and uses that one.
    _create_file(path, [_StoredKey(_generate_key())])
    return _parse_jwks(path.read_text(encoding="utf-8"), str(path))


def _create_file(path: Path, keys: list[_StoredKey]) -> None:
    """Write the key file unless it exists (another process may have got there first)."""
    temporary = _write_temporary(path.parent, keys)
    try:
        # A hard link appears whole and never replaces an existing file, so exactly one of the
        # processes starting at once creates the file, and nobody reads it half-written.
        os.link(temporary, path)
    except FileExistsError:
        return
    finally:
        temporary.unlink()
    _sync_folder(path.parent)


def _replace_file(path: Path, keys: list[_StoredKey]) -> None:
    temporary = _write_temporary(path.parent, keys)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _write_temporary(folder: Path, keys: list[_StoredKey]) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkstemp creates the file with mode 0600, before any private key is written into it.
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".jwks-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump({"keys": [key.as_stored() for key in keys]}, handle, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _sync_folder(folder: Path) -> None:
    # The rename or link itself is durable only once the folder's entry is on disk.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _exclusive_lock(folder: Path) -> Iterator[None]:
    """Serialise rotations (read, change, replace) across threads and processes."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # flock, unlike a lock file created with O_EXCL, is released by the kernel when its holder
    # dies, so a crash mid-rotation leaves no stale lock behind.
    descriptor = os.open(folder / "jwks.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
