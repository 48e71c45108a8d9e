"""OpenID Connect sign-in (authorization code + PKCE S256) with one configured provider, such as
the national eGov identity provider.

`begin_sign_in` keeps a one-time record under a random `state` in Redis and sends the browser to
the provider. `finish_sign_in` takes that record back exactly once (GETDEL), exchanges the code
with the PKCE verifier, verifies the ID token against the provider's JWKS and the nonce, and signs
the person in. The browser that began must be the one that finishes: a random secret goes into a
cookie and only its SHA-256 into the record, so a callback planted in another browser (login
CSRF) is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
import msgspec
import structlog
from authlib.integrations.base_client import OAuthError

with warnings.catch_warnings():
    # authlib 1.9 points at the "httpx2" package; we pin httpx, whose errors we catch below
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidKeyIdError, JoseError
from joserfc.jwk import Key, KeySet
from joserfc.jwt import ClaimsOption, JWTClaimsRegistry
from redis.asyncio import Redis

from year2026.auth import sessions
from year2026.auth.errors import (
    OidcDisabled,
    OidcProviderRefused,
    OidcProviderUnavailable,
    OidcStateInvalid,
    OidcTokenInvalid,
)
from year2026.auth.signin import address_limit
from year2026.people import accounts
from year2026.people.records import TokenPair
from year2026.ratelimit import hit
from year2026.settings import Settings

CALLBACK_PATH = "/auth/oidc/callback"
#: how long a begun sign-in may take at the provider
STATE_TTL_SECONDS = 600
#: discovery document and JWKS are shared by all API processes through Redis for this long
METADATA_TTL_SECONDS = 300
CLOCK_LEEWAY_SECONDS = 60
_HTTP_TIMEOUT = httpx.Timeout(5.0, connect=3.0)
#: asymmetric signatures only: `none` proves nothing, and HS* would need the client secret as a key
_SIGNATURE_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
_PUBLIC_KEY_TYPES = frozenset({"RSA", "EC", "OKP"})
_KEY_PREFIX = "year2026:oidc"

log = structlog.get_logger("year2026.auth.oidc")
T = TypeVar("T")


class ProviderMetadata(msgspec.Struct, frozen=True, kw_only=True):
    """The parts of the provider's discovery document we use (defaults as OIDC Discovery says)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    id_token_signing_alg_values_supported: list[str] = msgspec.field(
        default_factory=lambda: ["RS256"]
    )
    token_endpoint_auth_methods_supported: list[str] = msgspec.field(
        default_factory=lambda: ["client_secret_basic"]
    )


class PendingSignIn(msgspec.Struct, frozen=True, kw_only=True):
    """What `begin_sign_in` keeps under the state until the callback."""

    code_verifier: str
    nonce: str
    #: SHA-256 (hex) of the secret in the browser's binding cookie
    binding_hash: str


def state_key(state: str) -> str:
    return f"{_KEY_PREFIX}:state:{state}"


def cache_key(settings: Settings, document: str) -> str:
    """Where the provider's `discovery` document or `jwks` is cached."""
    return f"{_KEY_PREFIX}:{document}:{settings.oidc_issuer}"


def callback_url(settings: Settings) -> str:
    return settings.effective_public_url + CALLBACK_PATH


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _require_enabled(settings: Settings) -> None:
    if not settings.oidc_enabled:
        raise OidcDisabled


async def _cached_document(
    redis: Redis, key: str, url: str, parse: Callable[[bytes], T], *, refresh: bool = False
) -> T:
    raw: bytes | None = None if refresh else await redis.get(key)
    if raw is not None:
        return parse(raw)
    try:
        async with httpx.AsyncClient(timeout=_HTTP_TIMEOUT) as http:
            response = await http.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
    except httpx.HTTPError as error:
        log.warning("oidc provider fetch failed", url=url, error=repr(error))
        raise OidcProviderUnavailable from error
    parsed = parse(response.content)  # only a usable document is shared
    await redis.set(key, response.content, ex=METADATA_TTL_SECONDS)
    return parsed


async def provider_metadata(settings: Settings, redis: Redis) -> ProviderMetadata:
    """The provider's discovery document, from the shared cache or fetched."""
    url = settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration"

    def parse(raw: bytes) -> ProviderMetadata:
        try:
            metadata = msgspec.json.decode(raw, type=ProviderMetadata)
        except msgspec.DecodeError as error:
            log.exception("oidc discovery document unusable")
            raise OidcProviderUnavailable from error
        # OIDC Discovery 4.3: a document for another issuer must not be used
        if metadata.issuer != settings.oidc_issuer:
            log.error("oidc discovery issuer mismatch", configured=settings.oidc_issuer)
            raise OidcProviderUnavailable
        return metadata

    return await _cached_document(redis, cache_key(settings, "discovery"), url, parse)


