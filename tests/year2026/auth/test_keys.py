"""Signing keys: generated once into the data folder, or taken from the environment; rotation."""

from __future__ import annotations

import json
import stat
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from joserfc.jwk import ECKey, RSAKey

from year2026.auth.errors import InvalidAccessToken
from year2026.auth.keys import (
    PUBLIC_MEMBERS,
    RETIRE_AFTER,
    SigningKeysError,
    key_file_path,
    load_signing_keys,
    rotate_signing_keys,
)
from year2026.auth.tokens import issue_access_token, verify_access_token
from year2026.settings import Settings, load_settings

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PERSON = uuid.UUID("6f1c1f3e-2b7a-4c39-9d55-0b8f4d1e2a10")


def make_settings(data_dir: Path, **environment: str) -> Settings:
    return load_settings({"YEAR2026_DATA_DIR": str(data_dir), **environment})


def private_jwk(kid: str, curve: str = "P-256") -> dict[str, object]:
    return dict(ECKey.generate_key(curve, parameters={"kid": kid}).as_dict(private=True))


def jwks_text(*keys: dict[str, object]) -> str:
    return json.dumps({"keys": list(keys)})


def stored_members(data_dir: Path) -> list[dict[str, object]]:
    document = json.loads(key_file_path(make_settings(data_dir)).read_text(encoding="utf-8"))
    members: list[dict[str, object]] = document["keys"]
    return members


def test_load_signing_keys_first_run_generates_one_key(tmp_path: Path) -> None:
    first = load_signing_keys(make_settings(tmp_path))
    again = load_signing_keys(make_settings(tmp_path))

    assert len(first.public_jwks()["keys"]) == 1
    assert again.signing_kid == first.signing_kid
    assert again.public_jwks() == first.public_jwks()


def test_load_signing_keys_key_file_is_private(tmp_path: Path) -> None:
    load_signing_keys(make_settings(tmp_path))
    path = key_file_path(make_settings(tmp_path))

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert sorted(item.name for item in path.parent.iterdir()) == ["jwks.json"]  # no temp left


