"""OpenID Connect sign-in against a real provider (npm `oidc-provider`): the full flow, linking,
and each forgery refused: wrong state, another browser, replay, wrong nonce, wrong PKCE verifier,
tampered ID tokens."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import msgspec
import pytest
from joserfc.jwk import KeySet, RSAKey
from redis.asyncio import Redis

from tests.support import people
from tests.support.asgi import serving
from tests.support.http import PROBLEM, assert_problem, b64url, b64url_json, json_segment
from tests.support.oidc import complete_login, running_oidc_provider
from year2026.app import create_app
from year2026.auth import oidc
from year2026.auth.errors import OidcTokenInvalid
from year2026.auth.oidc_controller import BINDING_COOKIE
from year2026.people.tables import OidcIdentity, Person, RefreshToken
from year2026.redis import open_redis
from year2026.settings import Settings

PUBLIC_URL = "http://testserver"  # the base URL of `serving()`'s client
CLIENT_ID = "year2026-api"
CLIENT_SECRET = "oidc-test-secret-0123456789"
ALICE: dict[str, object] = {
    "sub": "egov-alice",
    "email": "alice@example.kz",
    "email_verified": True,
    "name": "Әлия",
}
BOB: dict[str, object] = {
    "sub": "egov-bob",
    "email": "bob@example.kz",
    "email_verified": False,
    "name": "Бекзат",
}


@pytest.fixture(scope="module")
def provider_issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    client: dict[str, object] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [PUBLIC_URL + oidc.CALLBACK_PATH],
    }
    with running_oidc_provider(tmp_path_factory.mktemp("oidc"), [client], [ALICE, BOB]) as issuer:
        yield issuer


def with_provider(settings: Settings, issuer: str) -> Settings:
    return msgspec.structs.replace(
        settings,
        oidc_issuer=issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        public_url=PUBLIC_URL,
    )


@pytest.fixture
def oidc_settings(clean_state: Settings, provider_issuer: str) -> Settings:
    return with_provider(clean_state, provider_issuer)


@pytest.fixture
async def http(oidc_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(create_app(oidc_settings)) as client:
        yield client


@pytest.fixture
async def redis(oidc_settings: Settings) -> AsyncIterator[Redis]:
    client = await open_redis(oidc_settings)
    try:
        yield client
    finally:
        await client.aclose()


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


async def start(http: httpx.AsyncClient) -> str:
    """/start; the provider's authorization URL it redirects to."""
    response = await http.get("/auth/oidc/start")
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def login_at_provider(authorization_url: str, sub: str) -> str:
    """The browser's trip through the provider's login; the callback URL it is sent back to."""
    callback = await asyncio.to_thread(complete_login, authorization_url, sub)
    assert callback.startswith(PUBLIC_URL + oidc.CALLBACK_PATH + "?"), callback
    return callback.removeprefix(PUBLIC_URL)


async def sign_in(http: httpx.AsyncClient, sub: str) -> dict[str, Any]:
    callback = await login_at_provider(await start(http), sub)
    response = await http.get(callback)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


