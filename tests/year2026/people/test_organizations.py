"""Organizations: admins create them and manage members; a member acts only for their own."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import people
from tests.support.http import problem_of, token_roles
from tests.support.people import SignedIn

ASTANA_HUB = {
    "name_kk": "Astana Hub халықаралық технопаркі",
    "name_ru": "Международный технопарк Astana Hub",
    "name_en": "Astana Hub International Technopark",
    "kind": "tech-park",
    "region": "astana",
    "website": "https://astanahub.com",
}


async def create_organization(
    api: httpx.AsyncClient, admin: SignedIn, **fields: Any
) -> dict[str, Any]:
    body = {**ASTANA_HUB, "name_en": f"Org {uuid.uuid4().hex[:8]}", **fields}
    response = await api.post("/organizations", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def add_member(
    api: httpx.AsyncClient, admin: SignedIn, organization_id: str, email: str
) -> httpx.Response:
    return await api.post(
        f"/organizations/{organization_id}/members", json={"email": email}, headers=admin.headers
    )


async def member_of(api: httpx.AsyncClient, admin: SignedIn, organization_id: str) -> SignedIn:
    """A new person, added to the organization, signed in again so the token says organizer."""
    person = await people.sign_up(api, name="Ерлан")
    assert (await add_member(api, admin, organization_id, person.email)).status_code == 201
    return await people.sign_in(api, person.email)


async def test_create_organization_by_admin_keeps_three_languages(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    response = await api.post("/organizations", json=ASTANA_HUB, headers=admin.headers)
    assert response.status_code == 201
    created = response.json()
    assert {name: created[name] for name in ASTANA_HUB} == ASTANA_HUB
    shown = await api.get(f"/organizations/{created['id']}")
    assert shown.status_code == 200
    assert shown.json() == created


async def test_add_member_by_admin_lets_them_see_colleagues(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    person = await people.sign_up(api, name="Ерлан", region="astana")
    private = {"birth_year": 1990, "gender": "male"}
    assert (await api.patch("/me", json=private, headers=person.headers)).status_code == 200
    response = await add_member(api, admin, organization["id"], person.email)
    assert response.status_code == 201
    added = response.json()
    assert (added["person_id"], added["display_name"], added["email"]) == (
        str(person.person_id),
        "Ерлан",
        person.email,
    )
    members = await api.get(f"/organizations/{organization['id']}/members", headers=person.headers)
    assert members.status_code == 200
    # what colleagues see: no birth year, gender or region
    assert members.json() == [added]
    me = (await api.get("/me", headers=person.headers)).json()
    assert [org["id"] for org in me["organizations"]] == [organization["id"]]
    assert me["roles"] == ["citizen", "organizer"]


async def test_create_organization_as_citizen_is_refused(api: httpx.AsyncClient) -> None:
    citizen = await people.sign_up(api)
    response = await api.post("/organizations", json=ASTANA_HUB, headers=citizen.headers)
    assert problem_of(response) == (403, "application/problem+json", "role-required")
    assert (await api.get("/organizations")).json() == []


async def test_create_organization_without_token_is_unauthorized(api: httpx.AsyncClient) -> None:
    response = await api.post("/organizations", json=ASTANA_HUB)
    assert problem_of(response) == (401, "application/problem+json", "not-authenticated")


async def test_update_organization_by_member_changes_given_fields(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    member = await member_of(api, admin, organization["id"])
    response = await api.patch(
        f"/organizations/{organization['id']}",
        json={"website": "https://hub.kz", "region": None},
        headers=member.headers,
    )
    assert response.status_code == 200
    assert response.json() == {**organization, "website": "https://hub.kz", "region": None}


async def test_member_of_another_organization_is_refused(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    mine = await create_organization(api, admin, name_en="Alem AI")
    theirs = await create_organization(api, admin, name_en="Akimat of Almaty", kind="akimat")
    member = await member_of(api, admin, mine["id"])
    assert token_roles(member.access_token) == ["citizen", "organizer"]

    update = await api.patch(
        f"/organizations/{theirs['id']}", json={"name_en": "Taken over"}, headers=member.headers
    )
    assert problem_of(update) == (403, "application/problem+json", "not-a-member")
    listing = await api.get(f"/organizations/{theirs['id']}/members", headers=member.headers)
    assert problem_of(listing) == (403, "application/problem+json", "not-a-member")
    assert (await api.get(f"/organizations/{theirs['id']}")).json() == theirs
    # and the same person may act for their own organization
    own = await api.get(f"/organizations/{mine['id']}/members", headers=member.headers)
    assert own.status_code == 200


async def test_citizen_without_membership_cannot_update(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    citizen = await people.sign_up(api)
    response = await api.patch(
        f"/organizations/{organization['id']}", json={"name_en": "Mine"}, headers=citizen.headers
    )
    assert problem_of(response) == (403, "application/problem+json", "not-a-member")


async def test_admin_without_membership_may_update_and_list(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    update = await api.patch(
        f"/organizations/{organization['id']}", json={"kind": "agency"}, headers=admin.headers
    )
    assert update.json()["kind"] == "agency"
    members = await api.get(f"/organizations/{organization['id']}/members", headers=admin.headers)
    assert members.json() == []


async def test_removed_member_is_refused_with_earlier_token(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    member = await member_of(api, admin, organization["id"])
    assert token_roles(member.access_token) == ["citizen", "organizer"]
    removal = await api.delete(
        f"/organizations/{organization['id']}/members/{member.person_id}", headers=admin.headers
    )
    assert removal.status_code == 204
    # the token was issued while they were a member (it still says organizer): the service asks
    # the database, not the token
    update = await api.patch(
        f"/organizations/{organization['id']}",
        json={"name_en": "Still mine"},
        headers=member.headers,
    )
    assert problem_of(update) == (403, "application/problem+json", "not-a-member")
    listing = await api.get(f"/organizations/{organization['id']}/members", headers=member.headers)
    assert problem_of(listing) == (403, "application/problem+json", "not-a-member")


async def test_add_member_twice_is_conflict(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    person = await people.sign_up(api)
    assert (await add_member(api, admin, organization["id"], person.email)).status_code == 201
    again = await add_member(api, admin, organization["id"], person.email.upper())
    assert problem_of(again) == (409, "application/problem+json", "already-member")


async def test_add_member_unknown_email_is_not_found(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    response = await add_member(api, admin, organization["id"], "nobody@example.kz")
    assert problem_of(response) == (404, "application/problem+json", "person-not-found")


async def test_add_member_erased_person_is_not_found(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    person = await people.sign_up(api)
    assert (await api.delete("/me", headers=person.headers)).status_code == 204
    response = await add_member(api, admin, organization["id"], person.email)
    assert problem_of(response) == (404, "application/problem+json", "person-not-found")


async def test_add_member_as_citizen_is_refused(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    citizen = await people.sign_up(api)
    response = await add_member(api, citizen, organization["id"], citizen.email)
    assert problem_of(response) == (403, "application/problem+json", "role-required")


async def test_add_member_by_organizer_is_refused(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    member = await member_of(api, admin, organization["id"])
    newcomer = await people.sign_up(api)
    response = await add_member(api, member, organization["id"], newcomer.email)
    assert problem_of(response) == (403, "application/problem+json", "role-required")


async def test_remove_member_not_a_member_is_not_found(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    stranger = await people.sign_up(api)
    response = await api.delete(
        f"/organizations/{organization['id']}/members/{stranger.person_id}", headers=admin.headers
    )
    assert problem_of(response) == (404, "application/problem+json", "membership-not-found")


async def test_unknown_organization_is_not_found(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    unknown = f"/organizations/{uuid.uuid4()}"
    answers = [
        await api.get(unknown),
        await api.patch(unknown, json={"name_en": "Ghost"}, headers=admin.headers),
        await api.get(f"{unknown}/members", headers=admin.headers),
        await add_member(api, admin, unknown.rsplit("/", 1)[1], admin.email),
        await api.delete(f"{unknown}/members/{admin.person_id}", headers=admin.headers),
    ]
    assert [problem_of(answer) for answer in answers] == [
        (404, "application/problem+json", "organization-not-found")
    ] * 5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"founded": 2024}, "founded"),
        ({"kind": "bank"}, "kind"),
        ({"website": "astanahub.com"}, "website"),
        ({"name_en": " "}, "name_en"),
    ],
    ids=["unknown-field", "bad-kind", "bad-website", "blank-name"],
)
async def test_create_organization_invalid_body_is_bad_request(
    api: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    admin = await people.admin(api)
    response = await api.post(
        "/organizations", json={**ASTANA_HUB, **change}, headers=admin.headers
    )
    assert problem_of(response) == (400, "application/problem+json", "bad-request")
    assert field in response.json()["errors"][0]["message"] + response.json()["errors"][0]["field"]
    assert (await api.get("/organizations")).json() == []


async def test_update_organization_invalid_body_is_bad_request(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    response = await api.patch(
        f"/organizations/{organization['id']}", json={"kind": "bank"}, headers=admin.headers
    )
    assert problem_of(response) == (400, "application/problem+json", "bad-request")


async def test_list_organizations_pages_by_english_name(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    for name in ["Karaganda University", "Alem AI", "Ministry of Digital Development"]:
        await create_organization(api, admin, name_en=name)
    first = (await api.get("/organizations", params={"limit": 2})).json()
    second = (await api.get("/organizations", params={"limit": 2, "after": first[-1]["id"]})).json()
    assert [org["name_en"] for org in first + second] == [
        "Alem AI",
        "Karaganda University",
        "Ministry of Digital Development",
    ]


async def test_list_organizations_limit_out_of_range_is_bad_request(
    api: httpx.AsyncClient,
) -> None:
    response = await api.get("/organizations", params={"limit": 1000})
    assert problem_of(response) == (400, "application/problem+json", "bad-request")


async def test_list_members_pages_in_the_order_they_joined(api: httpx.AsyncClient) -> None:
    admin = await people.admin(api)
    organization = await create_organization(api, admin)
    joined = [await member_of(api, admin, organization["id"]) for _ in range(3)]
    path = f"/organizations/{organization['id']}/members"
    first = (await api.get(path, params={"limit": 2}, headers=admin.headers)).json()
    after = first[-1]["person_id"]
    second = await api.get(path, params={"limit": 2, "after": after}, headers=admin.headers)
    listed = [member["person_id"] for member in first + second.json()]
    assert listed == [str(person.person_id) for person in joined]