async def provider_keys(
    settings: Settings, redis: Redis, metadata: ProviderMetadata, *, refresh: bool = False
) -> KeySet:
    """The provider's public signing keys, from the shared cache unless `refresh`."""
    key = cache_key(settings, "jwks")
    return await _cached_document(redis, key, metadata.jwks_uri, _parse_keys, refresh=refresh)


def _parse_keys(raw: bytes) -> KeySet:
    try:
        members = json.loads(raw)["keys"]
        signing = [
            member
            for member in members
            if member.get("kty") in _PUBLIC_KEY_TYPES and member.get("use", "sig") == "sig"
        ]
        return KeySet.import_key_set({"keys": signing})
    except (ValueError, TypeError, KeyError, AttributeError, JoseError) as error:
        log.exception("oidc jwks unusable")
        raise OidcProviderUnavailable from error


async def begin_sign_in(settings: Settings, redis: Redis, *, address: str) -> tuple[str, str]:
    """(the provider's authorization URL to send the browser to, the binding secret for the
    browser's cookie)."""
    _require_enabled(settings)
    # each start holds a record in Redis for 10 minutes: bounded per client address
    await hit(redis, address_limit(settings, "oidc-start"), address)
    metadata = await provider_metadata(settings, redis)
    state, nonce, binding = (secrets.token_urlsafe(32) for _ in range(3))  # 256 bits each
    code_verifier = secrets.token_urlsafe(48)  # 64 characters, within RFC 7636's 43-128
    scopes = settings.oidc_scopes.split()
    scope = " ".join(scopes if "openid" in scopes else ["openid", *scopes])
    async with AsyncOAuth2Client(
        client_id=settings.oidc_client_id,
        scope=scope,
        redirect_uri=callback_url(settings),
        code_challenge_method="S256",
    ) as client:
        url, _ = client.create_authorization_url(
            metadata.authorization_endpoint, state=state, code_verifier=code_verifier, nonce=nonce
        )
    pending = PendingSignIn(code_verifier=code_verifier, nonce=nonce, binding_hash=_sha256(binding))
    await redis.set(state_key(state), msgspec.json.encode(pending), ex=STATE_TTL_SECONDS)
    return str(url), binding


async def finish_sign_in(
    settings: Settings,
    redis: Redis,
    token_issuer: sessions.TokenIssuer,
    *,
    state: str,
    code: str | None,
    binding: str | None,
    user_agent: str,
    error: str | None = None,
) -> TokenPair:
    """The provider's callback: `code` on success, or the provider's `error`."""
    _require_enabled(settings)
    pending = await _take_pending(redis, state, binding)
    if error is not None or not code:
        log.info("oidc sign-in ended by the provider", error=(error or "")[:64])
        raise OidcProviderRefused("authorization-error" if error else "no-code")
    metadata = await provider_metadata(settings, redis)
    id_token = await _exchange_code(settings, metadata, code, pending.code_verifier)
    claims = await _verified_claims(settings, redis, metadata, id_token, pending.nonce)
    email = claims.get("email")
    name = claims.get("name")
    person_id = await accounts.sign_in_with_provider(
        issuer=claims["iss"],
        subject=claims["sub"],
        email=email if isinstance(email, str) and 0 < len(email) <= 254 else None,
        # some providers send the string "true"; anything else (absent, "false", 1) is unverified
        email_verified=claims.get("email_verified") in (True, "true"),
        name=name if isinstance(name, str) else None,
    )
    return await sessions.start_session(token_issuer, person_id, user_agent)


async def _take_pending(redis: Redis, state: str, binding: str | None) -> PendingSignIn:
    # GETDEL: one state, one attempt, even when two callbacks race
    raw: bytes | None = await redis.getdel(state_key(state))
    if raw is None:
        raise OidcStateInvalid("unknown-state")
    pending = msgspec.json.decode(raw, type=PendingSignIn)
    if binding is None or not hmac.compare_digest(_sha256(binding), pending.binding_hash):
        raise OidcStateInvalid("browser-binding")
    return pending


