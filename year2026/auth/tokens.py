"""Access tokens: short-lived JWTs (RFC 9068 profile, ES256) that say who a person is and may do."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
)
from joserfc.jwt import ClaimsOption, JWTClaimsRegistry

from year2026.auth.errors import InvalidAccessToken
from year2026.auth.keys import SIGNING_ALGORITHM, SigningKeys
from year2026.settings import Settings

#: the one audience our tokens are for: this API
AUDIENCE = "year2026-api"
#: RFC 9068's media type, so that an ID token or another JWT is never taken for an access token
JWT_TYPE = "at+jwt"
#: tolerated clock difference between the issuing and the verifying process
CLOCK_LEEWAY_SECONDS = 30
_ALGORITHMS = (SIGNING_ALGORITHM,)
_REQUIRED_CLAIMS: dict[str, ClaimsOption] = {
    name: {"essential": True} for name in ("iss", "aud", "sub", "iat", "nbf", "exp", "jti")
}


class AccessClaims(msgspec.Struct, frozen=True, kw_only=True):
    """What a valid access token says about the person presenting it."""

    person_id: uuid.UUID
    roles: tuple[str, ...]
    #: the person's token generation at issue; a later "sign out everywhere" raised theirs
    generation: int
    token_id: str
    issued_at: datetime
    expires_at: datetime


def issue_access_token(
    keys: SigningKeys,
    settings: Settings,
    person_id: uuid.UUID,
    roles: Sequence[str],
    now: datetime,
    generation: int = 0,
) -> tuple[str, AccessClaims]:
    """A signed access token for a person, valid from `now` for `access_token_minutes`."""
    if isinstance(roles, str):
        raise TypeError("roles is a sequence of role names, not one string")
    issued_at = _whole_seconds(now)
    claims = AccessClaims(
        person_id=person_id,
        roles=tuple(roles),
        generation=generation,
        token_id=secrets.token_urlsafe(16),  # 128 random bits
        issued_at=issued_at,
        expires_at=issued_at + timedelta(minutes=settings.access_token_minutes),
    )
    header = {"alg": SIGNING_ALGORITHM, "kid": keys.signing_kid, "typ": JWT_TYPE}
    payload = {
        "iss": settings.effective_public_url,
        "aud": AUDIENCE,
        "sub": str(person_id),
        "iat": int(claims.issued_at.timestamp()),
        "nbf": int(claims.issued_at.timestamp()),
        "exp": int(claims.expires_at.timestamp()),
        "jti": claims.token_id,
        "roles": list(claims.roles),
        "gen": claims.generation,
    }
    token = jwt.encode(header, payload, keys.signing_key, algorithms=_ALGORITHMS)
    return token, claims


def verify_access_token(
    keys: SigningKeys, settings: Settings, token: str, now: datetime
) -> AccessClaims:
    """The claims of a token we issued that is valid at `now`; `InvalidAccessToken` otherwise."""
    now_seconds = int(_whole_seconds(now).timestamp())
    payload = _verified_payload(keys, token)
    return _checked_claims(payload, settings, now_seconds)


def _verified_payload(keys: SigningKeys, token: str) -> dict[str, Any]:
    try:
        header = jws.extract_compact(token.encode()).headers()
    except (JoseError, ValueError):
        raise InvalidAccessToken("malformed") from None
    # Checked before any key is chosen: `none` and HS256 (with our public key as the "secret")
    # never reach a verifier.
    if header.get("alg") != SIGNING_ALGORITHM:
        raise InvalidAccessToken("algorithm")
    if header.get("typ") != JWT_TYPE:
        raise InvalidAccessToken("type")
    kid = header.get("kid")
    if not isinstance(kid, str):  # without a kid, joserfc would take a lone key as a match
        raise InvalidAccessToken("unknown-key")
    try:
        key = keys.verification_keys.get_by_kid(kid)
    except InvalidKeyIdError:
        raise InvalidAccessToken("unknown-key") from None
    try:
        return jwt.decode(token, key, algorithms=_ALGORITHMS).claims
    except BadSignatureError:
        raise InvalidAccessToken("signature") from None
    except (JoseError, ValueError):
        raise InvalidAccessToken("malformed") from None


def _checked_claims(payload: dict[str, Any], settings: Settings, now: int) -> AccessClaims:
    registry = JWTClaimsRegistry(now=now, leeway=CLOCK_LEEWAY_SECONDS, **_REQUIRED_CLAIMS)
    try:
        registry.validate(payload)
    except ExpiredTokenError:
        raise InvalidAccessToken("expired") from None
    except InvalidClaimError as error:
        reason = "not-yet-valid" if error.claim in ("nbf", "iat") else "claims"
        raise InvalidAccessToken(reason) from None
    except JoseError:
        raise InvalidAccessToken("claims") from None
    # No token lives longer than we issue them for, whatever its `exp` says: "sign out
    # everywhere" is remembered for one lifetime only, so a longer-lived token would outlive it.
    # (joserfc has already refused an `iat` in the future beyond the leeway.)
    lifetime = payload["exp"] - payload["iat"]
    if lifetime > settings.access_token_minutes * 60 + CLOCK_LEEWAY_SECONDS:
        raise InvalidAccessToken("lifetime")
    # Exact matches: joserfc would also accept an audience list that merely contains ours.
    if payload["iss"] != settings.effective_public_url:
        raise InvalidAccessToken("issuer")
    if payload["aud"] != AUDIENCE:
        raise InvalidAccessToken("audience")
    roles = payload.get("roles")
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise InvalidAccessToken("claims")
    generation = payload.get("gen")
    if type(generation) is not int or generation < 0:
        raise InvalidAccessToken("claims")
    try:
        person_id = uuid.UUID(payload["sub"])
        issued_at = datetime.fromtimestamp(payload["iat"], UTC)
        expires_at = datetime.fromtimestamp(payload["exp"], UTC)
    except (ValueError, OverflowError, OSError):
        raise InvalidAccessToken("claims") from None
    if str(person_id) != payload["sub"]:  # only the canonical form we write
        raise InvalidAccessToken("claims")
    return AccessClaims(
        person_id=person_id,
        roles=tuple(roles),
        generation=generation,
        token_id=payload["jti"],
        issued_at=issued_at,
        expires_at=expires_at,
    )


def _whole_seconds(moment: datetime) -> datetime:
    # JWT times are whole seconds; the claims we hand back say exactly what the token says.
    if moment.tzinfo is None:
        raise ValueError("a timezone-aware datetime is required")
    return datetime.fromtimestamp(int(moment.timestamp()), UTC)
