"""Small factories for people in tests: real sign-ups through the API, admins through the CLI's
service, and the headers that carry their access tokens."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from year2026.people import accounts

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


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


async def sign_up(
    client: httpx.AsyncClient, *, email: str | None = None, name: str = "Айгерім", **extra: Any
) -> SignedIn:
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


async def admin(client: httpx.AsyncClient) -> SignedIn:
    """A new admin (made as `year2026 create-admin` makes one), signed in through the API."""
    email = unique_email("admin")
    await accounts.create_admin(email=email, password=PASSWORD, display_name="Admin")
    return await sign_in(client, email)
