"""Small factories for people in tests.

`signed_in_person` is the fast way: one INSERT and a session started by the app's own service
with its own signing keys, so no HTTP sign-up and no argon2 per person. `sign_up` and `sign_in`
go through the API, for the tests that are about signing up and in.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from year2026.auth import sessions
from year2026.i18n import Language
from year2026.people import queries
from year2026.people.enums import Region, Role
from year2026.people.passwords import hash_password
from year2026.people.tables import Person
from year2026.settings import Settings

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)
#: PASSWORD's argon2 hash, made once per test process and shared by every fast person (so that
#: they can still sign in over HTTP with PASSWORD)
_password_hashes: dict[str, str] = {}


@dataclass(frozen=True)
class SignedIn:
    person_id: uuid.UUID
    email: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(prefix: str = "person") -> str:
    return f"{prefix}{next(_numbers)}-{uuid.uuid4().hex[:6]}@example.kz"


async def _shared_password_hash() -> str:
    if PASSWORD not in _password_hashes:
        _password_hashes[PASSWORD] = await hash_password(PASSWORD)
    return _password_hashes[PASSWORD]


async def signed_in_person(
    settings: Settings,
    *,
    email: str | None = None,
    name: str = "Айгерім",
    roles: Iterable[Role] = (),
    preferred_language: Language = Language.KK,
    region: Region | None = None,
) -> SignedIn:
    """A new person with PASSWORD, granted `roles` (staff, admin), and a live session: its
    tokens are what a sign-in would give them (signed with the keys the app verifies with)."""
    person_id = uuid.uuid4()
    email = email or unique_email()
    await Person.insert(
        Person(
            id=person_id,
            email=email,
            display_name=name,
            preferred_language=preferred_language.value,
            region=region.value if region else None,
            password_hash=await _shared_password_hash(),
        )
    )
    for role in roles:
        await queries.grant_role_once(person_id, role)
    return await signed_in_again(settings, SignedIn(person_id, email, "", ""))


async def signed_in_again(settings: Settings, person: SignedIn) -> SignedIn:
    """A new session for `person`, as a sign-in would start: the token says their roles now."""
    issuer = sessions.TokenIssuer(settings)
    tokens = await sessions.start_session(issuer, person.person_id, "tests")
    return SignedIn(person.person_id, person.email, tokens.access_token, tokens.refresh_token)


async def admin(settings: Settings) -> SignedIn:
    """A new admin, as `year2026 create-admin` makes one (an account with the admin role)."""
    return await signed_in_person(settings, email=unique_email("admin"), roles=[Role.ADMIN])


async def sign_up(
    client: httpx.AsyncClient, *, email: str | None = None, name: str = "Айгерім", **extra: Any
) -> SignedIn:
    """Through the API: for tests about signing up (others use `signed_in_person`)."""
    email = email or unique_email()
    response = await client.post(
        "/auth/sign-up",
        json={"email": email, "password": PASSWORD, "display_name": name, **extra},
    )
    assert response.status_code == 201, response.text
    tokens = response.json()
    me = await client.get("/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200, me.text
    return SignedIn(
        person_id=uuid.UUID(me.json()["id"]),
        email=email,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )


async def sign_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> SignedIn:
    response = await client.post("/auth/sign-in", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    tokens = response.json()
    me = await client.get("/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    return SignedIn(
        person_id=uuid.UUID(me.json()["id"]),
        email=email,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )


async def signed_in_crowd(settings: Settings, count: int, name: str = "Қонақ") -> list[SignedIn]:
    """`count` new people inserted at once, each with a live session of their own whose token
    generation is already in Redis (as after a sign-in): for rushes of hundreds."""
    from year2026.redis import open_redis

    crowd = [(uuid.uuid4(), unique_email("guest")) for _ in range(count)]
    password_hash = await _shared_password_hash()
    rows = [
        Person(id=person_id, email=email, display_name=f"{name} {n}", password_hash=password_hash)
        for n, (person_id, email) in enumerate(crowd)
    ]
    for start in range(0, count, 500):
        await Person.insert(*rows[start : start + 500])
    issuer = sessions.TokenIssuer(settings)
    at_once = asyncio.Semaphore(8)
    redis = await open_redis(settings)

    async def session(person_id: uuid.UUID, email: str) -> SignedIn:
        async with at_once:
            tokens = await sessions.start_session(issuer, person_id, "tests", redis)
        return SignedIn(person_id, email, tokens.access_token, tokens.refresh_token)

    try:
        return list(await asyncio.gather(*(session(*person) for person in crowd)))
    finally:
        await redis.aclose()
