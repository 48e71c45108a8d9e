"""Sign-in limits that stop guessing without letting a stranger lock the owner out.

The app trusts the test client as its proxy, so X-Forwarded-For picks the address each request
comes from. Budgets are small to keep argon2 verifications few: 3 wrong passwords per account and
address, 5 per account from unknown addresses together.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import httpx
import msgspec
import pytest
from arq.connections import ArqRedis

from tests.support.asgi import serving
from tests.support.people import PASSWORD, unique_email
from year2026.app import create_app
from year2026.redis import open_redis
from year2026.settings import Settings

HOME = "203.0.113.10"
OFFICE = "203.0.113.20"
TRAVEL = "198.51.100.30"
STRANGER = "192.0.2.66"
WRONG = "not the password at all"


@pytest.fixture
async def limited(clean_state: Settings) -> AsyncIterator[httpx.AsyncClient]:
    settings = msgspec.structs.replace(
        clean_state,
        trusted_proxies="127.0.0.1",
        auth_rate_per_account=3,
        auth_rate_account_ceiling=5,
    )
    async with serving(create_app(settings)) as client:
        yield client


@pytest.fixture
async def redis(clean_state: Settings) -> AsyncIterator[ArqRedis]:
    client = await open_redis(clean_state)
    yield client
    await client.aclose()


async def sign_up_from(client: httpx.AsyncClient, address: str) -> str:
    email = unique_email("owner")
    answer = await client.post(
        "/auth/sign-up",
        json={"email": email, "password": PASSWORD, "display_name": "Айгерім"},
        headers={"X-Forwarded-For": address},
    )
    assert answer.status_code == 201, answer.text
    return email


async def sign_in_from(
    client: httpx.AsyncClient, address: str, email: str, password: str = PASSWORD
) -> int:
    answer = await client.post(
        "/auth/sign-in",
        json={"email": email, "password": password},
        headers={"X-Forwarded-For": address},
    )
    return answer.status_code


async def guesses_from(client: httpx.AsyncClient, addresses: list[str], email: str) -> list[int]:
    return [await sign_in_from(client, address, email, WRONG) for address in addresses]


async def test_a_strangers_wrong_passwords_do_not_lock_the_owner_out(
    limited: httpx.AsyncClient,
) -> None:
    email = await sign_up_from(limited, HOME)

    assert await guesses_from(limited, [STRANGER] * 4, email) == [401, 401, 401, 429]
    # the stranger has spent only their own budget: the owner signs in from anywhere else
    assert await sign_in_from(limited, TRAVEL, email) == 200
    assert await sign_in_from(limited, HOME, email) == 200
    # and the stranger stays refused, even with the right password
    assert await sign_in_from(limited, STRANGER, email) == 429


async def test_the_ceiling_stops_guessing_spread_over_many_addresses(
    limited: httpx.AsyncClient,
) -> None:
    email = await sign_up_from(limited, HOME)
    strangers = [f"192.0.2.{n}" for n in range(1, 8)]

    assert await guesses_from(limited, strangers, email) == [401] * 5 + [429] * 2
    # from an address without a history, the right password waits for the ceiling too
    answer = await limited.post(
        "/auth/sign-in",
        json={"email": email, "password": PASSWORD},
        headers={"X-Forwarded-For": TRAVEL, "Accept-Language": "en"},
    )
    assert answer.status_code == 429
    assert answer.json()["code"] == "rate-limited"
    assert 3500 < int(answer.headers["retry-after"]) <= 3600  # the ceiling's window is an hour


async def test_an_address_the_owner_signed_in_from_passes_the_ceiling(
    limited: httpx.AsyncClient,
) -> None:
    email = await sign_up_from(limited, HOME)
    assert await sign_in_from(limited, OFFICE, email) == 200
    strangers = [f"192.0.2.{n}" for n in range(1, 7)]
    assert await guesses_from(limited, strangers, email) == [401] * 5 + [429]

    # the addresses it was signed up and signed in from are let through
    assert await sign_in_from(limited, HOME, email) == 200
    assert await sign_in_from(limited, OFFICE, email) == 200
    assert await sign_in_from(limited, TRAVEL, email) == 429


async def test_a_known_address_still_has_its_own_budget(limited: httpx.AsyncClient) -> None:
    email = await sign_up_from(limited, HOME)

    assert await guesses_from(limited, [HOME] * 3, email) == [401] * 3
    assert await sign_in_from(limited, HOME, email) == 429


async def test_a_right_password_resets_its_address_budget(limited: httpx.AsyncClient) -> None:
    email = await sign_up_from(limited, HOME)
    assert await guesses_from(limited, [TRAVEL] * 2, email) == [401, 401]
    assert await guesses_from(limited, [STRANGER] * 2, email) == [401, 401]

    assert await sign_in_from(limited, TRAVEL, email) == 200

    # TRAVEL's typos are forgiven; STRANGER's two failures still count
    assert await guesses_from(limited, [TRAVEL] * 4, email) == [401, 401, 401, 429]
    assert await guesses_from(limited, [STRANGER] * 2, email) == [401, 429]


async def test_a_right_password_is_not_counted_against_the_ceiling(
    limited: httpx.AsyncClient,
) -> None:
    email = await sign_up_from(limited, HOME)
    for n in range(1, 5):
        assert await sign_in_from(limited, f"198.51.100.{n}", email) == 200

    # four sign-ins from new addresses took nothing: the ceiling still holds all five failures
    strangers = [f"192.0.2.{n}" for n in range(1, 7)]
    assert await guesses_from(limited, strangers, email) == [401] * 5 + [429]


async def test_a_burst_of_guesses_at_once_gets_exactly_the_budget(
    limited: httpx.AsyncClient,
) -> None:
    # Counted before the password is checked: had failures been counted after verification,
    # all twelve would have passed the check while the first argon2 verifications ran.
    email = await sign_up_from(limited, HOME)

    statuses = await asyncio.gather(
        *(sign_in_from(limited, STRANGER, email, WRONG) for _ in range(12))
    )

    assert sorted(statuses) == [401] * 3 + [429] * 9


async def test_known_addresses_are_hashed_and_expire(
    limited: httpx.AsyncClient, redis: ArqRedis
) -> None:
    email = await sign_up_from(limited, HOME)

    names = [name.decode() async for name in redis.scan_iter(match="year2026:known-addresses:*")]

    assert len(names) == 1
    assert re.fullmatch(r"year2026:known-addresses:[0-9a-f]{32}", names[0])
    members = [member.decode() for member in await redis.zrange(names[0], 0, -1)]
    assert len(members) == 1
    assert re.fullmatch(r"[0-9a-f]{32}", members[0])
    assert email not in names[0]
    assert 29 * 86400 < await redis.ttl(names[0]) <= 30 * 86400


async def test_erasing_the_person_forgets_their_addresses(
    limited: httpx.AsyncClient, redis: ArqRedis
) -> None:
    email = await sign_up_from(limited, HOME)
    answer = await limited.post(
        "/auth/sign-in",
        json={"email": email, "password": PASSWORD},
        headers={"X-Forwarded-For": OFFICE},
    )
    token = answer.json()["access_token"]
    pattern = "year2026:known-addresses:*"
    assert len([name async for name in redis.scan_iter(match=pattern)]) == 1

    erased = await limited.delete("/me", headers={"Authorization": f"Bearer {token}"})

    assert erased.status_code == 204
    assert [name async for name in redis.scan_iter(match=pattern)] == []
