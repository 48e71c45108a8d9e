"""Every response carries the browser protections, and nothing personal may be cached: handlers'
answers, problem responses and the answers to unmatched routes alike."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import msgspec
import pytest
from litestar import get
from litestar.exceptions import ImproperlyConfiguredException

from tests.support import people
from tests.support.asgi import serving
from year2026.app import create_app
from year2026.settings import Settings

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
PRIVATE = {
    "cache-control": "no-store",
    "pragma": "no-cache",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "content-security-policy": API_POLICY,
}
HSTS = {"strict-transport-security": "max-age=31536000"}
NAMES = (*PRIVATE, *HSTS)


def protections(response: httpx.Response) -> dict[str, str]:
    return {name: response.headers[name] for name in NAMES if name in response.headers}


async def test_token_and_personal_responses_are_never_stored(client: httpx.AsyncClient) -> None:
    email = people.unique_email()
    sign_up = await client.post(
        "/auth/sign-up",
        json={"email": email, "password": people.PASSWORD, "display_name": "Дана"},
    )
    sign_in = await client.post("/auth/sign-in", json={"email": email, "password": people.PASSWORD})
    tokens = sign_in.json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    refresh = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    answers = {
        "sign-up": sign_up,
        "sign-in": sign_in,
        "refresh": refresh,
        "me": await client.get("/me", headers=bearer),
        "me changed": await client.patch("/me", json={"display_name": "Дина"}, headers=bearer),
        "export": await client.get("/me/export", headers=bearer),
        "sessions": await client.get("/me/sessions", headers=bearer),
    }

    assert {name: answer.status_code for name, answer in answers.items()} == {
        "sign-up": 201,
        "sign-in": 200,
        "refresh": 200,
        "me": 200,
        "me changed": 200,
        "export": 200,
        "sessions": 200,
    }
    assert {name: protections(answer) for name, answer in answers.items()} == dict.fromkeys(
        answers, PRIVATE
    )


async def test_problems_and_unmatched_routes_carry_the_headers(client: httpx.AsyncClient) -> None:
    answers = {
        "unknown route": await client.get("/no/such/thing"),
        "wrong method": await client.delete("/regions"),
        "no token": await client.get("/me"),
        "bad token": await client.get("/me", headers={"Authorization": "Bearer nonsense"}),
        "unknown query": await client.get("/healthz?verbose=1"),
        "bad sign-in": await client.post(
            "/auth/sign-in", json={"email": "nobody@example.kz", "password": "wrong"}
        ),
        "options": await client.options("/me"),
    }

    assert {name: answer.status_code for name, answer in answers.items()} == {
        "unknown route": 404,
        "wrong method": 405,
        "no token": 401,
        "bad token": 401,
        "unknown query": 400,
        "bad sign-in": 401,
        "options": 204,
    }
    assert {name: protections(answer) for name, answer in answers.items()} == dict.fromkeys(
        answers, PRIVATE
    )


async def test_public_reference_data_says_it_may_be_cached(client: httpx.AsyncClient) -> None:
    public = {
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "content-security-policy": API_POLICY,
    }
    jwks = await client.get("/.well-known/jwks.json")
    regions = await client.get("/regions")

    assert (jwks.status_code, regions.status_code) == (200, 200)
    assert protections(jwks) == {"cache-control": "max-age=60, public", **public}
    assert protections(regions) == {"cache-control": "max-age=3600, public", **public}


@pytest.fixture
async def https_client(clean_state: Settings) -> AsyncIterator[httpx.AsyncClient]:
    settings = msgspec.structs.replace(clean_state, public_url="https://api.year2026.example.kz")
    async with serving(create_app(settings)) as http:
        yield http


async def test_https_public_address_adds_hsts_everywhere(
    https_client: httpx.AsyncClient,
) -> None:
    answers = [
        await https_client.get("/healthz"),
        await https_client.get("/no/such/thing"),
        await https_client.get("/me"),
    ]

    assert [answer.status_code for answer in answers] == [200, 404, 401]
    assert [protections(answer) for answer in answers] == [PRIVATE | HSTS] * 3


@get("/probe/cached", cache=60)
async def cached_probe() -> dict[str, str]:
    return {"cached": "yes"}


def test_server_side_response_cache_is_refused(clean_state: Settings) -> None:
    """Litestar's `cache=` would replay the first caller's whole response to the next one."""
    with pytest.raises(ImproperlyConfiguredException, match="replays stored responses"):
        create_app(clean_state, extra_route_handlers=[cached_probe])
