"""Self-check: the test OIDC provider runs a full authorization-code + PKCE flow."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from .http import b64url, jwt_claims
from .oidc import complete_login, running_oidc_provider

CLIENT_ID = "year2026-test"
CLIENT_SECRET = "test-secret-0123456789"
REDIRECT_URI = "http://127.0.0.1:9/callback"  # never contacted: complete_login stops before it
CLIENT: dict[str, object] = {
    "client_id": CLIENT_ID,
    "client_secret": CLIENT_SECRET,
    "redirect_uris": [REDIRECT_URI],
}
ACCOUNT: dict[str, object] = {
    "sub": "user-1",
    "email": "user1@example.kz",
    "email_verified": True,
    "name": "User One",
}


def _token_request(discovery: dict[str, object], code: str, verifier: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    methods = discovery.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    assert isinstance(methods, list)
    auth: httpx.BasicAuth | None = None
    if "client_secret_basic" in methods:
        auth = httpx.BasicAuth(CLIENT_ID, CLIENT_SECRET)
    else:
        form |= {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    return httpx.post(str(discovery["token_endpoint"]), data=form, auth=auth)


def _authorize(discovery: dict[str, object], verifier: str, state: str, nonce: str) -> str:
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid email profile",
        "state": state,
        "nonce": nonce,
        "code_challenge": b64url(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256",
    }
    return f"{discovery['authorization_endpoint']}?{urlencode(params)}"


def test_full_code_flow_with_pkce(tmp_path: Path) -> None:
    with running_oidc_provider(tmp_path, [CLIENT], [ACCOUNT]) as issuer:
        discovery = httpx.get(f"{issuer}/.well-known/openid-configuration").json()
        assert discovery["issuer"] == issuer
        assert "S256" in discovery["code_challenge_methods_supported"]
        assert httpx.get(discovery["jwks_uri"]).json()["keys"]

        # Two logins: one to exchange with a wrong verifier, one to succeed
        # (a code is single-use, and a failed exchange may consume it).
        for wrong_verifier in (True, False):
            verifier = b64url(secrets.token_bytes(32))
            state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
            callback = complete_login(
                _authorize(discovery, verifier, state, nonce), str(ACCOUNT["sub"])
            )

            assert callback.startswith(REDIRECT_URI + "?")
            query = parse_qs(urlsplit(callback).query)
            assert query["state"] == [state]
            assert "error" not in query
            code = query["code"][0]

            if wrong_verifier:
                refused = _token_request(discovery, code, b64url(secrets.token_bytes(32)))
                assert refused.status_code == 400
                assert refused.json()["error"] == "invalid_grant"
                continue

            tokens = _token_request(discovery, code, verifier)
            assert tokens.status_code == 200, tokens.text
            claims = jwt_claims(tokens.json()["id_token"])
            assert claims["sub"] == ACCOUNT["sub"]
            assert claims["email"] == ACCOUNT["email"]
            assert claims["email_verified"] is True
            assert claims["name"] == ACCOUNT["name"]
            assert claims["nonce"] == nonce
            assert claims["iss"] == issuer
            assert claims["aud"] == CLIENT_ID


def test_unknown_account_is_refused(tmp_path: Path) -> None:
    with running_oidc_provider(tmp_path, [CLIENT], [ACCOUNT]) as issuer:
        discovery = httpx.get(f"{issuer}/.well-known/openid-configuration").json()
        url = _authorize(discovery, b64url(secrets.token_bytes(32)), "s", "n")
        query = parse_qs(urlsplit(complete_login(url, "nobody")).query)
        assert query["error"] == ["access_denied"]
        assert query["state"] == ["s"]