def race_first_loads(data_dir: Path, racers: int) -> list[str]:
    """The signing kids seen by `racers` threads that load the keys at the same moment."""
    starting_line = threading.Barrier(racers)
    kids: list[str] = []

    def start_process() -> None:
        starting_line.wait()
        kids.append(load_signing_keys(make_settings(data_dir)).signing_kid)

    threads = [threading.Thread(target=start_process) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return kids


def test_load_signing_keys_concurrent_first_runs_agree(tmp_path: Path) -> None:
    # Negative control (tried by swapping os.link for a copy + os.replace, which overwrites): every
    # thread finds no file and writes its own key, and the threads end up with different kids.
    for attempt in range(5):
        data_dir = tmp_path / f"attempt-{attempt}"

        kids = race_first_loads(data_dir, racers=8)

        assert len(kids) == 8
        assert set(kids) == {load_signing_keys(make_settings(data_dir)).signing_kid}
        assert len(stored_members(data_dir)) == 1


def test_load_signing_keys_environment_is_used(tmp_path: Path) -> None:
    environment = jwks_text(private_jwk("prod-2026-03"), private_jwk("prod-2026-01"))

    keys = load_signing_keys(make_settings(tmp_path, YEAR2026_JWT_KEYS=environment))

    assert keys.signing_kid == "prod-2026-03"
    assert [key["kid"] for key in keys.public_jwks()["keys"]] == ["prod-2026-03", "prod-2026-01"]
    assert list(tmp_path.iterdir()) == []  # nothing generated when the environment has keys


def test_load_signing_keys_environment_public_retired_key_is_published(tmp_path: Path) -> None:
    retired = ECKey.generate_key("P-256", parameters={"kid": "old"}, private=False)
    environment = jwks_text(private_jwk("new"), dict(retired.as_dict()))

    keys = load_signing_keys(make_settings(tmp_path, YEAR2026_JWT_KEYS=environment))

    assert [key["kid"] for key in keys.public_jwks()["keys"]] == ["new", "old"]


def _public_only(kid: str) -> dict[str, object]:
    return {**ECKey.generate_key("P-256", parameters={"kid": kid}).as_dict()}


def _rsa(kid: str) -> dict[str, object]:
    return dict(RSAKey.generate_key(2048, parameters={"kid": kid}).as_dict(private=True))


def _with(member: dict[str, object], **changes: object) -> dict[str, object]:
    return {**member, **changes}


def _without_kid() -> dict[str, object]:
    member = private_jwk("dropped")
    del member["kid"]
    return member


def _mismatched_private_part() -> dict[str, object]:
    return _with(private_jwk("a"), d=private_jwk("b")["d"])


@pytest.mark.parametrize(
    "environment",
    [
        pytest.param("{not json", id="malformed-json"),
        pytest.param("[]", id="not-a-jwks"),
        pytest.param(jwks_text(), id="no-keys"),
        pytest.param(jwks_text(_public_only("signer")), id="public-only-signer"),
        pytest.param(jwks_text(_rsa("rsa")), id="rsa"),
        pytest.param(jwks_text(private_jwk("p384", curve="P-384")), id="p-384"),
        pytest.param(jwks_text(private_jwk("same"), private_jwk("same")), id="duplicate-kids"),
        pytest.param(jwks_text(_without_kid()), id="no-kid"),
        pytest.param(jwks_text(_with(private_jwk("hs"), alg="HS256")), id="other-alg"),
        pytest.param(jwks_text(_with(private_jwk("enc"), use="enc")), id="encryption-use"),
        pytest.param(jwks_text(_mismatched_private_part()), id="mismatched-d"),
    ],
)
def test_load_signing_keys_bad_environment_is_refused(tmp_path: Path, environment: str) -> None:
    with pytest.raises(SigningKeysError) as refused:
        load_signing_keys(make_settings(tmp_path, YEAR2026_JWT_KEYS=environment))

    assert type(refused.value) is SigningKeysError
    assert '"d": "' not in str(refused.value)  # private material never reaches the message


def test_public_jwks_has_only_public_members(tmp_path: Path) -> None:
    rotate_signing_keys(make_settings(tmp_path), NOW)  # a retired key carries x-retire-after

    published = load_signing_keys(make_settings(tmp_path)).public_jwks()

    assert [RETIRE_AFTER in member for member in stored_members(tmp_path)] == [False, True]
    assert [sorted(member) for member in published["keys"]] == [sorted(PUBLIC_MEMBERS)] * 2
    assert [(member["alg"], member["use"]) for member in published["keys"]] == [
        ("ES256", "sig")
    ] * 2


def test_rotate_signing_keys_new_key_signs_and_old_is_published(tmp_path: Path) -> None:
    old_kid = load_signing_keys(make_settings(tmp_path)).signing_kid

    new_kid = rotate_signing_keys(make_settings(tmp_path), NOW)
    keys = load_signing_keys(make_settings(tmp_path))

    assert keys.signing_kid == new_kid
    assert [key["kid"] for key in keys.public_jwks()["keys"]] == [new_kid, old_kid]
    retire_after = NOW + timedelta(minutes=15 + 1)
    assert [member.get(RETIRE_AFTER) for member in stored_members(tmp_path)] == [
        None,
        int(retire_after.timestamp()),
    ]


def test_rotate_signing_keys_old_token_verifies_until_key_retires(tmp_path: Path) -> None:
    before = load_signing_keys(make_settings(tmp_path))
    issued_at = NOW - timedelta(minutes=1)
    old_token, old_claims = issue_access_token(
        before, make_settings(tmp_path), PERSON, ["participant"], issued_at
    )

    rotate_signing_keys(make_settings(tmp_path), NOW)
    after_rotation = load_signing_keys(make_settings(tmp_path))

    assert verify_access_token(after_rotation, make_settings(tmp_path), old_token, NOW) == (
        old_claims
    )

    # Past the old key's retire-after, the next rotation drops it.
    rotate_signing_keys(make_settings(tmp_path), NOW + timedelta(minutes=17))
    after_retirement = load_signing_keys(make_settings(tmp_path))

    assert before.signing_kid not in [key["kid"] for key in after_retirement.public_jwks()["keys"]]
    assert len(after_retirement.public_jwks()["keys"]) == 2
    with pytest.raises(InvalidAccessToken) as refused:
        # verified at its issue time, so the refusal is the missing key's, not the expiry's
        verify_access_token(after_retirement, make_settings(tmp_path), old_token, issued_at)
    assert type(refused.value) is InvalidAccessToken
    assert refused.value.reason == "unknown-key"


def test_rotate_signing_keys_before_retire_after_keeps_the_old_key(tmp_path: Path) -> None:
    first_kid = load_signing_keys(make_settings(tmp_path)).signing_kid
    second_kid = rotate_signing_keys(make_settings(tmp_path), NOW)

    third_kid = rotate_signing_keys(make_settings(tmp_path), NOW + timedelta(minutes=10))
    keys = load_signing_keys(make_settings(tmp_path))

    assert [key["kid"] for key in keys.public_jwks()["keys"]] == [third_kid, second_kid, first_kid]


def test_rotate_signing_keys_concurrent_rotations_lose_no_key(tmp_path: Path) -> None:
    load_signing_keys(make_settings(tmp_path))
    starting_line = threading.Barrier(4)
    new_kids: list[str] = []

    def rotate() -> None:
        starting_line.wait()
        new_kids.append(rotate_signing_keys(make_settings(tmp_path), NOW))

    threads = [threading.Thread(target=rotate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    keys = load_signing_keys(make_settings(tmp_path))
    published = {key["kid"] for key in keys.public_jwks()["keys"]}
    assert len(new_kids) == 4
    assert len(published) == 5
    assert set(new_kids) <= published


def test_rotate_signing_keys_environment_keys_are_refused(tmp_path: Path) -> None:
    environment = jwks_text(private_jwk("prod"))

    with pytest.raises(SigningKeysError) as refused:
        rotate_signing_keys(make_settings(tmp_path, YEAR2026_JWT_KEYS=environment), NOW)

    assert type(refused.value) is SigningKeysError
    assert list(tmp_path.iterdir()) == []
