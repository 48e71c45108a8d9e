"""Enrolment through the API: in a cohort (seats, then the waitlist) or a self-paced course, one
per person and course, the refusals in the reader's language, withdrawal with promotion, and
enrolling again."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from courses.enums import CohortStatus, CourseFormat, CourseStatus
from courses.tables import CoursePrerequisite, Enrolment
from tests.support import people
from tests.support.courses import ALMATY, CourseData, a_cohort, a_course
from tests.support.enrolments import (
    assert_pools_agree_with_rows,
    enrolled,
    my_enrolment,
    post_cohort_enrolment,
    post_course_enrolment,
    withdraw,
)
from tests.support.organizers import Organizer
from year2026.audit_tables import AuditEntry
from year2026.settings import Settings

KK_TITLE = {"text": "Барлығына арналған жасанды интеллект негіздері", "language": "kk"}


def expected(
    answer: dict[str, Any], course: CourseData, cohort: dict[str, Any] | None, **fields: Any
) -> dict[str, Any]:
    """An enrolment's body as the API shows it, its times taken from `answer`."""
    return {
        "id": answer["id"],
        "course_id": str(course.id),
        "course_slug": course.slug,
        "course_title": KK_TITLE,
        "cohort_id": None if cohort is None else str(cohort["id"]),
        "status": "confirmed",
        "waitlist_position": None,
        "ended_reason": "",
        "created_at": answer["created_at"],
        "ended_at": None,
        "completed_at": None,
        **fields,
    }


