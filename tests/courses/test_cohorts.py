"""Cohorts over HTTP: made, changed and cancelled by their provider with their seat pools in step,
the public page of one, and their instructors."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from courses.enums import CourseFormat, CourseStatus
from courses.tables import Enrolment
from tests.support import courses, organizers, people
from tests.support.cohorts import audit_actions, create_class, create_cohort, post_cohort
from tests.support.http import assert_problem
from tests.support.organizers import Organizer
from year2026 import seats
from year2026.people.enums import Region
from year2026.seats_enums import ClaimStatus
from year2026.settings import Settings

ALMATY_MARCH_1 = dt.datetime(2027, 3, 1, 5, 0, tzinfo=dt.UTC)  # 10:00 in Almaty (UTC+5)


def as_recorded(body: dict[str, Any], course: courses.CourseData, **changes: Any) -> dict[str, Any]:
    """The provider's record of a cohort made from `cohort_body`, with `changes`."""
    return {
        "id": body["id"],
        "course_id": str(course.id),
        "status": "scheduled",
        "time_zone": "Asia/Almaty",
        "starts_at": "2027-03-01T10:00:00+05:00",
        "ends_at": "2027-05-31T18:00:00+05:00",
        "region": None,
        "venue_name_kk": "",
        "venue_name_ru": "",
        "venue_name_en": "",
        "venue_address_kk": "",
        "venue_address_ru": "",
        "venue_address_en": "",
        "online_url": "https://meet.example.kz/ai-basics",
        "capacity": 25,
        "waitlist": True,
        "enrolment_opens_at": None,
        "enrolment_closes_at": None,
        "sequence": 0,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        **changes,
    }