async def me(http: httpx.AsyncClient, tokens: dict[str, Any]) -> dict[str, Any]:
    response = await http.get("/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def edit_pending(redis: Redis, authorization_url: str, **changes: str) -> None:
    """Change what /start stored for this sign-in, as an attacker or a bug would."""
    key = oidc.state_key(query_of(authorization_url)["state"])
    record = json.loads(await redis.get(key))
    await redis.set(key, json.dumps(record | changes), keepttl=True)


async def assert_nobody_signed_in() -> None:
    assert await Person.count() == 0
    assert await RefreshToken.count() == 0


# --- the flow ---------------------------------------------------------------------------------


async def test_start_redirects_to_the_provider_with_pkce_state_and_nonce(
    http: httpx.AsyncClient, redis: Redis, provider_issuer: str
) -> None:
    response = await http.get("/auth/oidc/start")
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(provider_issuer + "/")
    query = query_of(location)
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == PUBLIC_URL + "/auth/oidc/callback"
    assert query["scope"] == "openid email profile"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 43  # 256 bits, base64url
    assert len(query["nonce"]) >= 43
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{BINDING_COOKIE}=")
    for attribute in ("HttpOnly", "Max-Age=600", "Path=/auth/oidc", "SameSite=lax"):
        assert attribute in cookie
    assert "Secure" not in cookie  # the public URL is http here
    # what the callback will need: verifier (matching the challenge), nonce, cookie's hash
    key = oidc.state_key(query["state"])
    stored = json.loads(await redis.get(key))
    challenge = b64url(hashlib.sha256(stored["code_verifier"].encode()).digest())
    assert challenge == query["code_challenge"]
    assert stored["nonce"] == query["nonce"]
    binding = http.cookies[BINDING_COOKIE]
    assert stored["binding_hash"] == hashlib.sha256(binding.encode()).hexdigest()
    assert 590 <= await redis.ttl(key) <= 600


async def test_callback_signs_in_and_stores_the_provider_identity(
    http: httpx.AsyncClient, provider_issuer: str
) -> None:
    callback = await login_at_provider(await start(http), str(ALICE["sub"]))
    response = await http.get(callback)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"  # it carries tokens (RFC 6749 §5.1)
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert set(tokens) == {
        "access_token", "token_type", "expires_in", "refresh_token", "refresh_expires_in"
    }  # fmt: skip
    assert f"{BINDING_COOKIE}=" in response.headers["set-cookie"]
    assert "Max-Age=0" in response.headers["set-cookie"]  # the binding is spent
    profile = await me(http, tokens)
    assert profile["email"] == ALICE["email"]
    assert profile["display_name"] == ALICE["name"]
    assert profile["has_password"] is False
    assert profile["roles"] == ["citizen"]
    person_id = uuid.UUID(profile["id"])
    assert await Person.count() == 1
    identities = await OidcIdentity.select(OidcIdentity.issuer, OidcIdentity.subject).where(
        OidcIdentity.person == person_id
    )
    assert identities == [{"issuer": provider_issuer, "subject": ALICE["sub"]}]


async def test_sign_in_again_with_the_same_subject_is_the_same_person(
    http: httpx.AsyncClient,
) -> None:
    first = await me(http, await sign_in(http, str(ALICE["sub"])))
    second = await me(http, await sign_in(http, str(ALICE["sub"])))
    assert second["id"] == first["id"]
    assert await Person.count() == 1
    assert await OidcIdentity.count() == 1


async def test_sign_in_links_a_local_account_when_the_email_is_verified(
    http: httpx.AsyncClient,
) -> None:
    local = await people.sign_up(http, email=str(ALICE["email"]))
    profile = await me(http, await sign_in(http, str(ALICE["sub"])))
    assert uuid.UUID(profile["id"]) == local.person_id
    assert profile["has_password"] is True
    assert await Person.count() == 1
    linked = await OidcIdentity.select(OidcIdentity.person).where(
        OidcIdentity.subject == ALICE["sub"]
    )
    assert linked == [{"person": local.person_id}]


async def test_sign_in_with_an_unverified_email_creates_a_person_without_it(
    http: httpx.AsyncClient,
) -> None:
    local = await people.sign_up(http, email=str(BOB["email"]))
    profile = await me(http, await sign_in(http, str(BOB["sub"])))
    assert uuid.UUID(profile["id"]) != local.person_id
    assert profile["email"] == ""
    assert profile["display_name"] == BOB["name"]
    owners = await Person.select(Person.id).where(Person.email == BOB["email"])
    assert owners == [{"id": local.person_id}]


async def test_sign_in_refetches_the_jwks_when_the_cached_one_lacks_the_key(
    http: httpx.AsyncClient, redis: Redis, oidc_settings: Settings
) -> None:
    # as if the provider rotated its key after we cached its JWKS
    retired = RSAKey.generate_key(2048, parameters={"kid": "retired", "use": "sig"})
    jwks_key = oidc.cache_key(oidc_settings, "jwks")
    await redis.set(jwks_key, json.dumps({"keys": [retired.as_dict(private=False)]}), ex=300)
    await sign_in(http, str(ALICE["sub"]))
    cached_kids = [key.get("kid") for key in json.loads(await redis.get(jwks_key))["keys"]]
    assert "retired" not in cached_kids
    assert cached_kids


# --- refusals ---------------------------------------------------------------------------------


async def test_callback_with_a_wrong_state_is_refused(http: httpx.AsyncClient) -> None:
    callback = await login_at_provider(await start(http), str(ALICE["sub"]))
    forged = query_of(callback) | {"state": "x" + query_of(callback)["state"][1:]}
    refused = await http.get(f"{oidc.CALLBACK_PATH}?{urlencode(forged)}")
    assert_problem(refused, 401, "oidc-state-invalid")
    await assert_nobody_signed_in()
    # the same callback with its own state still works: only the state was wrong
    assert (await http.get(callback)).status_code == 200


async def test_callback_replayed_is_refused(http: httpx.AsyncClient) -> None:
    callback = await login_at_provider(await start(http), str(ALICE["sub"]))
    binding = next(cookie for cookie in http.cookies.jar if cookie.name == BINDING_COOKIE)
    assert (await http.get(callback)).status_code == 200
    # the same browser cookie again (the callback deleted it), so only the spent state differs
    http.cookies.jar.set_cookie(binding)
    assert_problem(await http.get(callback), 401, "oidc-state-invalid")
    assert await RefreshToken.count() == 1


async def test_callback_in_another_browser_is_refused(http: httpx.AsyncClient) -> None:
    # login CSRF: the attacker's own callback, opened by a victim whose browser lacks the cookie
    without_cookie = await login_at_provider(await start(http), str(ALICE["sub"]))
    http.cookies.clear()
    assert_problem(await http.get(without_cookie), 401, "oidc-state-invalid")
    # ...or has a cookie of a sign-in of its own
    attackers = await login_at_provider(await start(http), str(ALICE["sub"]))
    http.cookies.clear()
    await start(http)
    assert_problem(await http.get(attackers), 401, "oidc-state-invalid")
    await assert_nobody_signed_in()


async def test_callback_with_a_wrong_nonce_is_refused(
    http: httpx.AsyncClient, redis: Redis
) -> None:
    authorization_url = await start(http)
    await edit_pending(redis, authorization_url, nonce="not-the-nonce-the-provider-signed")
    callback = await login_at_provider(authorization_url, str(ALICE["sub"]))
    assert_problem(await http.get(callback), 401, "oidc-token-invalid")
    await assert_nobody_signed_in()


async def test_callback_with_a_wrong_pkce_verifier_is_refused(
    http: httpx.AsyncClient, redis: Redis
) -> None:
    authorization_url = await start(http)
    await edit_pending(redis, authorization_url, code_verifier=b64url(b"\x00" * 48))
    callback = await login_at_provider(authorization_url, str(ALICE["sub"]))
    response = await http.get(callback)
    assert_problem(response, 401, "oidc-provider-refused")
    assert "invalid_grant" not in response.text  # the provider's words stay in our logs
    await assert_nobody_signed_in()


async def test_callback_with_a_provider_error_is_refused(http: httpx.AsyncClient) -> None:
    callback = await login_at_provider(await start(http), "no-such-account")
    assert query_of(callback)["error"] == "access_denied"
    assert_problem(await http.get(callback), 401, "oidc-provider-refused")
    await assert_nobody_signed_in()


async def test_start_too_often_from_one_address_is_rate_limited(
    oidc_settings: Settings, redis: Redis
) -> None:
    settings = msgspec.structs.replace(oidc_settings, auth_rate_per_address=2)
    async with serving(create_app(settings)) as client:
        for _ in range(2):
            assert (await client.get("/auth/oidc/start")).status_code == 302
        assert_problem(await client.get("/auth/oidc/start"), 429, "rate-limited")
    assert len(await redis.keys(oidc.state_key("*"))) == 2  # the refused one stored nothing


async def test_start_when_oidc_is_not_configured_is_not_found(clean_state: Settings) -> None:
    app = create_app(clean_state)
    async with serving(app) as client:
        assert_problem(await client.get("/auth/oidc/start"), 404, "oidc-disabled")
        refused = await client.get(f"{oidc.CALLBACK_PATH}?state=s&code=c")
        assert_problem(refused, 404, "oidc-disabled")


async def test_start_when_the_discovery_names_another_issuer_is_unavailable(
    clean_state: Settings, provider_issuer: str
) -> None:
    # with a trailing slash we ask for the same document, which names the issuer without one
    settings = with_provider(clean_state, provider_issuer + "/")
    async with serving(create_app(settings)) as client:
        assert_problem(await client.get("/auth/oidc/start"), 503, "oidc-provider-unavailable")


async def test_start_when_the_provider_is_down_is_unavailable(clean_state: Settings) -> None:
    settings = with_provider(clean_state, "http://127.0.0.1:9")  # discard port: nobody listens
    async with serving(create_app(settings)) as client:
        assert_problem(await client.get("/auth/oidc/start"), 503, "oidc-provider-unavailable")


# --- ID token verification --------------------------------------------------------------------


async def provider_id_token(http: httpx.AsyncClient, redis: Redis, sub: str) -> tuple[str, str]:
    """A real ID token for `sub`, from a code exchange done here; and its nonce."""
    authorization_url = await start(http)
    stored = json.loads(await redis.get(oidc.state_key(query_of(authorization_url)["state"])))
    callback = await login_at_provider(authorization_url, sub)
    issuer = urlsplit(authorization_url)
    discovery = await asyncio.to_thread(
        httpx.get, f"{issuer.scheme}://{issuer.netloc}/.well-known/openid-configuration"
    )
    form = {
        "grant_type": "authorization_code",
        "code": query_of(callback)["code"],
        "redirect_uri": PUBLIC_URL + oidc.CALLBACK_PATH,
        "code_verifier": stored["code_verifier"],
    }
    async with httpx.AsyncClient() as provider:
        response = await provider.post(
            discovery.json()["token_endpoint"],
            data=form,
            auth=httpx.BasicAuth(CLIENT_ID, CLIENT_SECRET),
        )
    assert response.status_code == 200, response.text
    return response.json()["id_token"], stored["nonce"]


async def test_id_token_verification_refuses_every_tampering(
    http: httpx.AsyncClient, redis: Redis, oidc_settings: Settings
) -> None:
    alice_token, alice_nonce = await provider_id_token(http, redis, str(ALICE["sub"]))
    bob_token, _ = await provider_id_token(http, redis, str(BOB["sub"]))
    metadata = await oidc.provider_metadata(oidc_settings, redis)
    keys = await oidc.provider_keys(oidc_settings, redis, metadata)

    def verify(token: str, nonce: str = alice_nonce, now: int | None = None) -> dict[str, Any]:
        return oidc.verify_id_token(token, keys, metadata, oidc_settings, nonce=nonce, now=now)

    def reason_refused(token: str, nonce: str = alice_nonce, now: int | None = None) -> str:
        with pytest.raises(OidcTokenInvalid) as refused:
            verify(token, nonce, now)
        return refused.value.reason

    claims = verify(alice_token)  # the control: untouched, it passes
    assert claims["sub"] == ALICE["sub"]
    assert claims["aud"] == CLIENT_ID
    header, payload, signature = alice_token.split(".")
    bob_header, bob_payload, bob_signature = bob_token.split(".")

    changed = b64url_json(json_segment(payload) | {"email": "mallory@example.kz"})
    assert reason_refused(f"{header}.{changed}.{signature}") == "signature"
    assert reason_refused(f"{header}.{bob_payload}.{signature}") == "signature"
    assert reason_refused(f"{bob_header}.{payload}.{bob_signature}") == "signature"

    unsigned = b64url_json(json_segment(header) | {"alg": "none"})
    assert reason_refused(f"{unsigned}.{payload}.") == "algorithm"
    # HS256 "signed" with the provider's public key as the secret (algorithm confusion)
    public_key = json.dumps(keys.keys[0].as_dict(private=False)).encode()
    hs256 = b64url_json(json_segment(header) | {"alg": "HS256"})
    mac = hmac.new(public_key, f"{hs256}.{payload}".encode(), hashlib.sha256).digest()
    assert reason_refused(f"{hs256}.{payload}.{b64url(mac)}") == "algorithm"

    # the provider's discovery allowlist is what limits algorithms, also for keys without `alg`
    es256_only = msgspec.structs.replace(metadata, id_token_signing_alg_values_supported=["ES256"])
    with pytest.raises(OidcTokenInvalid) as refused:
        oidc.verify_id_token(alice_token, keys, es256_only, oidc_settings, nonce=alice_nonce)
    assert refused.value.reason == "algorithm"
    # ...and never lets `none` or HS* through, even when the discovery lists them
    lax = msgspec.structs.replace(
        metadata, id_token_signing_alg_values_supported=["RS256", "HS256", "none"]
    )
    without_alg = [
        {name: value for name, value in key.as_dict(private=False).items() if name != "alg"}
        for key in keys
    ]
    bare_keys = KeySet.import_key_set({"keys": without_alg})
    for forged in (f"{unsigned}.{payload}.", f"{hs256}.{payload}.{b64url(mac)}"):
        with pytest.raises(OidcTokenInvalid) as refused:
            oidc.verify_id_token(forged, bare_keys, lax, oidc_settings, nonce=alice_nonce)
        assert refused.value.reason == "algorithm"

    # a token for another issuer or another client, as seen by a verifier configured for them
    for other in ({"oidc_issuer": oidc_settings.oidc_issuer + "/"}, {"oidc_client_id": "other"}):
        elsewhere = msgspec.structs.replace(oidc_settings, **other)
        with pytest.raises(OidcTokenInvalid) as refused:
            oidc.verify_id_token(alice_token, keys, metadata, elsewhere, nonce=alice_nonce)
        assert refused.value.reason == ("issuer" if "oidc_issuer" in other else "audience")

    unknown_kid = b64url_json(json_segment(header) | {"kid": "someone-elses"})
    assert reason_refused(f"{unknown_kid}.{payload}.{signature}") == "unknown-key"
    assert reason_refused(alice_token, nonce="another-sign-in") == "nonce"
    assert reason_refused(alice_token, now=int(claims["exp"]) + 3600) == "expired"
    assert reason_refused("not.a-token") == "malformed"


# --- the schema -------------------------------------------------------------------------------


async def test_openapi_documents_both_operations(http: httpx.AsyncClient) -> None:
    schema = (await http.get("/schema/openapi.json")).json()
    start_operation = schema["paths"]["/auth/oidc/start"]["get"]
    callback_operation = schema["paths"]["/auth/oidc/callback"]["get"]
    assert "302" in start_operation["responses"]
    assert set(start_operation["responses"]) >= {"404", "429", "503"}
    ok = callback_operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/TokenPair"}
    assert set(callback_operation["responses"]) >= {"400", "401", "404", "409", "503"}
    assert PROBLEM in callback_operation["responses"]["401"]["content"]
    parameters = {(item["in"], item["name"]) for item in callback_operation["parameters"]}
    assert parameters == {
        ("query", "state"), ("query", "code"), ("query", "error"), ("cookie", BINDING_COOKIE)
    }  # fmt: skip
    assert callback_operation["security"] == [{}]  # anonymous, despite its 401s
