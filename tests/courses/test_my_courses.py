"""`GET /me/courses`: a person's enrolments, newest first, each with its status and its progress per
module, in two statements however many there are."""

from __future__ import annotations

import datetime as dt

import httpx

from courses import seating
from courses.enums import CourseFormat
from tests.support import courses, people
from tests.support.learning import Learner, a_learner, mark_done, submit
from tests.support.organizers import Organizer
from tests.support.statements import counting_statements
from year2026.db import get_engine
from year2026.seats_enums import EndedReason
from year2026.settings import Settings


async def test_my_courses_show_progress_per_module_in_my_language(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, pass_mark=100)
    cohort = await courses.a_cohort(course)
    learner = await a_learner(settings, course, cohort["id"])
    assert course.test_id is not None
    await mark_done(client, learner, course.lesson_ids[0])
    await submit(client, learner, course.test_id, course.answers(1))
    response = await client.get("/me/courses", params={"lang": "ru"}, headers=learner.headers)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "items": [
            {
                "enrolment_id": str(learner.enrolment_id),
                "course_id": str(course.id),
                "course_slug": course.slug,
                "course_title": {"text": "Основы ИИ для всех", "language": "ru"},
                "cohort_id": str(cohort["id"]),
                "status": "confirmed",
                "enrolled_at": learner.enrolment.created_at.isoformat().replace("+00:00", "Z"),
                "completed_at": None,
                "percent": 33,
                "modules": [
                    {
                        "module_id": str(course.module_ids[0]),
                        "title": {"text": "Модуль 1", "language": "ru"},
                        "lessons_done": 1,
                        "lessons_required": 2,
                        "tests": [],
                    },
                    {
                        "module_id": str(course.module_ids[1]),
                        "title": {"text": "Модуль 2", "language": "ru"},
                        "lessons_done": 0,
                        "lessons_required": 1,
                        "tests": [
                            {
                                "lesson_id": str(course.test_id),
                                "title": {"text": "Final test", "language": "en"},
                                "final": True,
                                "pass_mark": 100,
                                "best_score": 50,
                                "passed": False,
                            }
                        ],
                    },
                ],
            }
        ],
        "next_cursor": None,
    }


async def test_my_courses_say_each_enrolments_status_newest_first(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    person = await people.signed_in_person(settings)
    confirmed = await courses.a_course(provider.organization_id)
    confirmed_cohort = await courses.a_cohort(confirmed)
    waitlisted = await courses.a_course(provider.organization_id)
    full = await courses.a_cohort(waitlisted, capacity=1)
    await a_learner(settings, waitlisted, full["id"])
    withdrawn = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    completed = await courses.a_course(
        provider.organization_id, format=CourseFormat.SELF_PACED, final_test=False
    )
    mine = [
        await courses.an_enrolment(person.person_id, confirmed, confirmed_cohort["id"]),
        await courses.an_enrolment(person.person_id, waitlisted, full["id"]),
        await courses.an_enrolment(person.person_id, withdrawn),
        await courses.an_enrolment(person.person_id, completed),
    ]
    async with get_engine().transaction():
        await seating.end_enrolment(
            mine[2].id, EndedReason.WITHDRAWN, dt.datetime.now(dt.UTC), person.person_id
        )
    learner = Learner(person, mine[3])
    for lesson_id in completed.lesson_ids:
        await mark_done(client, learner, lesson_id)
    body = (await client.get("/me/courses", headers=person.headers)).json()
    assert [(item["enrolment_id"], item["status"], item["percent"]) for item in body["items"]] == [
        (str(mine[3].id), "completed", 100),
        (str(mine[2].id), "withdrawn", 0),
        (str(mine[1].id), "waitlisted", 0),
        (str(mine[0].id), "confirmed", 0),
    ]
    assert body["items"][0]["completed_at"] is not None


async def test_my_courses_come_in_pages(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    person = await people.signed_in_person(settings)
    enrolments = []
    for _ in range(3):
        course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
        enrolments.append(await courses.an_enrolment(person.person_id, course))
    seen, cursor = [], None
    for _ in range(3):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/me/courses", params=params, headers=person.headers)).json()
        seen.extend(item["enrolment_id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(enrolment.id) for enrolment in reversed(enrolments)]


async def test_my_courses_take_two_statements_for_one_or_three(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    person = await people.signed_in_person(settings)

    async def enrol_and_count() -> tuple[int, int]:
        course = await courses.a_course(provider.organization_id)
        cohort = await courses.a_cohort(course)
        learner = Learner(
            person, await courses.an_enrolment(person.person_id, course, cohort["id"])
        )
        await mark_done(client, learner, course.lesson_ids[0])
        with counting_statements() as listing:
            response = await client.get("/me/courses", headers=person.headers)
        items = response.json()["items"]
        assert all(len(item["modules"]) == 2 for item in items)
        return len(items), listing.value

    one = await enrol_and_count()
    await enrol_and_count()
    three = await enrol_and_count()
    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1] == 2
