"""Sign-up, sign-in, the person's own data, export and erasure, through the API."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from tests.support import people
from tests.support.http import PROBLEM, problem_of
from year2026.people import accounts
from year2026.people.tables import OidcIdentity, Person, RefreshToken
from year2026.settings import Settings


async def test_sign_up_returns_tokens_and_a_citizen(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/auth/sign-up",
        json={
            "email": "Aigerim@Example.KZ",
            "password": people.PASSWORD,
            "display_name": "Айгерім",
            "preferred_language": "kk",
            "region": "astana",
        },
    )
    assert response.status_code == 201
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 15 * 60
    me = await client.get("/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    body = me.json()
    assert body["email"] == "Aigerim@example.kz"
    assert body["roles"] == ["citizen"]
    assert body["region"] == "astana"
    assert body["has_password"] is True
    stored = await Person.select(Person.password_hash).where(Person.id == uuid.UUID(body["id"]))
    assert stored[0]["password_hash"].startswith("$argon2id$")


async def test_sign_up_email_is_unique_case_insensitively(client: httpx.AsyncClient) -> None:
    await people.sign_up(client, email="dana@example.kz")
    response = await client.post(
        "/auth/sign-up",
        json={"email": "DANA@Example.kz", "password": people.PASSWORD, "display_name": "Dana"},
        headers={"Accept-Language": "ru"},
    )
    assert problem_of(response) == (409, PROBLEM, "email-taken")
    assert response.json()["detail"] == "Аккаунт с этой почтой уже есть. Попробуйте войти."
    assert await Person.count() == 1


@pytest.mark.parametrize(
    ("password", "status", "code"),
    [("short", 400, "bad-request"), ("DANA@example.kz ", 422, "weak-password")],
)
async def test_sign_up_refuses_a_weak_password(
    client: httpx.AsyncClient, password: str, status: int, code: str
) -> None:
    response = await client.post(
        "/auth/sign-up",
        json={"email": "dana@example.kz", "password": password, "display_name": "Dana"},
    )
    assert problem_of(response) == (status, PROBLEM, code)
    assert await Person.count() == 0


async def test_sign_in_with_any_email_case(client: httpx.AsyncClient) -> None:
    person = await people.sign_up(client, email="erlan@example.kz")
    signed_in = await people.sign_in(client, "ERLAN@EXAMPLE.KZ")
    assert signed_in.person_id == person.person_id


async def test_sign_in_says_the_same_for_unknown_email_and_wrong_password(
    client: httpx.AsyncClient,
) -> None:
    await people.sign_up(client, email="erlan@example.kz")
    wrong_password = await client.post(
        "/auth/sign-in", json={"email": "erlan@example.kz", "password": "not the password"}
    )
    unknown_email = await client.post(
        "/auth/sign-in", json={"email": "nobody@example.kz", "password": "not the password"}
    )
    assert wrong_password.status_code == unknown_email.status_code == 401
    first, second = wrong_password.json(), unknown_email.json()
    assert (first["code"], first["title"], first["detail"]) == (
        second["code"],
        second["title"],
        second["detail"],
    )
    assert first["code"] == "invalid-credentials"


async def test_sign_in_takes_as_long_for_unknown_email_as_for_wrong_password(
    client: httpx.AsyncClient,
) -> None:
    """Both verify an argon2 hash (a decoy for unknown emails), so timing tells nothing."""
    await people.sign_up(client, email="erlan@example.kz")

    async def timed(email: str) -> float:
        started = time.perf_counter()
        await client.post("/auth/sign-in", json={"email": email, "password": "wrong password!"})
        return time.perf_counter() - started

    known = sorted([await timed("erlan@example.kz") for _ in range(3)])[1]
    unknown = sorted([await timed(f"nobody{n}@example.kz") for n in range(3)])[1]
    # an unknown email without the decoy would answer in ~1 ms against ~50 ms or more
    assert unknown > known / 3


async def test_me_requires_a_valid_token(client: httpx.AsyncClient) -> None:
    missing = await client.get("/me")
    assert problem_of(missing) == (401, PROBLEM, "not-authenticated")
    garbage = await client.get("/me", headers={"Authorization": "Bearer not.a.token"})
    assert problem_of(garbage) == (401, PROBLEM, "invalid-token")
    wrong_scheme = await client.get("/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert wrong_scheme.status_code == 401


async def test_patch_me_changes_only_what_is_sent(client: httpx.AsyncClient) -> None:
    person = await people.sign_up(client, region="almaty")
    response = await client.patch(
        "/me",
        headers=person.headers,
        json={"preferred_language": "ru", "birth_year": 1990, "gender": "female"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["preferred_language"], body["birth_year"], body["gender"]) == (
        "ru",
        1990,
        "female",
    )
    assert body["region"] == "almaty"
    cleared = await client.patch("/me", headers=person.headers, json={"region": None})
    assert cleared.json()["region"] is None
    refused = await client.patch("/me", headers=person.headers, json={"email": "x@example.kz"})
    assert refused.status_code == 400


async def test_export_holds_everything_about_me(client: httpx.AsyncClient) -> None:
    person = await people.sign_up(client, email="asel@example.kz", name="Асель")
    response = await client.get("/me/export", headers=person.headers)
    assert response.status_code == 200
    exported = response.json()
    assert exported["person"]["email"] == "asel@example.kz"
    assert exported["person"]["display_name"] == "Асель"
    assert len(exported["sessions"]) == 1  # the session that sign-up started
    assert "password_hash" not in response.text
    assert "token_hash" not in response.text


async def test_delete_me_erases_and_signs_out(client: httpx.AsyncClient) -> None:
    person = await people.sign_up(client, email="bolat@example.kz", name="Болат", region="shymkent")
    await client.patch("/me", headers=person.headers, json={"birth_year": 1985, "gender": "male"})
    response = await client.delete("/me", headers=person.headers)
    assert response.status_code == 204
    row = (await Person.select().where(Person.id == person.person_id))[0]
    assert row["email"] is None
    assert row["display_name"] == ""
    assert row["password_hash"] is None
    assert row["erased_at"] is not None
    # the statistics-only fields stay, so counts do not change
    assert (row["region"], row["birth_year"], row["gender"]) == ("shymkent", 1985, "male")
    assert await RefreshToken.count().where(RefreshToken.person == person.person_id) == 0
    assert await OidcIdentity.count().where(OidcIdentity.person == person.person_id) == 0
    # the access token in hand no longer works, the refresh token neither, the email is free
    assert (await client.get("/me", headers=person.headers)).status_code == 401
    refreshed = await client.post("/auth/refresh", json={"refresh_token": person.refresh_token})
    assert refreshed.status_code == 401
    again = await people.sign_up(client, email="bolat@example.kz")
    assert again.person_id != person.person_id


async def test_jwks_endpoint_publishes_public_keys(client: httpx.AsyncClient) -> None:
    response = await client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    keys = response.json()["keys"]
    assert len(keys) >= 1
    assert {key["kty"] for key in keys} == {"EC"}
    assert all("d" not in key for key in keys)


async def test_concurrent_first_sign_ins_of_one_identity_make_one_person(
    client: httpx.AsyncClient,
) -> None:
    async def first_sign_in() -> uuid.UUID:
        return await accounts.sign_in_with_provider(
            issuer="https://idp.egov.kz",
            subject="870101300123",
            email="saule@example.kz",
            email_verified=True,
            name="Сәуле",
        )

    person_ids = await asyncio.gather(*(first_sign_in() for _ in range(6)))
    assert len(set(person_ids)) == 1
    assert await OidcIdentity.count() == 1
    assert await Person.count() == 1


async def test_the_last_admin_cannot_erase_themselves(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    only_admin = await people.admin(settings)
    refused = await client.delete("/me", headers=only_admin.headers)
    assert problem_of(refused) == (409, PROBLEM, "last-admin")
    assert (await client.get("/me", headers=only_admin.headers)).status_code == 200
    await people.admin(settings)  # with a second admin, the first may go
    assert (await client.delete("/me", headers=only_admin.headers)).status_code == 204


async def test_regions_are_the_fixed_list_with_three_names(client: httpx.AsyncClient) -> None:
    response = await client.get("/regions")
    assert response.status_code == 200
    regions = response.json()
    assert len(regions) == 20
    assert sorted(r["code"] for r in regions if r["is_city"]) == ["almaty", "astana", "shymkent"]
    astana = next(r for r in regions if r["code"] == "astana")
    assert (astana["name_kk"], astana["name_ru"], astana["name_en"]) == (
        "Астана қаласы",
        "город Астана",
        "Astana",
    )
    assert all(r["name_kk"] and r["name_ru"] and r["name_en"] for r in regions)
