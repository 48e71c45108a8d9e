"""Roles: admins grant and revoke staff and admin; the last admin stays; `create-admin`."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from click.testing import Result

from tests.support import cli, people
from tests.support.asgi import serving
from tests.support.http import problem_of, token_roles
from tests.support.people import PASSWORD, SignedIn
from year2026.app import create_app
from year2026.people import accounts, roles
from year2026.people.cli_commands import PASSWORD_VARIABLE, create_admin
from year2026.people.enums import Role
from year2026.people.errors import LastAdmin, RoleRequired
from year2026.people.tables import RoleGrant
from year2026.settings import Settings


async def grant(
    api: httpx.AsyncClient, admin: SignedIn, person_id: uuid.UUID, role: str
) -> httpx.Response:
    return await api.post(
        f"/admin/people/{person_id}/roles", json={"role": role}, headers=admin.headers
    )


async def admin_ids() -> list[uuid.UUID]:
    rows = await RoleGrant.select(RoleGrant.person).where(RoleGrant.role == Role.ADMIN.value)
    return [row["person"] for row in rows]


async def test_grant_staff_shows_in_next_token(api: httpx.AsyncClient, settings: Settings) -> None:
    admin = await people.admin(settings)
    person = await people.signed_in_person(settings)
    response = await grant(api, admin, person.person_id, "staff")
    assert response.status_code == 200
    assert response.json() == {
        "id": str(person.person_id),
        "display_name": "Айгерім",
        "email": person.email,
        "roles": ["citizen", "staff"],
    }
    # the token in hand was issued before: it keeps its roles until it expires
    assert token_roles(person.access_token) == ["citizen"]
    refreshed = await api.post("/auth/refresh", json={"refresh_token": person.refresh_token})
    assert token_roles(refreshed.json()["access_token"]) == ["citizen", "staff"]
    signed_in = await people.sign_in(api, person.email)
    assert token_roles(signed_in.access_token) == ["citizen", "staff"]
    me = await api.get("/me", headers=signed_in.headers)
    assert me.json()["roles"] == ["citizen", "staff"]


async def test_grant_role_twice_keeps_one_grant(api: httpx.AsyncClient, settings: Settings) -> None:
    admin = await people.admin(settings)
    person = await people.signed_in_person(settings)
    first = await grant(api, admin, person.person_id, "admin")
    second = await grant(api, admin, person.person_id, "admin")
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["roles"] == ["admin", "citizen"]
    assert sorted(await admin_ids()) == sorted([admin.person_id, person.person_id])


async def test_grant_role_as_citizen_is_refused(api: httpx.AsyncClient, settings: Settings) -> None:
    citizen = await people.signed_in_person(settings)
    response = await grant(api, citizen, citizen.person_id, "admin")
    assert problem_of(response) == (403, "application/problem+json", "role-required")
    assert await admin_ids() == []


async def test_grant_role_without_token_is_unauthorized(api: httpx.AsyncClient) -> None:
    response = await api.post(f"/admin/people/{uuid.uuid4()}/roles", json={"role": "staff"})
    assert problem_of(response) == (401, "application/problem+json", "not-authenticated")


async def test_grant_role_citizen_or_organizer_is_refused(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    """Neither is offered by the schema (its enum is staff and admin), so both are refused as any
    value outside it is: a 400 naming the field."""
    admin = await people.admin(settings)
    person = await people.signed_in_person(settings)
    answers = [
        await grant(api, admin, person.person_id, role)
        for role in ("citizen", "organizer", "superuser")
    ]
    assert [problem_of(answer) for answer in answers] == [
        (400, "application/problem+json", "bad-request")
    ] * 3
    assert [[error["field"] for error in answer.json()["errors"]] for answer in answers] == [
        ["role"]
    ] * 3
    me = await api.get("/me", headers=person.headers)
    assert me.json()["roles"] == ["citizen"]


async def test_grant_role_unknown_person_is_not_found(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    response = await grant(api, admin, uuid.uuid4(), "staff")
    assert problem_of(response) == (404, "application/problem+json", "person-not-found")


async def test_revoke_role_takes_it_away(api: httpx.AsyncClient, settings: Settings) -> None:
    admin = await people.admin(settings)
    person = await people.signed_in_person(settings)
    await grant(api, admin, person.person_id, "staff")
    response = await api.delete(
        f"/admin/people/{person.person_id}/roles/staff", headers=admin.headers
    )
    assert response.status_code == 204
    again = await api.delete(f"/admin/people/{person.person_id}/roles/staff", headers=admin.headers)
    assert again.status_code == 204
    me = await api.get("/me", headers=person.headers)
    assert me.json()["roles"] == ["citizen"]


async def test_revoke_last_admin_is_conflict(api: httpx.AsyncClient, settings: Settings) -> None:
    admin = await people.admin(settings)
    response = await api.delete(
        f"/admin/people/{admin.person_id}/roles/admin", headers=admin.headers
    )
    assert problem_of(response) == (409, "application/problem+json", "last-admin")
    assert await admin_ids() == [admin.person_id]


async def test_revoke_own_admin_with_another_admin_left_succeeds(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    first = await people.admin(settings)
    second = await people.admin(settings)
    response = await api.delete(
        f"/admin/people/{first.person_id}/roles/admin", headers=first.headers
    )
    assert response.status_code == 204
    assert await admin_ids() == [second.person_id]


async def test_revoked_admin_is_refused_with_earlier_token(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    first = await people.admin(settings)
    second = await people.admin(settings)
    revoked = await api.delete(
        f"/admin/people/{second.person_id}/roles/admin", headers=first.headers
    )
    assert revoked.status_code == 204
    # the second admin's token still says admin, so the guard lets it through: the service asks
    # the database and refuses
    assert token_roles(second.access_token) == ["admin", "citizen"]
    answer = await grant(api, second, second.person_id, "admin")
    assert problem_of(answer) == (403, "application/problem+json", "role-required")
    organization = await api.post(
        "/organizations",
        json={"name_kk": "Ұйым", "name_ru": "Организация", "name_en": "Org", "kind": "other"},
        headers=second.headers,
    )
    assert problem_of(organization) == (403, "application/problem+json", "role-required")
    assert await admin_ids() == [first.person_id]


async def test_revoke_role_citizen_is_refused(api: httpx.AsyncClient, settings: Settings) -> None:
    admin = await people.admin(settings)
    response = await api.delete(
        f"/admin/people/{admin.person_id}/roles/citizen", headers=admin.headers
    )
    assert problem_of(response) == (400, "application/problem+json", "bad-request")
    me = await api.get("/me", headers=admin.headers)
    assert me.json()["roles"] == ["admin", "citizen"]


async def test_grant_role_service_still_refuses_citizen(clean_state: Settings) -> None:
    """The service keeps its own check, for callers other than the API."""
    admin = (await people.admin(clean_state)).person_id
    with pytest.raises(roles.RoleNotGrantable):
        await roles.grant_role(admin, admin, Role.CITIZEN)


async def test_revoke_admins_concurrently_leaves_one_admin(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    """The rush: two admins revoke each other at the same moment, several rounds.

    Without the lock, both transactions would count two admins (each reads before the other
    deletes), both would pass the last-admin check, and each would delete the other's grant:
    no admin left. `revoke_role` locks every admin grant FOR UPDATE before counting, so the second
    transaction waits, then sees only what the first left: its actor is no longer an admin
    (role-required) or the target is the last one (last-admin). Exactly one admin remains.
    Negative control, run by hand: with `FOR UPDATE` taken out of the query, the first round ends
    with both revocations succeeding (`[None, None]`) and no admin at all.
    """
    survivor = (await people.admin(settings)).person_id
    for _ in range(5):
        newcomer = (await people.admin(settings)).person_id
        outcomes = await asyncio.gather(
            roles.revoke_role(survivor, newcomer, Role.ADMIN),
            roles.revoke_role(newcomer, survivor, Role.ADMIN),
            return_exceptions=True,
        )
        refusals = [outcome for outcome in outcomes if outcome is not None]
        assert len(refusals) == 1, outcomes
        assert isinstance(refusals[0], RoleRequired | LastAdmin), outcomes
        remaining = await admin_ids()
        assert len(remaining) == 1
        survivor = remaining[0]


async def test_find_person_by_email_shows_roles(api: httpx.AsyncClient, settings: Settings) -> None:
    admin = await people.admin(settings)
    person = await people.signed_in_person(settings, name="Дана")
    found = await api.get(
        "/admin/people", params={"email": person.email.upper()}, headers=admin.headers
    )
    assert found.status_code == 200
    assert found.json() == {
        "id": str(person.person_id),
        "display_name": "Дана",
        "email": person.email,
        "roles": ["citizen"],
    }
    unknown = await api.get(
        "/admin/people", params={"email": "nobody@example.kz"}, headers=admin.headers
    )
    assert problem_of(unknown) == (404, "application/problem+json", "person-not-found")
    refused = await api.get("/admin/people", params={"email": admin.email}, headers=person.headers)
    assert problem_of(refused) == (403, "application/problem+json", "role-required")


def invoke_create_admin(
    settings: Settings, email: str, environment: dict[str, str | None], input_: str = ""
) -> Result:
    return cli.invoke(
        create_admin,
        settings,
        ["--email", email, "--name", "Бас әкімші"],
        extra_environment=environment,
        input_=input_,
    )


async def test_create_admin_command_makes_admin_who_can_sign_in(clean_state: Settings) -> None:
    email = people.unique_email("first-admin")
    # the command runs its own event loop (asyncio.run), as it does in a terminal: give it a
    # thread, and run it before the app opens its pool on this loop
    result = await asyncio.to_thread(
        invoke_create_admin, clean_state, email, {PASSWORD_VARIABLE: PASSWORD}
    )
    assert result.exit_code == 0, result.output
    person_id = uuid.UUID(result.output.strip())
    app = create_app(clean_state)
    async with serving(app) as api:
        admin = await people.sign_in(api, email)
        assert admin.person_id == person_id
        assert token_roles(admin.access_token) == ["admin", "citizen"]
        me = await api.get("/me", headers=admin.headers)
        assert me.json()["display_name"] == "Бас әкімші"


async def test_create_admin_command_prompts_for_password_twice(clean_state: Settings) -> None:
    email = people.unique_email("first-admin")
    answers = f"{PASSWORD}\n{PASSWORD}\n"
    result = await asyncio.to_thread(
        invoke_create_admin, clean_state, email, {PASSWORD_VARIABLE: None}, answers
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    person_id = uuid.UUID(result.output.strip().splitlines()[-1])
    assert await accounts.authenticate(email, PASSWORD) == person_id
    assert await admin_ids() == [person_id]


async def test_create_admin_command_weak_password_fails(clean_state: Settings) -> None:
    email = people.unique_email("first-admin")
    result = await asyncio.to_thread(
        invoke_create_admin, clean_state, email, {PASSWORD_VARIABLE: "short"}
    )
    assert result.exit_code == 1
    assert "characters" in result.output
    assert await admin_ids() == []
