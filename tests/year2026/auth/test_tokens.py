"""Access tokens: what we issue verifies here and in PyJWT; everything else is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest
from joserfc import jwt as josejwt
from joserfc.jwk import ECKey

from tests.support.http import b64url, b64url_json, json_segment
from year2026.auth.errors import InvalidAccessToken
from year2026.auth.keys import SigningKeys, load_signing_keys
from year2026.auth.sessions import TokenIssuer
from year2026.auth.tokens import (
    AUDIENCE,
    CLOCK_LEEWAY_SECONDS,
    AccessClaims,
    issue_access_token,
    verify_access_token,
)
from year2026.exceptions import NotAuthenticated
from year2026.i18n import Language
from year2026.settings import Settings, load_settings

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PERSON = uuid.UUID("6f1c1f3e-2b7a-4c39-9d55-0b8f4d1e2a10")
PUBLIC_URL = "https://year2026.example.kz"


def make_settings(data_dir: Path, public_url: str = PUBLIC_URL) -> Settings:
    return load_settings({"YEAR2026_DATA_DIR": str(data_dir), "YEAR2026_PUBLIC_URL": public_url})


def setup_keys(data_dir: Path) -> tuple[Settings, SigningKeys]:
    config = make_settings(data_dir)
    return config, load_signing_keys(config)


def standard_header(keys: SigningKeys) -> dict[str, Any]:
    return {"alg": "ES256", "kid": keys.signing_kid, "typ": "at+jwt"}


def standard_payload(moment: datetime = NOW) -> dict[str, Any]:
    seconds = int(moment.timestamp())
    return {
        "iss": PUBLIC_URL,
        "aud": AUDIENCE,
        "sub": str(PERSON),
        "iat": seconds,
        "nbf": seconds,
        "exp": seconds + 15 * 60,
        "jti": "crafted-token-id-0123456789",
        "roles": ["participant"],
        "gen": 0,
    }


def signed(keys: SigningKeys, key: ECKey | None = None, **changes: Any) -> str:
    """A token signed like ours (by our signing key unless told), with some claims changed."""
    return josejwt.encode(
        standard_header(keys),
        {**standard_payload(), **changes},
        key or keys.signing_key,
        algorithms=["ES256"],
    )


def refusal_reason(keys: SigningKeys, config: Settings, token: str, now: datetime = NOW) -> str:
    with pytest.raises(InvalidAccessToken) as refused:
        verify_access_token(keys, config, token, now)
    assert type(refused.value) is InvalidAccessToken
    return refused.value.reason


def test_issue_access_token_verifies_with_the_same_claims(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)

    token, issued = issue_access_token(
        keys, config, PERSON, ["participant", "organizer"], NOW, generation=3
    )

    assert issued == AccessClaims(
        person_id=PERSON,
        roles=("participant", "organizer"),
        generation=3,
        token_id=issued.token_id,
        issued_at=NOW,
        expires_at=NOW + timedelta(minutes=15),
    )
    assert verify_access_token(keys, config, token, NOW + timedelta(minutes=14)) == issued


def test_issue_access_token_header_follows_rfc9068(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)

    token, _ = issue_access_token(keys, config, PERSON, [], NOW)

    assert pyjwt.get_unverified_header(token) == {
        "alg": "ES256",
        "kid": keys.signing_kid,
        "typ": "at+jwt",
    }


def test_issue_access_token_ids_are_unique_and_long(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)

    ids = {issue_access_token(keys, config, PERSON, [], NOW)[1].token_id for _ in range(50)}

    assert len(ids) == 50
    assert min(len(base64.urlsafe_b64decode(f"{token_id}==")) for token_id in ids) == 16


def test_access_token_pyjwt_consumer_sees_the_same_claims(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    # PyJWT checks exp against the real clock, so this token is issued now.
    now = datetime.now(UTC)
    token, issued = issue_access_token(keys, config, PERSON, ["participant"], now)
    published = pyjwt.PyJWKSet.from_dict(json.loads(json.dumps(keys.public_jwks())))

    payload = pyjwt.decode(
        token,
        published[keys.signing_kid],
        algorithms=["ES256"],
        audience=AUDIENCE,
        issuer=PUBLIC_URL,
        options={"require": ["exp", "iat", "nbf", "sub", "jti"]},
    )

    assert payload == {
        "iss": PUBLIC_URL,
        "aud": AUDIENCE,
        "sub": str(PERSON),
        "iat": int(issued.issued_at.timestamp()),
        "nbf": int(issued.issued_at.timestamp()),
        "exp": int(issued.expires_at.timestamp()),
        "jti": issued.token_id,
        "roles": ["participant"],
        "gen": 0,
    }


def test_verify_access_token_within_leeway_is_accepted(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    token, issued = issue_access_token(keys, config, PERSON, [], NOW)
    late = issued.expires_at + timedelta(seconds=CLOCK_LEEWAY_SECONDS - 1)
    early = issued.issued_at - timedelta(seconds=CLOCK_LEEWAY_SECONDS)

    assert verify_access_token(keys, config, token, late) == issued
    assert verify_access_token(keys, config, token, early) == issued


def test_verify_access_token_expired_is_refused(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    token, issued = issue_access_token(keys, config, PERSON, [], NOW)
    past_leeway = issued.expires_at + timedelta(seconds=CLOCK_LEEWAY_SECONDS + 1)

    assert refusal_reason(keys, config, token, past_leeway) == "expired"


def test_verify_access_token_not_yet_valid_is_refused(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    token, issued = issue_access_token(keys, config, PERSON, [], NOW)
    too_early = issued.issued_at - timedelta(seconds=CLOCK_LEEWAY_SECONDS + 1)

    assert refusal_reason(keys, config, token, too_early) == "not-yet-valid"


@pytest.mark.parametrize(
    "audience",
    [
        pytest.param("other-api", id="other"),
        pytest.param([AUDIENCE, "other-api"], id="list-with-ours"),
    ],
)
def test_verify_access_token_wrong_audience_is_refused(tmp_path: Path, audience: object) -> None:
    config, keys = setup_keys(tmp_path)

    assert refusal_reason(keys, config, signed(keys, aud=audience)) == "audience"


def test_verify_access_token_crafted_like_ours_is_accepted(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)

    claims = verify_access_token(keys, config, signed(keys), NOW)

    assert (claims.person_id, claims.roles, claims.generation) == (PERSON, ("participant",), 0)


@pytest.mark.parametrize(
    "generation",
    [
        pytest.param(None, id="missing"),
        pytest.param(-1, id="negative"),
        pytest.param(1.5, id="fraction"),
        pytest.param(True, id="boolean"),
        pytest.param("2", id="text"),
    ],
)
def test_verify_access_token_without_a_whole_generation_is_refused(
    tmp_path: Path, generation: object
) -> None:
    config, keys = setup_keys(tmp_path)
    payload = {**standard_payload(), "gen": generation}
    if generation is None:
        del payload["gen"]
    token = josejwt.encode(standard_header(keys), payload, keys.signing_key, algorithms=["ES256"])

    assert refusal_reason(keys, config, token) == "claims"


def test_verify_access_token_wrong_issuer_is_refused(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    token, _ = issue_access_token(keys, config, PERSON, [], NOW)
    elsewhere = make_settings(tmp_path, public_url="https://staging.year2026.example.kz")

    assert refusal_reason(keys, elsewhere, token) == "issuer"


def test_verify_access_token_unknown_kid_is_refused(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    token = josejwt.encode(
        {**standard_header(keys), "kid": "unknown"},
        standard_payload(),
        keys.signing_key,
        algorithms=["ES256"],
    )

    assert refusal_reason(keys, config, token) == "unknown-key"


def test_verify_access_token_missing_kid_is_refused(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    header = {"alg": "ES256", "typ": "at+jwt"}  # a lone key would otherwise be taken as a match
    token = josejwt.encode(header, standard_payload(), keys.signing_key, algorithms=["ES256"])

    assert refusal_reason(keys, config, token) == "unknown-key"


def test_verify_access_token_tampered_payload_is_refused(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    token, _ = issue_access_token(keys, config, PERSON, ["participant"], NOW)
    header, payload, signature = token.split(".")
    claims = json_segment(payload)
    forged = f"{header}.{b64url_json({**claims, 'roles': ['admin']})}.{signature}"

    assert refusal_reason(keys, config, forged) == "signature"


def test_verify_access_token_alg_none_is_refused(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    header = {**standard_header(keys), "alg": "none"}
    token = f"{b64url_json(header)}.{b64url_json(standard_payload())}."

    assert refusal_reason(keys, config, token) == "algorithm"


def test_verify_access_token_hs256_with_public_key_as_secret_is_refused(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    header = {**standard_header(keys), "alg": "HS256"}
    signing_input = f"{b64url_json(header)}.{b64url_json(standard_payload())}"
    for secret in (keys.signing_key.as_pem(private=False), json.dumps(keys.public_jwks()).encode()):
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        token = f"{signing_input}.{b64url(mac)}"

        assert refusal_reason(keys, config, token) == "algorithm"


def test_verify_access_token_other_key_with_same_kid_is_refused(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    impostor = ECKey.generate_key("P-256", parameters={"kid": keys.signing_kid})

    assert refusal_reason(keys, config, signed(keys, key=impostor)) == "signature"


def test_verify_access_token_other_type_is_refused(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    header = {**standard_header(keys), "typ": "JWT"}  # e.g. an ID token signed by the same key
    token = josejwt.encode(header, standard_payload(), keys.signing_key, algorithms=["ES256"])

    assert refusal_reason(keys, config, token) == "type"


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"sub": "not-a-uuid"}, id="sub-not-uuid"),
        pytest.param({"sub": PERSON.hex}, id="sub-not-canonical"),
        pytest.param({"roles": "admin"}, id="roles-not-list"),
        pytest.param({"roles": [1]}, id="roles-not-strings"),
        pytest.param({"jti": None}, id="no-jti"),
        pytest.param({"exp": "tomorrow"}, id="exp-not-number"),
    ],
)
def test_verify_access_token_bad_claims_are_refused(
    tmp_path: Path, changes: dict[str, Any]
) -> None:
    config, keys = setup_keys(tmp_path)

    assert refusal_reason(keys, config, signed(keys, **changes)) == "claims"


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "a.b", "ä.ö.ü"])
def test_verify_access_token_malformed_is_refused(tmp_path: Path, token: str) -> None:
    config, keys = setup_keys(tmp_path)

    assert refusal_reason(keys, config, token) == "malformed"


def test_invalid_access_token_message_says_nothing_specific() -> None:
    error = InvalidAccessToken("expired")

    assert isinstance(error, NotAuthenticated)
    assert error.code == "invalid-token"
    assert error.params == {}
    assert error.message(Language.EN) == (
        "The sign-in has expired or is not valid; please sign in again."
    )
    assert [bool(error.message(language)) for language in Language] == [True, True, True]


def test_verify_access_token_longer_than_issued_is_refused(tmp_path: Path) -> None:
    """Signed with our own key and valid now, but made to live a year (or issued a day ago and
    still unexpired): refused, as a revocation is remembered for one access-token lifetime."""
    config, keys = setup_keys(tmp_path)
    issued_at = int(NOW.timestamp())
    a_year = signed(keys, exp=issued_at + 365 * 24 * 3600)
    a_day_ago = signed(keys, iat=issued_at - 24 * 3600, nbf=issued_at - 24 * 3600)

    assert refusal_reason(keys, config, a_year) == "lifetime"
    assert refusal_reason(keys, config, a_day_ago) == "lifetime"


def test_verify_access_token_lifetime_cap_allows_the_leeway(tmp_path: Path) -> None:
    config, keys = setup_keys(tmp_path)
    issued_at = int(NOW.timestamp())
    lifetime = config.access_token_minutes * 60
    at_cap = signed(keys, exp=issued_at + lifetime + CLOCK_LEEWAY_SECONDS)
    past_cap = signed(keys, exp=issued_at + lifetime + CLOCK_LEEWAY_SECONDS + 1)

    assert verify_access_token(keys, config, at_cap, NOW).person_id == PERSON
    assert refusal_reason(keys, config, past_cap) == "lifetime"


def test_verify_access_token_issued_in_the_future_is_refused(tmp_path: Path) -> None:
    """`iat` an hour ahead (with `nbf` now, so only `iat` is wrong): refused."""
    config, keys = setup_keys(tmp_path)
    ahead = int(NOW.timestamp()) + 3600

    assert refusal_reason(keys, config, signed(keys, iat=ahead, exp=ahead + 60)) == "not-yet-valid"


def test_a_verified_token_is_remembered_until_it_expires_and_never_a_refused_one(
    tmp_path: Path,
) -> None:
    config = make_settings(tmp_path)
    issuer = TokenIssuer(config)
    token, issued = issue_access_token(issuer.keys, config, PERSON, ["citizen"], NOW)
    assert issuer.verify(token, NOW) == issued
    assert token in issuer._verified  # the next request skips the signature check
    assert issuer.verify(token, NOW + timedelta(minutes=10)) == issued
    # past its life (and the leeway) it is refused, remembered or not
    with pytest.raises(InvalidAccessToken):
        issuer.verify(token, NOW + timedelta(minutes=16))
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for _ in range(2):
        with pytest.raises(InvalidAccessToken):
            issuer.verify(forged, NOW)
    assert forged not in issuer._verified