async def _exchange_code(
    settings: Settings, metadata: ProviderMetadata, code: str, code_verifier: str
) -> str:
    methods = metadata.token_endpoint_auth_methods_supported
    auth_method = "client_secret_post" if "client_secret_basic" not in methods else None
    async with AsyncOAuth2Client(
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        token_endpoint_auth_method=auth_method or "client_secret_basic",
        redirect_uri=callback_url(settings),
        timeout=_HTTP_TIMEOUT,
    ) as client:
        try:
            token = await client.fetch_token(
                metadata.token_endpoint,
                grant_type="authorization_code",
                code=code,
                code_verifier=code_verifier,
            )
        except OAuthError as error:
            # e.g. invalid_grant for a wrong PKCE verifier or a spent code; logged, never shown
            log.warning("oidc code exchange refused", error=error.error, detail=error.description)
            raise OidcProviderRefused("code-exchange") from error
        except httpx.HTTPStatusError as error:
            status = error.response.status_code
            log.warning("oidc token endpoint failed", status=status)
            if status >= 500:
                raise OidcProviderUnavailable from error
            raise OidcProviderRefused("code-exchange") from error
        except (httpx.HTTPError, ValueError) as error:
            log.warning("oidc token endpoint unusable", error=repr(error))
            raise OidcProviderUnavailable from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcTokenInvalid("missing")
    return id_token


async def _verified_claims(
    settings: Settings, redis: Redis, metadata: ProviderMetadata, id_token: str, nonce: str
) -> dict[str, Any]:
    keys = await provider_keys(settings, redis, metadata)
    try:
        return verify_id_token(id_token, keys, metadata, settings, nonce=nonce)
    except OidcTokenInvalid as error:
        if error.reason != "unknown-key":
            raise
    # The provider may have rotated its keys since they were cached: fetch them once more.
    keys = await provider_keys(settings, redis, metadata, refresh=True)
    return verify_id_token(id_token, keys, metadata, settings, nonce=nonce)


def verify_id_token(
    id_token: str,
    keys: KeySet,
    metadata: ProviderMetadata,
    settings: Settings,
    *,
    nonce: str,
    now: int | None = None,
) -> dict[str, Any]:
    """The claims of an ID token signed by the provider for us and this sign-in (OIDC Core
    §3.1.3.7); `OidcTokenInvalid` otherwise."""
    try:
        header = jws.extract_compact(id_token.encode()).headers()
    except (JoseError, ValueError):
        raise OidcTokenInvalid("malformed") from None
    # Checked before any key is chosen, so that `none` and HS* never reach a verifier.
    algorithm = header.get("alg")
    allowed = _SIGNATURE_ALGORITHMS & set(metadata.id_token_signing_alg_values_supported)
    if not isinstance(algorithm, str) or algorithm not in allowed:
        raise OidcTokenInvalid("algorithm")
    key = _key_for(keys, header.get("kid"), algorithm)
    try:
        claims = jwt.decode(id_token, key, algorithms=[algorithm]).claims
    except BadSignatureError:
        raise OidcTokenInvalid("signature") from None
    except (JoseError, ValueError):
        raise OidcTokenInvalid("malformed") from None
    _check_claims(claims, settings, nonce, int(time.time()) if now is None else now)
    return claims


def _key_for(keys: KeySet, kid: object, algorithm: str) -> Key:
    if kid is not None and not isinstance(kid, str):
        raise OidcTokenInvalid("malformed")
    try:
        key = keys.get_by_kid(kid)  # without a kid: only when the set holds a single key
    except InvalidKeyIdError:
        raise OidcTokenInvalid("unknown-key") from None
    if key.alg is not None and key.alg != algorithm:
        raise OidcTokenInvalid("algorithm")
    return key


def _check_claims(claims: dict[str, Any], settings: Settings, nonce: str, now: int) -> None:
    essential: ClaimsOption = {"essential": True}
    registry = JWTClaimsRegistry(
        now=now,
        leeway=CLOCK_LEEWAY_SECONDS,
        iss=essential,
        sub=essential,
        aud=essential,
        exp=essential,
        iat=essential,
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise OidcTokenInvalid("expired") from None
    except JoseError:
        raise OidcTokenInvalid("claims") from None
    if claims["iss"] != settings.oidc_issuer:
        raise OidcTokenInvalid("issuer")
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if settings.oidc_client_id not in audiences:
        raise OidcTokenInvalid("audience")
    # with other audiences beside us, the token must say it was issued to us (OIDC Core 3.1.3.7)
    azp = claims.get("azp")
    if (len(audiences) > 1 or azp is not None) and azp != settings.oidc_client_id:
        raise OidcTokenInvalid("audience")
    # no older than a sign-in may last: a replayed old token would not pass
    if claims["iat"] < now - STATE_TTL_SECONDS - CLOCK_LEEWAY_SECONDS:
        raise OidcTokenInvalid("stale")
    token_nonce = claims.get("nonce")
    if not isinstance(token_nonce, str) or not hmac.compare_digest(
        token_nonce.encode(), nonce.encode()
    ):
        raise OidcTokenInvalid("nonce")
    if not 0 < len(claims["sub"]) <= 255:  # as stored in oidc_identity.subject
        raise OidcTokenInvalid("claims")
