"""The catalogue's courses over HTTP: create, change, publish and archive with whole bodies, the
refusals (bad fields, a slug taken, another provider, the workflow), prerequisites and their
cycles, who sees drafts, the seat pools a status change brings along, and the audit."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import organizers, people
from tests.support.catalogue import course_body, create_course, publish_course
from tests.support.http import assert_problem
from tests.support.organizers import Organizer
from year2026 import seats
from year2026.audit_tables import AuditEntry
from year2026.settings import Settings


def _record_of(body: dict[str, Any], created: dict[str, Any], **server: Any) -> dict[str, Any]:
    """What the provider's record of `body` must be: every field sent, the defaults, and the
    server's own fields as `created` says (checked separately)."""
    sent = {name: value for name, value in body.items() if name != "organization_id"}
    return {
        "id": created["id"],
        "organization_id": body["organization_id"],
        "status": "draft",
        "title_kk": "",
        "title_ru": "",
        "title_en": "",
        "summary_kk": "",
        "summary_ru": "",
        "summary_en": "",
        "description_kk": "",
        "description_ru": "",
        "description_en": "",
        "duration_hours": 0,
        "prerequisite_ids": [],
        "rule_version": 1,
        "created_at": created["created_at"],
        "updated_at": created["updated_at"],
        "published_at": None,
        **sent,
        **server,
    }


# --- create, change, publish, archive -------------------------------------------------------


async def test_created_course_is_a_draft_with_every_field_sent(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    body = course_body(
        provider.organization_id,
        description_ru="Подробное описание.",
        audiences=["teachers", "students", "teachers"],
        languages=["kk", "ru", "en"],
        format="cohort-online",
    )
    response = await client.post("/courses", json=body, headers=provider.headers)

    assert response.status_code == 201, response.text
    created = response.json()
    assert created == _record_of(body, created, audiences=["teachers", "students"])
    assert created["created_at"] == created["updated_at"]
    assert (
        await client.get(f"/courses/{created['id']}/structure", headers=provider.headers)
    ).json() == {
        "course": created,
        "modules": [],
    }


async def test_patch_changes_only_the_fields_sent(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider)

    response = await client.patch(
        f"/courses/{course['slug']}",
        json={"title_en": "  AI for everyone  ", "level": "advanced", "duration_hours": 30},
        headers=provider.headers,
    )

    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed == {
        **course,
        "title_en": "AI for everyone",
        "level": "advanced",
        "duration_hours": 30,
        "updated_at": changed["updated_at"],
    }
    assert changed["updated_at"] > course["updated_at"]
    # a change that changes nothing writes nothing
    again = await client.patch(
        f"/courses/{course['id']}", json={"level": "advanced"}, headers=provider.headers
    )
    assert again.json() == changed


async def test_publish_then_archive_follow_the_workflow_and_its_pools(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider, format="self-paced")
    course_id = uuid.UUID(course["id"])
    assert await seats.pool_row(course_id) is None

    published = await publish_course(client, provider, course)
    assert published == {
        **course,
        "status": "published",
        "updated_at": published["updated_at"],
        "published_at": published["updated_at"],
    }
    pool = await seats.pool_row(course_id)
    assert pool is not None
    assert pool["open"] is True
    # publishing again changes nothing
    assert await publish_course(client, provider, course) == published

    response = await client.post(f"/courses/{course['id']}/archive", headers=provider.headers)
    assert response.status_code == 200, response.text
    archived = response.json()
    assert archived == {**published, "status": "archived", "updated_at": archived["updated_at"]}
    closed = await seats.pool_row(course_id)
    assert closed is not None
    assert closed["open"] is False


@pytest.mark.parametrize(
    ("status", "move"),
    [("draft", "archive"), ("archived", "publish")],
)
async def test_workflow_refuses_other_moves_with_409(
    client: httpx.AsyncClient, provider: Organizer, status: str, move: str
) -> None:
    course = await create_course(client, provider)
    if status == "archived":
        await publish_course(client, provider, course)
        await client.post(f"/courses/{course['id']}/archive", headers=provider.headers)

    response = await client.post(
        f"/courses/{course['id']}/{move}", headers={**provider.headers, "Accept-Language": "en"}
    )

    body = assert_problem(response, 409, "course-status-change-refused")
    assert body["detail"] == f"This cannot be done to a course that is {status}."
    shown = await client.get(f"/courses/{course['id']}/structure", headers=provider.headers)
    assert shown.json()["course"]["status"] == status


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"title_kk": "", "title_ru": " ", "title_en": ""}, "title_kk", "course-title-required"),
        ({"audiences": []}, "audiences", "course-choice-required"),
        ({"languages": []}, "languages", "course-choice-required"),
        (
            {"prerequisite_ids": [str(uuid.uuid4())]},
            "prerequisite_ids",
            "course-prerequisite-not-available",
        ),
    ],
)
async def test_bad_course_fields_are_422_naming_the_field(
    client: httpx.AsyncClient,
    provider: Organizer,
    changes: dict[str, Any],
    field: str,
    code: str,
) -> None:
    response = await client.post(
        "/courses", json=course_body(provider.organization_id, **changes), headers=provider.headers
    )

    body = assert_problem(response, 422, code)
    assert [error["field"] for error in body["errors"]] == [field]
    listed = await client.get(
        "/courses",
        params={"status": "draft", "organization": str(provider.organization_id)},
        headers=provider.headers,
    )
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "Not A Slug"}, "slug"),
        ({"level": "expert"}, "level"),
        ({"audiences": ["aliens"]}, "audiences"),
        ({"duration_hours": -1}, "duration_hours"),
        ({"colour": "blue"}, "colour"),
    ],
)
async def test_malformed_course_fields_are_400_naming_the_field(
    client: httpx.AsyncClient, provider: Organizer, changes: dict[str, Any], field: str
) -> None:
    response = await client.post(
        "/courses", json=course_body(provider.organization_id, **changes), headers=provider.headers
    )

    body = assert_problem(response, 400)
    assert field in " ".join(error["field"] + error["message"] for error in body["errors"])


