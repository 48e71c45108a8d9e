"""Organizations: admins create them and manage members; a member acts only for their own."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import httpx
import msgspec
import pytest

from tests.support import people
from tests.support.http import problem_of, token_roles
from tests.support.people import SignedIn
from tests.support.statements import counting_statements
from year2026.people.enums import Region
from year2026.settings import Settings

#: an empty listing: no items, no next page
NO_ITEMS: dict[str, Any] = {"items": [], "next_cursor": None}
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


async def member_of(
    api: httpx.AsyncClient, settings: Settings, admin: SignedIn, organization_id: str
) -> SignedIn:
    """A new person, added to the organization, signed in again so the token says organizer."""
    person = await people.signed_in_person(settings, name="Ерлан")
    assert (await add_member(api, admin, organization_id, person.email)).status_code == 201
    return await people.signed_in_again(settings, person)


async def test_create_organization_by_admin_keeps_three_languages(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    response = await api.post("/organizations", json=ASTANA_HUB, headers=admin.headers)
    assert response.status_code == 201
    created = response.json()
    assert {name: created[name] for name in ASTANA_HUB} == ASTANA_HUB
    shown = await api.get(f"/organizations/{created['id']}")
    assert shown.status_code == 200
    assert shown.json() == created


async def test_add_member_by_admin_lets_them_see_colleagues(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    person = await people.signed_in_person(settings, name="Ерлан", region=Region.ASTANA)
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
    assert members.json() == {"items": [added], "next_cursor": None}
    me = (await api.get("/me", headers=person.headers)).json()
    assert [org["id"] for org in me["organizations"]] == [organization["id"]]
    assert me["roles"] == ["citizen", "organizer"]


async def test_create_organization_as_citizen_is_refused(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    citizen = await people.signed_in_person(settings)
    response = await api.post("/organizations", json=ASTANA_HUB, headers=citizen.headers)
    assert problem_of(response) == (403, "application/problem+json", "role-required")
    assert (await api.get("/organizations")).json() == NO_ITEMS


async def test_create_organization_without_token_is_unauthorized(api: httpx.AsyncClient) -> None:
    response = await api.post("/organizations", json=ASTANA_HUB)
    assert problem_of(response) == (401, "application/problem+json", "not-authenticated")


async def test_update_organization_by_member_changes_given_fields(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    member = await member_of(api, settings, admin, organization["id"])
    response = await api.patch(
        f"/organizations/{organization['id']}",
        json={"website": "https://hub.kz", "region": None},
        headers=member.headers,
    )
    assert response.status_code == 200
    assert response.json() == {**organization, "website": "https://hub.kz", "region": None}


async def test_member_of_another_organization_is_refused(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    mine = await create_organization(api, admin, name_en="Alem AI")
    theirs = await create_organization(api, admin, name_en="Akimat of Almaty", kind="akimat")
    member = await member_of(api, settings, admin, mine["id"])
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


async def test_citizen_without_membership_cannot_update(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    citizen = await people.signed_in_person(settings)
    response = await api.patch(
        f"/organizations/{organization['id']}", json={"name_en": "Mine"}, headers=citizen.headers
    )
    assert problem_of(response) == (403, "application/problem+json", "not-a-member")


async def test_admin_without_membership_may_update_and_list(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    update = await api.patch(
        f"/organizations/{organization['id']}", json={"kind": "agency"}, headers=admin.headers
    )
    assert update.json()["kind"] == "agency"
    members = await api.get(f"/organizations/{organization['id']}/members", headers=admin.headers)
    assert members.json() == NO_ITEMS


async def test_removed_member_is_refused_with_earlier_token(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    member = await member_of(api, settings, admin, organization["id"])
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


async def test_add_member_twice_is_conflict(api: httpx.AsyncClient, settings: Settings) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    person = await people.signed_in_person(settings)
    assert (await add_member(api, admin, organization["id"], person.email)).status_code == 201
    again = await add_member(api, admin, organization["id"], person.email.upper())
    assert problem_of(again) == (409, "application/problem+json", "already-member")


async def test_add_member_unknown_email_is_not_found(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    response = await add_member(api, admin, organization["id"], "nobody@example.kz")
    assert problem_of(response) == (404, "application/problem+json", "person-not-found")


async def test_add_member_erased_person_is_not_found(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    person = await people.signed_in_person(settings)
    assert (await api.delete("/me", headers=person.headers)).status_code == 204
    response = await add_member(api, admin, organization["id"], person.email)
    assert problem_of(response) == (404, "application/problem+json", "person-not-found")


async def test_add_member_as_citizen_is_refused(api: httpx.AsyncClient, settings: Settings) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    citizen = await people.signed_in_person(settings)
    response = await add_member(api, citizen, organization["id"], citizen.email)
    assert problem_of(response) == (403, "application/problem+json", "role-required")


async def test_add_member_by_organizer_is_refused(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    member = await member_of(api, settings, admin, organization["id"])
    newcomer = await people.signed_in_person(settings)
    response = await add_member(api, member, organization["id"], newcomer.email)
    assert problem_of(response) == (403, "application/problem+json", "role-required")


async def test_remove_member_not_a_member_is_not_found(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    stranger = await people.signed_in_person(settings)
    response = await api.delete(
        f"/organizations/{organization['id']}/members/{stranger.person_id}", headers=admin.headers
    )
    assert problem_of(response) == (404, "application/problem+json", "membership-not-found")


async def test_unknown_organization_is_not_found(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
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
    api: httpx.AsyncClient, change: dict[str, Any], field: str, settings: Settings
) -> None:
    admin = await people.admin(settings)
    response = await api.post(
        "/organizations", json={**ASTANA_HUB, **change}, headers=admin.headers
    )
    assert problem_of(response) == (400, "application/problem+json", "bad-request")
    assert field in response.json()["errors"][0]["message"] + response.json()["errors"][0]["field"]
    assert (await api.get("/organizations")).json() == NO_ITEMS


async def test_update_organization_invalid_body_is_bad_request(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    response = await api.patch(
        f"/organizations/{organization['id']}", json={"kind": "bank"}, headers=admin.headers
    )
    assert problem_of(response) == (400, "application/problem+json", "bad-request")


async def pages(
    api: httpx.AsyncClient, path: str, limit: int, headers: dict[str, str] | None = None
) -> list[list[dict[str, Any]]]:
    """Every page of a listing, following `next_cursor` until the last page."""
    found: list[list[dict[str, Any]]] = []
    params: dict[str, Any] = {"limit": limit}
    while True:
        response = await api.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next_cursor"}
        found.append(body["items"])
        if body["next_cursor"] is None:
            return found
        params = {"limit": limit, "cursor": body["next_cursor"]}
        assert len(found) < 100, "the listing does not end"


async def test_list_organizations_pages_by_english_name(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    names = [
        "Karaganda University",
        "Alem AI",
        "Ministry of Digital Development",
        "Akimat",
        "QazAI",
    ]
    for name in names:
        await create_organization(api, admin, name_en=name)
    listed = await pages(api, "/organizations", limit=2)
    assert [[org["name_en"] for org in page] for page in listed] == [
        ["Akimat", "Alem AI"],
        ["Karaganda University", "Ministry of Digital Development"],
        ["QazAI"],
    ]


async def test_list_organizations_same_names_page_by_id(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    created = [await create_organization(api, admin, name_en="Astana Hub") for _ in range(4)]
    listed = await pages(api, "/organizations", limit=1)
    assert [[org["id"] for org in page] for page in listed] == [
        [org_id] for org_id in sorted(org["id"] for org in created)
    ]


async def test_list_organizations_cursor_survives_a_renamed_last_row(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    """The cursor keeps the position it was given: renaming the page's last organization neither
    ends the listing nor skips the organizations after it (the old cursor, an id, was looked up
    again and took the new name's position: here, past the end)."""
    admin = await people.admin(settings)
    for name in ["Alem AI", "Astana Hub", "Karaganda University"]:
        await create_organization(api, admin, name_en=name)
    first = (await api.get("/organizations", params={"limit": 1})).json()
    assert [org["name_en"] for org in first["items"]] == ["Alem AI"]
    renamed = await api.patch(
        f"/organizations/{first['items'][0]['id']}",
        json={"name_en": "Zhetisu AI"},
        headers=admin.headers,
    )
    assert renamed.status_code == 200
    rest = await api.get("/organizations", params={"limit": 2, "cursor": first["next_cursor"]})
    assert [org["name_en"] for org in rest.json()["items"]] == [
        "Astana Hub",
        "Karaganda University",
    ]


async def test_list_organizations_limit_out_of_range_is_bad_request(
    api: httpx.AsyncClient,
) -> None:
    response = await api.get("/organizations", params={"limit": 1000})
    assert problem_of(response) == (400, "application/problem+json", "bad-request")


async def test_list_members_pages_in_the_order_they_joined(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    joined = [await member_of(api, settings, admin, organization["id"]) for _ in range(5)]
    path = f"/organizations/{organization['id']}/members"
    listed = await pages(api, path, limit=2, headers=admin.headers)
    assert [len(page) for page in listed] == [2, 2, 1]
    assert [member["person_id"] for page in listed for member in page] == [
        str(person.person_id) for person in joined
    ]


async def test_list_members_removed_member_as_cursor_does_not_end_the_listing(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    """The cursor carries the last member's place (when they joined, their id), not a reference
    to look up: with that member removed, the listing goes on after them. (The old cursor, the
    member's person id, found no membership and ended the listing with an empty page.)"""
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    joined = [await member_of(api, settings, admin, organization["id"]) for _ in range(3)]
    path = f"/organizations/{organization['id']}/members"
    first = (await api.get(path, params={"limit": 1}, headers=admin.headers)).json()
    assert [member["person_id"] for member in first["items"]] == [str(joined[0].person_id)]
    removal = await api.delete(f"{path}/{joined[0].person_id}", headers=admin.headers)
    assert removal.status_code == 204
    rest = await api.get(path, params={"cursor": first["next_cursor"]}, headers=admin.headers)
    assert rest.status_code == 200
    assert [member["person_id"] for member in rest.json()["items"]] == [
        str(person.person_id) for person in joined[1:]
    ]
    assert rest.json()["next_cursor"] is None


def forged(*values: object) -> str:
    """A cursor as a client that read ours could make one: base64url of a MessagePack array."""
    return base64.urlsafe_b64encode(msgspec.msgpack.encode(values)).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        forged("not a cursor"),
        "A",  # not even base64
        forged(1, "organizations", "Alem AI"),
        forged(1, "organizations", "Alem AI", str(uuid.uuid4()), 7),
        forged(1, "organizations", "Alem AI", "not a uuid"),
        forged(1, "organizations", 42, str(uuid.uuid4())),
        forged(2, "organizations", "Alem AI", str(uuid.uuid4())),
        forged(1, "members", "2026-01-01T00:00:00Z", str(uuid.uuid4())),
    ],
    ids=[
        "garbage",
        "not-base64",
        "too-few-fields",
        "too-many-fields",
        "id-not-a-uuid",
        "name-not-a-string",
        "unknown-version",
        "another-listing",
    ],
)
async def test_list_organizations_foreign_cursor_is_bad_request(
    api: httpx.AsyncClient, cursor: str
) -> None:
    response = await api.get("/organizations", params={"cursor": cursor})
    assert problem_of(response) == (400, "application/problem+json", "invalid-cursor")


async def test_list_organizations_invalid_cursor_speaks_the_callers_language(
    api: httpx.AsyncClient,
) -> None:
    answers = [
        (await api.get("/organizations", params={"cursor": "AAAA"}, headers=language)).json()
        for language in ({"Accept-Language": "ru"}, {"Accept-Language": "en"}, {})
    ]
    assert [(answer["code"], answer["detail"]) for answer in answers] == [
        ("invalid-cursor", "Недействительный курсор страницы. Откройте список с начала."),
        ("invalid-cursor", "The page cursor is not valid. Open the list from its start."),
        ("invalid-cursor", "Бет курсоры жарамсыз. Тізімді басынан ашыңыз."),
    ]


@pytest.mark.parametrize(
    "params",
    [{"cursor": ""}, {"cursor": "a+b/c="}, {"cursor": "A" * 2000}, {"after": str(uuid.uuid4())}],
    ids=["empty", "not-base64url", "too-long", "old-after-parameter"],
)
async def test_list_organizations_malformed_cursor_parameter_is_bad_request(
    api: httpx.AsyncClient, params: dict[str, str]
) -> None:
    response = await api.get("/organizations", params=params)
    assert problem_of(response) == (400, "application/problem+json", "bad-request")


async def test_list_members_cursor_of_the_organizations_listing_is_bad_request(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    for name in ["Alem AI", "Astana Hub"]:
        organization = await create_organization(api, admin, name_en=name)
    cursor = (await api.get("/organizations", params={"limit": 1})).json()["next_cursor"]
    response = await api.get(
        f"/organizations/{organization['id']}/members",
        params={"cursor": cursor},
        headers=admin.headers,
    )
    assert problem_of(response) == (400, "application/problem+json", "invalid-cursor")


async def test_listings_are_documented_as_pages_with_a_bounded_cursor(
    api: httpx.AsyncClient,
) -> None:
    schema = (await api.get("/schema/openapi.json")).json()
    for path, page in [
        ("/organizations", "OrganizationPage"),
        ("/organizations/{organization_id}/members", "MemberPage"),
    ]:
        operation = schema["paths"][path]["get"]
        content = operation["responses"]["200"]["content"]["application/json"]
        assert content["schema"] == {"$ref": f"#/components/schemas/{page}"}
        cursor = next(p for p in operation["parameters"] if p["name"] == "cursor")
        assert (cursor["in"], cursor["required"]) == ("query", False)
        bounds = cursor["schema"]
        assert bounds["oneOf"] == [{"type": "string"}, {"type": "null"}]
        assert (bounds["minLength"], bounds["pattern"]) == (1, "^[A-Za-z0-9_-]+$")
        assert 0 < bounds["maxLength"] <= 1200
    assert schema["components"]["schemas"]["OrganizationPage"]["properties"] == {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Organization"}},
        "next_cursor": {"oneOf": [{"type": "string"}, {"type": "null"}]},
    }


@pytest.mark.parametrize("count", [1, 3])
async def test_list_organizations_sends_one_statement(
    api: httpx.AsyncClient, settings: Settings, count: int
) -> None:
    admin = await people.admin(settings)
    for number in range(count):
        await create_organization(api, admin, name_en=f"Org {number}")
    with counting_statements() as statements:
        response = await api.get("/organizations")
    assert len(response.json()["items"]) == count
    assert statements.value == 1


@pytest.mark.parametrize("count", [1, 3])
async def test_list_members_statements_do_not_grow_with_the_page(
    api: httpx.AsyncClient, settings: Settings, count: int
) -> None:
    """The same statements at 1 and at 3 members: the organization, the caller's membership,
    and the page (an admin who is not a member: their roles too)."""
    admin = await people.admin(settings)
    organization = await create_organization(api, admin)
    for _ in range(count):
        await member_of(api, settings, admin, organization["id"])
    path = f"/organizations/{organization['id']}/members"
    with counting_statements() as statements:
        response = await api.get(path, headers=admin.headers)
    assert len(response.json()["items"]) == count
    assert statements.value == 4
