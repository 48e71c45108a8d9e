"""Refresh tokens rotate on every use; reuse revokes the family; sign-out, everywhere too."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import msgspec

from tests.support import people
from tests.support.asgi import serving
from tests.support.http import PROBLEM, problem_of
from tests.support.state import reset_state
from year2026.app import create_app
from year2026.auth import revocation
from year2026.people.tables import RefreshToken
from year2026.redis import open_redis
from year2026.settings import Settings


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/auth/refresh", json={"refresh_token": token})


async def test_refresh_rotates_the_token(client: httpx.AsyncClient) -> None:
    person = await people.sign_up(client)
    first = await refresh(client, person.refresh_token)
    assert first.status_code == 200
    pair = first.json()
    assert pair["refresh_token"] != person.refresh_token
    me = await client.get("/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.json()["id"] == str(person.person_id)
    second = await refresh(client, pair["refresh_token"])
    assert second.status_code == 200


async def test_refresh_tokens_are_stored_only_as_hashes(client: httpx.AsyncClient) -> None:
    person = await people.sign_up(client)
    rows = await RefreshToken.select(RefreshToken.token_hash)
    assert len(rows) == 1
    assert rows[0]["token_hash"] != person.refresh_token
    assert len(rows[0]["token_hash"]) == 64


async def test_reused_refresh_token_revokes_the_whole_family(client: httpx.AsyncClient) -> None:
    person = await people.sign_up(client)
    rotated = (await refresh(client, person.refresh_token)).json()["refresh_token"]
    # the spent token comes back (stolen copy): refused, and the family ends
    replay = await refresh(client, person.refresh_token)
    assert problem_of(replay) == (401, PROBLEM, "session-ended")
    # so the legitimate newest token no longer works either
    after = await refresh(client, rotated)
    assert after.status_code == 401
    # other sessions of the same person are untouched
    other = await people.sign_in(client, person.email)
    assert (await refresh(client, other.refresh_token)).status_code == 200


async def test_concurrent_refreshes_with_one_token_give_one_winner(
    client: httpx.AsyncClient,
) -> None:
    person = await people.sign_up(client)
    answers = await asyncio.gather(*(refresh(client, person.refresh_token) for _ in range(8)))
    statuses = sorted(answer.status_code for answer in answers)
    # the spend is one conditional UPDATE: exactly one request can win it
    assert statuses.count(200) == 1
    assert statuses.count(401) == 7


async def test_sign_out_ends_only_that_session(client: httpx.AsyncClient) -> None:
    person = await people.sign_up(client)
    other = await people.sign_in(client, person.email)
    response = await client.post("/auth/sign-out", json={"refresh_token": person.refresh_token})
    assert response.status_code == 204
    assert (await refresh(client, person.refresh_token)).status_code == 401
    assert (await refresh(client, other.refresh_token)).status_code == 200


async def test_sign_out_everywhere_ends_refresh_and_access_tokens(
    client: httpx.AsyncClient,
) -> None:
    person = await people.sign_up(client)
    other = await people.sign_in(client, person.email)
    stranger = await people.sign_up(client)
    response = await client.post("/auth/sign-out-everywhere", headers=person.headers)
    assert response.status_code == 204
    assert (await refresh(client, person.refresh_token)).status_code == 401
    assert (await refresh(client, other.refresh_token)).status_code == 401
    assert (await client.get("/me", headers=other.headers)).status_code == 401
    # someone else is not affected
    assert (await client.get("/me", headers=stranger.headers)).status_code == 200
    # signing in again at once works: generations are compared, not issue times in whole
    # seconds (which refused a token issued in the sign-out's second for its whole life)
    again = await people.sign_in(client, person.email)
    assert (await client.get("/me", headers=again.headers)).status_code == 200
    assert (await client.get("/me", headers=person.headers)).status_code == 401


async def test_sign_out_everywhere_survives_redis_losing_its_data(
    client: httpx.AsyncClient, clean_state: Settings
) -> None:
    person = await people.sign_up(client)
    assert (await client.get("/me", headers=person.headers)).status_code == 200  # now cached
    response = await client.post("/auth/sign-out-everywhere", headers=person.headers)
    assert response.status_code == 204
    # a Redis crash between two snapshots: everything it held is gone
    redis = await open_redis(clean_state)
    try:
        await redis.flushall()
    finally:
        await redis.aclose()
    answer = await client.get("/me", headers=person.headers)
    assert problem_of(answer) == (401, PROBLEM, "invalid-token")


async def test_revocation_is_checked_while_redis_is_down(
    client: httpx.AsyncClient, clean_state: Settings, tmp_path: Path
) -> None:
    person = await people.sign_up(client)
    revoked = await people.sign_in(client, person.email)
    await client.post("/auth/sign-out-everywhere", headers=revoked.headers)
    live = await people.sign_in(client, person.email)
    nowhere = msgspec.structs.replace(clean_state, redis_url=f"unix://{tmp_path}/none.sock")
    async with serving(create_app(nowhere)) as without_redis:
        # the database answers what the cache cannot: the live token works, the revoked one not
        assert (await without_redis.get("/me", headers=live.headers)).status_code == 200
        answer = await without_redis.get("/me", headers=revoked.headers)
        assert problem_of(answer)[::2] == (401, "invalid-token")


async def test_refresh_racing_sign_out_everywhere_leaves_nothing_usable(
    client: httpx.AsyncClient,
) -> None:
    """Without the person's row locked by both (the refresh share-locks it before spending), a
    refresh that read the tokens before the sign-out's revocation could insert a fresh refresh
    token after it, escaping "sign out everywhere"; whichever order the two take, nothing the
    person held before the sign-out, or got from the racing refresh, works afterwards."""
    person = await people.sign_up(client)
    for _ in range(10):
        session = await people.sign_in(client, person.email)
        refreshed, signed_out = await asyncio.gather(
            refresh(client, session.refresh_token),
            client.post("/auth/sign-out-everywhere", headers=session.headers),
        )
        assert signed_out.status_code == 204
        if refreshed.status_code == 200:  # the refresh went first: its results are revoked too
            pair = refreshed.json()
            assert (await refresh(client, pair["refresh_token"])).status_code == 401
            bearer = {"Authorization": f"Bearer {pair['access_token']}"}
            assert (await client.get("/me", headers=bearer)).status_code == 401
        else:
            assert refreshed.status_code == 401
        assert (await client.get("/me", headers=session.headers)).status_code == 401


async def test_live_sessions_are_listed(client: httpx.AsyncClient) -> None:
    person = await people.sign_up(client)
    await people.sign_in(client, person.email)
    response = await client.get("/me/sessions", headers=person.headers)
    assert response.status_code == 200
    assert len(response.json()) == 2


async def test_sign_in_is_rate_limited_per_account(client: httpx.AsyncClient) -> None:
    person = await people.sign_up(client)
    statuses = []
    for _ in range(11):
        answer = await client.post(
            "/auth/sign-in", json={"email": person.email, "password": "wrong password!"}
        )
        statuses.append(answer.status_code)
    assert statuses == [401] * 10 + [429]
    assert int(answer.headers["retry-after"]) > 0
    assert problem_of(answer) == (429, PROBLEM, "rate-limited")
    # even the right password waits now: the account is the thing protected
    blocked = await client.post(
        "/auth/sign-in", json={"email": person.email, "password": people.PASSWORD}
    )
    assert blocked.status_code == 429


async def test_sign_up_is_rate_limited_per_address(client: httpx.AsyncClient) -> None:
    statuses = []
    for n in range(31):
        answer = await client.post(
            "/auth/sign-up",
            # a password equal to the email: refused by the service, after the limit counted it
            json={"email": f"a{n}@example.kz", "password": f"a{n}@example.kz", "display_name": "A"},
        )
        statuses.append(answer.status_code)
    assert statuses == [422] * 30 + [429]


async def sign_up_statuses(client: httpx.AsyncClient, forwarded_for: list[str]) -> list[int]:
    statuses = []
    for n, address in enumerate(forwarded_for):
        answer = await client.post(
            "/auth/sign-up",
            json={"email": f"x{n}@example.kz", "password": f"x{n}@example.kz", "display_name": "X"},
            headers={"X-Forwarded-For": address},
        )
        statuses.append(answer.status_code)
    return statuses


async def test_forwarded_address_is_believed_only_from_a_trusted_proxy(
    clean_state: Settings,
) -> None:
    strict = msgspec.structs.replace(clean_state, auth_rate_per_address=2)
    # the ASGI test client connects from 127.0.0.1: untrusted, a spoofed header changes nothing
    async with serving(create_app(strict)) as client:
        spoofed = await sign_up_statuses(client, ["10.0.0.1", "10.0.0.2", "10.0.0.3"])
    assert spoofed == [422, 422, 429]
    await reset_state(clean_state)
    behind_proxy = msgspec.structs.replace(strict, trusted_proxies="127.0.0.1")
    async with serving(create_app(behind_proxy)) as client:
        forwarded = await sign_up_statuses(client, ["10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.1"])
    assert forwarded == [422, 422, 422, 429]  # each real client has a budget of its own


async def test_sign_in_caches_the_token_generation_for_the_first_request(
    client: httpx.AsyncClient, clean_state: Settings
) -> None:
    person = await people.sign_up(client)
    redis = await open_redis(clean_state)
    try:
        await redis.flushall()
        signed_in = await client.post(
            "/auth/sign-in", json={"email": person.email, "password": people.PASSWORD}
        )
        assert signed_in.status_code == 200
        cached = await redis.get(revocation.cache_key(person.person_id))
    finally:
        await redis.aclose()
    assert cached == b"0"