async def test_slug_taken_is_409_on_create_and_on_change(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    first = await create_course(client, provider, slug="ai-basics")
    second = await create_course(client, provider, slug="ai-advanced")

    created = await client.post(
        "/courses",
        json=course_body(provider.organization_id, slug="ai-basics"),
        headers=provider.headers,
    )
    changed = await client.patch(
        f"/courses/{second['id']}", json={"slug": "ai-basics"}, headers=provider.headers
    )

    for response in (created, changed):
        body = assert_problem(response, 409, "course-slug-taken")
        assert [error["field"] for error in body["errors"]] == ["slug"]
    shown = await client.get(f"/courses/{second['id']}/structure", headers=provider.headers)
    assert shown.json()["course"]["slug"] == "ai-advanced"
    assert first["slug"] == "ai-basics"


async def test_another_providers_member_is_refused_and_drafts_are_not_found(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    other = await organizers.organizer(settings, await organizers.organization("Other"))
    draft = await create_course(client, provider)
    published = await publish_course(client, provider, await create_course(client, provider))

    assert_problem(
        await client.post(
            "/courses", json=course_body(provider.organization_id), headers=other.headers
        ),
        403,
        "not-a-member",
    )
    assert_problem(
        await client.patch(
            f"/courses/{published['id']}", json={"title_en": "Mine"}, headers=other.headers
        ),
        403,
        "not-a-member",
    )
    assert_problem(
        await client.post(f"/courses/{published['id']}/archive", headers=other.headers),
        403,
        "not-a-member",
    )
    assert_problem(
        await client.get(f"/courses/{published['id']}/structure", headers=other.headers),
        403,
        "not-a-member",
    )
    for response in (
        await client.patch(
            f"/courses/{draft['id']}", json={"title_en": "x"}, headers=other.headers
        ),
        await client.post(f"/courses/{draft['id']}/publish", headers=other.headers),
        await client.get(f"/courses/{draft['id']}/structure", headers=other.headers),
        await client.get(f"/courses/{draft['id']}", headers=other.headers),
        await client.get(f"/courses/{draft['slug']}"),
    ):
        assert_problem(response, 404, "course-not-found")
    assert_problem(await client.patch(f"/courses/{draft['id']}", json={}), 401)
    assert_problem(
        await client.post("/courses", json=course_body(uuid.uuid4()), headers=provider.headers),
        404,
        "organization-not-found",
    )


async def test_draft_page_is_seen_by_its_provider_and_admins(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    draft = await create_course(client, provider)
    admin = await people.admin(settings)

    for headers in (provider.headers, admin.headers):
        response = await client.get(f"/courses/{draft['slug']}", headers=headers)
        assert (response.status_code, response.json()["status"]) == (200, "draft")
    changed = await client.patch(
        f"/courses/{draft['id']}", json={"summary_ru": "Кратко."}, headers=admin.headers
    )
    assert changed.json()["summary_ru"] == "Кратко."


# --- prerequisites --------------------------------------------------------------------------


async def test_prerequisites_are_public_courses_or_the_providers_own(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    other = await organizers.organizer(settings, await organizers.organization("Other"))
    others_draft = await create_course(client, other)
    others_public = await publish_course(client, other, await create_course(client, other))
    own_draft = await create_course(client, provider)

    refused = await client.post(
        "/courses",
        json=course_body(provider.organization_id, prerequisite_ids=[others_draft["id"]]),
        headers=provider.headers,
    )
    assert_problem(refused, 422, "course-prerequisite-not-available")
    wanted = sorted([others_public["id"], own_draft["id"]])
    made = await create_course(client, provider, prerequisite_ids=[*wanted, wanted[0]])
    assert made["prerequisite_ids"] == wanted

    # taken away again by a change, and the page names what is left
    changed = await client.patch(
        f"/courses/{made['id']}",
        json={"prerequisite_ids": [others_public["id"]]},
        headers=provider.headers,
    )
    assert changed.json()["prerequisite_ids"] == [others_public["id"]]
    page = await client.get(
        f"/courses/{made['id']}", headers=provider.headers, params={"lang": "en"}
    )
    assert page.json()["prerequisites"] == [
        {
            "id": others_public["id"],
            "slug": others_public["slug"],
            "title": {"text": others_public["title_en"], "language": "en"},
        }
    ]


async def test_prerequisite_cycles_are_refused(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    first = await create_course(client, provider)
    second = await create_course(client, provider, prerequisite_ids=[first["id"]])
    third = await create_course(client, provider, prerequisite_ids=[second["id"]])

    for course, prerequisite in ((first, third), (first, second), (first, first)):
        response = await client.patch(
            f"/courses/{course['id']}",
            json={"prerequisite_ids": [prerequisite["id"]]},
            headers=provider.headers,
        )
        body = assert_problem(response, 422, "course-prerequisite-cycle")
        assert [error["field"] for error in body["errors"]] == ["prerequisite_ids"]
    shown = await client.get(f"/courses/{first['id']}/structure", headers=provider.headers)
    assert shown.json()["course"]["prerequisite_ids"] == []


# --- audit ----------------------------------------------------------------------------------


async def test_every_course_change_is_audited_with_its_actor(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await create_course(client, provider)
    await client.patch(
        f"/courses/{course['id']}", json={"title_en": "New"}, headers=provider.headers
    )
    await publish_course(client, provider, course)
    await client.post(f"/courses/{course['id']}/archive", headers=provider.headers)

    entries = (
        await AuditEntry.select(AuditEntry.actor, AuditEntry.action, AuditEntry.after)
        .where(AuditEntry.object_id == course["id"])
        .order_by(AuditEntry.id)
    )
    actor = provider.person.person_id
    assert [(entry["action"], entry["actor"]) for entry in entries] == [
        ("course.create", actor),
        ("course.update", actor),
        ("course.publish", actor),
        ("course.archive", actor),
    ]
    assert entries[1]["after"] == '{"title_en": "New"}'