def problem_code(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


async def complete(enrolment_id: str | uuid.UUID) -> None:
    """Completion as the progress part decides it (in tests: set directly)."""
    await Enrolment.raw(
        "UPDATE course_enrolment SET completed_at = now(), completed_rule_version = 1"
        " WHERE id = {}",
        uuid.UUID(str(enrolment_id)),
    )


async def test_cohort_enrolment_is_confirmed_and_asking_again_answers_it(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    cohort = await a_cohort(course, capacity=2)
    learner = await people.signed_in_person(settings)
    first = await post_cohort_enrolment(client, learner, cohort)
    assert first.status_code == 201, first.text
    assert first.json() == expected(first.json(), course, cohort)
    again = await post_cohort_enrolment(client, learner, cohort)
    assert (again.status_code, again.json()) == (200, first.json())
    assert await my_enrolment(client, learner, first.json()) == first.json()
    await assert_pools_agree_with_rows()


async def test_a_full_cohort_waitlists_in_order_or_refuses_without_a_waitlist(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    waiting = await a_cohort(course, capacity=1)
    strict = await a_cohort(course, capacity=1, waitlist=False)
    crowd = [await people.signed_in_person(settings) for _ in range(4)]
    answers = [await enrolled(client, person, waiting) for person in crowd[:3]]
    assert [(a["status"], a["waitlist_position"]) for a in answers] == [
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    assert await my_enrolment(client, crowd[2], answers[2]) == answers[2]
    assert (await post_cohort_enrolment(client, crowd[3], strict)).status_code == 201
    refused = await post_cohort_enrolment(client, crowd[0], strict)
    assert problem_code(refused) == (409, "enrolled-in-another-cohort")
    newcomer = await people.signed_in_person(settings)
    full = await post_cohort_enrolment(client, newcomer, strict, lang="en")
    assert full.json()["detail"] == "The cohort is full, and it has no waitlist."
    assert problem_code(full) == (409, "cohort-full")
    await assert_pools_agree_with_rows()


async def test_another_cohort_of_the_same_course_is_refused_naming_the_enrolment(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    first, second = await a_cohort(course), await a_cohort(course)
    learner = await people.signed_in_person(settings)
    held = await enrolled(client, learner, first)
    refused = await post_cohort_enrolment(client, learner, second, lang="en")
    assert problem_code(refused) == (409, "enrolled-in-another-cohort")
    assert refused.json()["params"] == {
        "enrolment_id": held["id"],
        "cohort_id": str(first["id"]),
    }
    rows = await Enrolment.raw("SELECT count(*) AS n FROM course_enrolment")
    assert rows == [{"n": 1}]


async def test_self_paced_enrolment_makes_its_pool_when_missing_and_has_no_limit(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    crowd = [await people.signed_in_person(settings) for _ in range(3)]
    answers = [await post_course_enrolment(client, person, course.slug) for person in crowd]
    assert [answer.status_code for answer in answers] == [201, 201, 201]
    body = answers[0].json()
    assert body == expected(body, course, None)
    again = await post_course_enrolment(client, crowd[0], course)
    assert (again.status_code, again.json()) == (200, body)
    await assert_pools_agree_with_rows()


async def test_a_cohort_course_asked_as_self_paced_says_choose_a_cohort(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    await a_cohort(course)
    learner = await people.signed_in_person(settings)
    answer = await post_course_enrolment(client, learner, course, lang="en")
    assert problem_code(answer) == (409, "cohort-required")
    assert answer.json()["detail"] == (
        "This course is taught in cohorts: choose a cohort to enrol in."
    )


async def test_unknown_course_and_cohort_and_others_drafts_are_not_found(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    draft = await a_course(
        provider.organization_id, status=CourseStatus.DRAFT, format=CourseFormat.SELF_PACED
    )
    draft_cohort = await a_cohort(
        await a_course(provider.organization_id, status=CourseStatus.DRAFT)
    )
    learner = await people.signed_in_person(settings)
    assert problem_code(await post_course_enrolment(client, learner, draft)) == (
        404,
        "course-not-found",
    )
    assert problem_code(await post_course_enrolment(client, learner, "no-such-course")) == (
        404,
        "course-not-found",
    )
    assert problem_code(await post_cohort_enrolment(client, learner, draft_cohort)) == (
        404,
        "cohort-not-found",
    )
    unknown = {"id": uuid.uuid4()}
    assert problem_code(await post_cohort_enrolment(client, learner, unknown)) == (
        404,
        "cohort-not-found",
    )
    # its provider sees the draft, and is told it takes no enrolments yet
    assert problem_code(await post_course_enrolment(client, provider.person, draft)) == (
        409,
        "course-not-published",
    )


async def test_signing_in_is_needed(client: httpx.AsyncClient, provider: Organizer) -> None:
    course = await a_course(provider.organization_id)
    cohort = await a_cohort(course)
    answer = await client.post(f"/cohorts/{cohort['id']}/enrolments")
    assert problem_code(answer) == (401, "not-authenticated")


@pytest.mark.parametrize(
    ("course_status", "cohort_fields", "code"),
    [
        (CourseStatus.ARCHIVED, {}, "course-archived"),
        (
            CourseStatus.PUBLISHED,
            {"status": CohortStatus.CANCELLED.value},
            "enrolment-cohort-cancelled",
        ),
        (
            CourseStatus.PUBLISHED,
            {"enrolment_closes_at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)},
            "enrolment-closed",
        ),
    ],
)
async def test_enrolment_is_refused_by_the_course_and_the_cohort(
    client: httpx.AsyncClient,
    provider: Organizer,
    settings: Settings,
    course_status: CourseStatus,
    cohort_fields: dict[str, Any],
    code: str,
) -> None:
    course = await a_course(provider.organization_id, status=course_status)
    cohort = await a_cohort(course, **cohort_fields)
    learner = await people.signed_in_person(settings)
    assert problem_code(await post_cohort_enrolment(client, learner, cohort)) == (409, code)
    rows = await Enrolment.raw("SELECT count(*) AS n FROM seat_claim")
    assert rows == [{"n": 0}]


async def test_enrolment_not_yet_open_says_when_it_opens_in_the_cohorts_zone(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    opens = dt.datetime(2027, 1, 10, 9, 0, tzinfo=ALMATY)
    cohort = await a_cohort(course, enrolment_opens_at=opens)
    learner = await people.signed_in_person(settings)
    answer = await post_cohort_enrolment(client, learner, cohort, lang="ru")
    assert problem_code(answer) == (409, "enrolment-not-yet-open")
    assert answer.json()["detail"] == "Запись откроется 2027-01-10T09:00+05:00."
    assert answer.json()["params"] == {"opens_at": "2027-01-10T09:00+05:00"}


async def test_missing_prerequisites_are_named_in_the_readers_language(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    basics = await a_course(
        provider.organization_id,
        format=CourseFormat.SELF_PACED,
        slug="ai-basics",
        title_ru="Основы ИИ",
        title_en="AI basics",
    )
    prompts = await a_course(
        provider.organization_id,
        format=CourseFormat.SELF_PACED,
        slug="prompts",
        title_kk="",
        title_ru="Промпт-инжиниринг",
        title_en="Prompt engineering",
    )
    advanced = await a_course(provider.organization_id, slug="ml-for-teachers")
    cohort = await a_cohort(advanced)
    for required in (basics, prompts):
        await CoursePrerequisite.insert(
            CoursePrerequisite(course=advanced.id, required_course=required.id)
        )
    learner = await people.signed_in_person(settings)
    in_russian = await post_cohort_enrolment(client, learner, cohort, lang="ru")
    assert problem_code(in_russian) == (409, "prerequisites-missing")
    assert in_russian.json()["detail"] == "Сначала пройдите курсы: Основы ИИ, Промпт-инжиниринг."
    # not written in Kazakh: the fallback (Russian) names it
    in_kazakh = await post_cohort_enrolment(client, learner, cohort)
    assert in_kazakh.json()["params"] == {
        "courses": "Барлығына арналған жасанды интеллект негіздері, Промпт-инжиниринг",
        "course_slugs": "ai-basics,prompts",
    }
    done = await post_course_enrolment(client, learner, basics)
    await complete(done.json()["id"])
    started = await post_course_enrolment(client, learner, prompts)  # enrolled, not completed
    in_english = await post_cohort_enrolment(client, learner, cohort, lang="en")
    assert in_english.json()["detail"] == "Complete these courses first: Prompt engineering."
    await complete(started.json()["id"])
    assert (await post_cohort_enrolment(client, learner, cohort)).status_code == 201


async def test_a_completed_course_is_not_taken_again_nor_withdrawn(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    cohort, later = await a_cohort(course), await a_cohort(course)
    learner = await people.signed_in_person(settings)
    enrolment = await enrolled(client, learner, cohort)
    await complete(enrolment["id"])
    for target in (cohort, later):
        again = await post_cohort_enrolment(client, learner, target)
        assert problem_code(again) == (409, "course-already-completed")
    kept = await withdraw(client, learner, enrolment)
    assert problem_code(kept) == (409, "enrolment-completed")
    shown = await my_enrolment(client, learner, enrolment)
    assert shown == expected(
        enrolment, course, cohort, status="completed", completed_at=shown["completed_at"]
    )
    await assert_pools_agree_with_rows()


async def test_withdrawal_seats_the_first_waiting_and_twice_changes_nothing(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    cohort = await a_cohort(course, capacity=1)
    seated, first, second = [await people.signed_in_person(settings) for _ in range(3)]
    place = await enrolled(client, seated, cohort)
    queued = [await enrolled(client, person, cohort) for person in (first, second)]
    answer = await withdraw(client, seated, place)
    assert answer.status_code == 200, answer.text
    withdrawn = answer.json()
    assert withdrawn == expected(
        place,
        course,
        cohort,
        status="withdrawn",
        ended_reason="withdrawn",
        ended_at=withdrawn["ended_at"],
    )
    again = await withdraw(client, seated, place)
    assert (again.status_code, again.json()) == (200, withdrawn)
    assert (await my_enrolment(client, first, queued[0]))["status"] == "confirmed"
    assert (await my_enrolment(client, second, queued[1]))["waitlist_position"] == 1
    actions = await AuditEntry.raw(
        "SELECT action, object_id FROM audit_entry WHERE action IN"
        " ('seat_claim.release', 'seat_claim.promote') ORDER BY id"
    )
    assert [dict(row) for row in actions] == [
        {"action": "seat_claim.release", "object_id": place["id"]},
        {"action": "seat_claim.promote", "object_id": queued[0]["id"]},
    ]
    await assert_pools_agree_with_rows()


async def test_enrolling_again_after_withdrawing_makes_a_new_enrolment(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    cohort, other = await a_cohort(course, capacity=1), await a_cohort(course)
    learner, newcomer = [await people.signed_in_person(settings) for _ in range(2)]
    place = await enrolled(client, learner, cohort)
    await withdraw(client, learner, place)
    await enrolled(client, newcomer, cohort)  # took the seat meanwhile
    again = await enrolled(client, learner, cohort)
    assert (again["id"] != place["id"], again["status"]) == (True, "waitlisted")
    await withdraw(client, learner, again)
    moved = await enrolled(client, learner, other)  # and may change cohorts so
    assert moved["cohort_id"] == str(other["id"])
    await assert_pools_agree_with_rows()


async def test_another_persons_enrolment_is_not_found(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    cohort = await a_cohort(course)
    owner, stranger = [await people.signed_in_person(settings) for _ in range(2)]
    enrolment = await enrolled(client, owner, cohort)
    shown = await client.get(f"/me/enrolments/{enrolment['id']}", headers=stranger.headers)
    assert problem_code(shown) == (404, "enrolment-not-found")
    withdrawn = await withdraw(client, stranger, enrolment)
    assert problem_code(withdrawn) == (404, "enrolment-not-found")
    assert (await my_enrolment(client, owner, enrolment))["status"] == "confirmed"