async def test_a_provider_adds_an_online_cohort_in_wall_clock_time_with_its_seats(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await courses.a_course(provider.organization_id)
    body = await create_cohort(client, provider, course, enrolment_closes_at="2027-02-25T18:00:00")

    assert body == as_recorded(body, course, enrolment_closes_at="2027-02-25T18:00:00+05:00")
    pool = await seats.pool_row(uuid.UUID(body["id"]))
    assert pool is not None
    assert (pool["capacity"], pool["waitlist"], pool["open"], pool["closes_at"]) == (
        25,
        True,
        True,
        dt.datetime(2027, 2, 25, 13, 0, tzinfo=dt.UTC),
    )
    assert await audit_actions(body["id"]) == ["cohort.create"]


async def test_an_in_person_cohort_has_its_region_and_venue(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.IN_PERSON)
    body = await create_cohort(
        client,
        provider,
        course,
        online_url="",
        region="almaty",
        venue_name_en="  Astana Hub, hall 2 ",
        starts_at="2027-03-01T05:00:00Z",
    )
    assert body == as_recorded(
        body, course, online_url="", region="almaty", venue_name_en="Astana Hub, hall 2"
    )


@pytest.mark.parametrize(
    ("course_format", "changes", "code", "field"),
    [
        (
            CourseFormat.COHORT_ONLINE,
            {"ends_at": "2027-03-01T09:00:00"},
            "cohort-ends-before-start",
            "ends_at",
        ),
        (
            CourseFormat.COHORT_ONLINE,
            {"ends_at": "2028-06-01T09:00:00"},
            "cohort-too-long",
            "ends_at",
        ),
        (
            CourseFormat.COHORT_ONLINE,
            {"time_zone": "Asia/Nowhere"},
            "unknown-time-zone",
            "time_zone",
        ),
        (CourseFormat.COHORT_ONLINE, {"region": "almaty"}, "cohort-online-has-no-region", "region"),
        (
            CourseFormat.COHORT_ONLINE,
            {"online_url": ""},
            "cohort-online-link-required",
            "online_url",
        ),
        (CourseFormat.IN_PERSON, {}, "cohort-region-required", "region"),
        (
            CourseFormat.COHORT_ONLINE,
            {
                "enrolment_opens_at": "2027-02-10T09:00:00",
                "enrolment_closes_at": "2027-02-01T09:00:00",
            },
            "cohort-enrolment-window-backwards",
            "enrolment_closes_at",
        ),
    ],
)
async def test_bad_cohort_fields_are_refused_naming_the_field(
    client: httpx.AsyncClient,
    provider: Organizer,
    course_format: CourseFormat,
    changes: dict[str, Any],
    code: str,
    field: str,
) -> None:
    course = await courses.a_course(provider.organization_id, format=course_format)
    problem = assert_problem(await post_cohort(client, provider, course, **changes), 422, code)
    assert [error["field"] for error in problem["errors"]] == [field]


async def test_a_self_paced_course_has_no_cohorts(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    assert_problem(
        await post_cohort(client, provider, course), 409, "course-self-paced-has-no-cohorts"
    )


async def test_only_the_provider_adds_and_changes_cohorts(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    draft = await courses.a_course(provider.organization_id, status=CourseStatus.DRAFT)
    cohort = await courses.a_cohort(course)
    stranger = await organizers.organizer(settings)
    assert_problem(await post_cohort(client, stranger, course), 403, "not-a-member")
    assert_problem(await post_cohort(client, stranger, draft), 404, "course-not-found")
    missing = courses.CourseData({**course.row, "slug": "no-such-course"}, [], [])
    assert_problem(await post_cohort(client, provider, missing), 404, "course-not-found")
    assert_problem(await client.post(f"/courses/{course.slug}/cohorts", json={}), 401)
    path = f"/cohorts/{cohort['id']}"
    for response in (
        await client.patch(path, json={"capacity": 5}, headers=stranger.headers),
        await client.post(path + "/cancel", headers=stranger.headers),
        await client.get(path + "/record", headers=stranger.headers),
    ):
        assert_problem(response, 403, "not-a-member")
    unknown = f"/cohorts/{uuid.uuid4()}"
    assert_problem(
        await client.patch(unknown, json={"capacity": 5}, headers=provider.headers),
        404,
        "cohort-not-found",
    )
    assert_problem(await client.get(unknown), 404, "cohort-not-found")
    boss = await people.admin(settings)
    response = await client.patch(path, json={"capacity": 5}, headers=boss.headers)
    assert response.status_code == 200, response.text


async def test_changing_a_cohort_raises_its_sequence_only_for_what_calendars_show(
    client: httpx.AsyncClient, provider: Organizer
) -> None:
    course = await courses.a_course(provider.organization_id)
    created = await create_cohort(client, provider, course)
    path = f"/cohorts/{created['id']}"

    seats_only = await client.patch(
        path, json={"capacity": 40, "waitlist": False}, headers=provider.headers
    )
    assert seats_only.status_code == 200, seats_only.text
    body = seats_only.json()
    assert body == as_recorded(
        created, course, capacity=40, waitlist=False, updated_at=body["updated_at"]
    )
    moved = await client.patch(
        path,
        json={"starts_at": "2027-03-02T14:00:00", "venue_name_ru": "Зал 1", "capacity": None},
        headers=provider.headers,
    )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body == as_recorded(
        created,
        course,
        starts_at="2027-03-02T14:00:00+05:00",
        venue_name_ru="Зал 1",
        capacity=None,
        waitlist=False,
        sequence=1,
        updated_at=body["updated_at"],
    )
    unchanged = await client.patch(path, json={"capacity": None}, headers=provider.headers)
    assert unchanged.json() == body
    pool = await seats.pool_row(uuid.UUID(created["id"]))
    assert pool is not None
    assert (pool["capacity"], pool["waitlist"]) == (None, False)
    assert await audit_actions(created["id"]) == ["cohort.create", "cohort.update", "cohort.update"]
    record = await client.get(path + "/record", headers=provider.headers)
    assert record.json() == body


async def fill(
    settings: Settings, course: courses.CourseData, cohort: dict[str, Any], count: int
) -> list[seats.Claim]:
    """`count` people enrolled in the cohort, one after another (so in this order)."""
    claims = []
    for _ in range(count):
        learner = await people.signed_in_person(settings)
        claims.append(await courses.an_enrolment(learner.person_id, course, cohort["id"]))
    return claims


async def statuses(claims: list[seats.Claim]) -> list[ClaimStatus]:
    found = []
    for claim in claims:
        now = await seats.get_claim(claim.id)
        assert now is not None
        found.append(now.status)
    return found


async def test_more_seats_go_at_once_to_the_first_people_waiting_in_order(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=2)
    claims = await fill(settings, course, cohort, 5)
    confirmed, waitlisted = ClaimStatus.CONFIRMED, ClaimStatus.WAITLISTED
    assert await statuses(claims) == [confirmed, confirmed, waitlisted, waitlisted, waitlisted]

    response = await client.patch(
        f"/cohorts/{cohort['id']}", json={"capacity": 4}, headers=provider.headers
    )

    assert response.status_code == 200, response.text
    assert await statuses(claims) == [confirmed, confirmed, confirmed, confirmed, waitlisted]
    pool = await seats.pool_row(cohort["id"])
    assert pool is not None
    assert (pool["taken"], pool["waitlisted"]) == (4, 1)
    page = await client.get(f"/cohorts/{cohort['id']}")
    assert page.json()["seats"] == {
        "capacity": 4,
        "left": 0,
        "waitlisted": 1,
        "open": True,
        "waitlist": True,
        "opens_at": None,
        "closes_at": "2027-02-01T05:00:00Z",
    }


async def test_fewer_seats_than_are_held_is_refused_naming_capacity(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=3)
    await fill(settings, course, cohort, 2)

    response = await client.patch(
        f"/cohorts/{cohort['id']}",
        json={"capacity": 1, "venue_name_en": "Elsewhere"},
        headers=provider.headers,
    )

    problem = assert_problem(response, 409, "cohort-capacity-below-enrolled")
    assert [error["field"] for error in problem["errors"]] == ["capacity"]
    assert problem["params"] == {"taken": 2}
    record = await client.get(f"/cohorts/{cohort['id']}/record", headers=provider.headers)
    assert (record.json()["capacity"], record.json()["venue_name_en"]) == (3, "")
    assert await audit_actions(cohort["id"]) == []
    fits = await client.patch(
        f"/cohorts/{cohort['id']}", json={"capacity": 2}, headers=provider.headers
    )
    assert fits.status_code == 200, fits.text


async def test_cancelling_a_cohort_ends_every_enrolment_and_frees_no_seat_for_anyone(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=2)
    claims = await fill(settings, course, cohort, 4)
    lesson = await create_class(
        client,
        provider,
        cohort["id"],
        title_en="Kick-off",
        starts_at="2027-02-01T10:00:00",
        ends_at="2027-02-01T12:00:00",
    )
    path = f"/cohorts/{cohort['id']}"

    response = await client.post(path + "/cancel", headers=provider.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["sequence"]) == ("cancelled", 1)
    cancelled = ClaimStatus.CANCELLED
    assert await statuses(claims) == [cancelled] * 4
    for claim in claims:
        ended = await seats.get_claim(claim.id)
        assert ended is not None
        assert ended.ended_reason == "cancelled-by-organizer"
    ended_at = await Enrolment.select(Enrolment.ended_at).where(Enrolment.cohort == cohort["id"])
    assert len(ended_at) == 4
    assert all(row["ended_at"] is not None for row in ended_at)
    pool = await seats.pool_row(cohort["id"])
    assert pool is not None
    assert (pool["open"], pool["taken"], pool["waitlisted"]) == (False, 0, 0)
    newcomer = await people.signed_in_person(settings)
    with pytest.raises(seats.Refusal):
        await courses.an_enrolment(newcomer.person_id, course, cohort["id"])
    schedule = (await client.get(path + "/classes")).json()
    assert [item["status"] for item in schedule["classes"]] == ["cancelled"]
    assert [item["cancelled"] for item in schedule["meetings"]] == [True]
    assert await audit_actions(cohort["id"]) == ["cohort.cancel"]
    assert await audit_actions(lesson["id"]) == ["cohort_class.create", "cohort_class.cancel"]

    again = await client.post(path + "/cancel", headers=provider.headers)
    assert again.json() == body
    assert_problem(
        await client.patch(path, json={"capacity": 5}, headers=provider.headers),
        409,
        "cohort-cancelled",
    )


async def test_anyone_sees_a_public_courses_cohort_with_its_seats_instructors_and_classes(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.IN_PERSON)
    cohort = await courses.a_cohort(
        course,
        capacity=10,
        region=Region.ALMATY,
        venue_name_ru="Алатау Хаб",
        venue_name_en="Alatau Hub",
    )
    await fill(settings, course, cohort, 3)
    teacher = await organizers.organizer(settings, provider.organization_id)
    added = await client.put(
        f"/cohorts/{cohort['id']}/instructors/{teacher.person.person_id}",
        headers=provider.headers,
    )
    assert added.status_code == 200, added.text
    lesson = await create_class(
        client,
        provider,
        cohort["id"],
        title_ru="Введение",
        starts_at="2027-02-01T10:00:00",
        ends_at="2027-02-01T12:00:00",
        place_ru="Аудитория 5",
    )

    response = await client.get(f"/cohorts/{cohort['id']}", params={"lang": "ru"})

    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": str(cohort["id"]),
        "course_id": str(course.id),
        "course_format": "in-person",
        "status": "scheduled",
        "time_zone": "Asia/Almaty",
        "starts_at": "2027-02-01T10:00:00+05:00",
        "ends_at": "2027-04-30T18:00:00+05:00",
        "region": "almaty",
        "venue_name": {"text": "Алатау Хаб", "language": "ru"},
        "venue_address": {"text": "", "language": None},
        "online_url": "",
        "seats": {
            "capacity": 10,
            "left": 7,
            "waitlisted": 0,
            "open": True,
            "waitlist": True,
            "opens_at": None,
            "closes_at": "2027-02-01T05:00:00Z",
        },
        "instructors": ["Айгерім"],
        "classes": [
            {
                "id": lesson["id"],
                "status": "scheduled",
                "title": {"text": "Введение", "language": "ru"},
                "starts_at": "2027-02-01T10:00:00+05:00",
                "ends_at": "2027-02-01T12:00:00+05:00",
                "rrule": "",
                "exdates": [],
                "place": {"text": "Аудитория 5", "language": "ru"},
                "online_url": "",
                "sequence": 0,
            }
        ],
        "sequence": 0,
    }


async def test_a_draft_courses_cohort_is_found_only_by_its_provider(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, status=CourseStatus.DRAFT)
    cohort = await courses.a_cohort(course)
    stranger = await organizers.organizer(settings)
    for path in (f"/cohorts/{cohort['id']}", f"/cohorts/{cohort['id']}/classes"):
        assert_problem(await client.get(path), 404, "cohort-not-found")
        assert_problem(await client.get(path, headers=stranger.headers), 404, "cohort-not-found")
        assert (await client.get(path, headers=provider.headers)).status_code == 200
    assert_problem(
        await client.patch(
            f"/cohorts/{cohort['id']}", json={"capacity": 3}, headers=stranger.headers
        ),
        404,
        "cohort-not-found",
    )


async def test_instructors_are_members_of_the_provider_only(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course)
    path = f"/cohorts/{cohort['id']}/instructors"
    colleague = await organizers.organizer(settings, provider.organization_id)
    outsider = await organizers.organizer(settings)
    learner = await people.signed_in_person(settings, name="Learner")

    added = await client.put(f"{path}/{colleague.person.person_id}", headers=provider.headers)
    again = await client.put(f"{path}/{colleague.person.person_id}", headers=provider.headers)

    expected = [
        {
            "person_id": str(colleague.person.person_id),
            "name": "Айгерім",
            "email": colleague.person.email,
        }
    ]
    assert (added.status_code, added.json()) == (200, expected)
    assert again.json() == expected
    for person in (outsider.person, learner):
        assert_problem(
            await client.put(f"{path}/{person.person_id}", headers=provider.headers),
            409,
            "instructor-not-a-member",
        )
    assert_problem(
        await client.put(f"{path}/{uuid.uuid4()}", headers=provider.headers),
        404,
        "person-not-found",
    )
    assert_problem(
        await client.put(f"{path}/{outsider.person.person_id}", headers=outsider.headers),
        403,
        "not-a-member",
    )
    assert_problem(await client.get(path, headers=outsider.headers), 403, "not-a-member")
    assert (await client.get(path, headers=provider.headers)).json() == expected

    removed = await client.delete(f"{path}/{colleague.person.person_id}", headers=provider.headers)
    assert (removed.status_code, removed.json()) == (200, [])
    assert (await client.get(path, headers=provider.headers)).json() == []
    assert await audit_actions(cohort["id"]) == [
        "cohort.instructor_add",
        "cohort.instructor_remove",
    ]
