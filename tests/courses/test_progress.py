"""A learner reads lessons and marks them done: in their language, their own enrolments only, and
only while they hold a seat."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx

from courses import seating
from courses.enums import CourseFormat
from tests.support import courses, people
from tests.support.http import assert_problem
from tests.support.learning import a_learner, enrolment_row, mark_done, submit
from tests.support.organizers import Organizer
from year2026.db import get_engine
from year2026.seats_enums import EndedReason
from year2026.settings import Settings


async def test_a_text_lesson_is_read_in_the_learners_language_or_its_fallback(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    learner = await a_learner(settings, course)
    text_id = course.lesson_ids[0]
    response = await client.get(
        learner.lesson_path(text_id), params={"lang": "ru"}, headers=learner.headers
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": str(text_id),
        "module_id": str(course.module_ids[0]),
        "kind": "text",
        "title": {"text": "What is AI?", "language": "en"},
        "body": {"text": "Artificial intelligence is…", "language": "en"},
        "video_url": "",
        "duration_minutes": 0,
        "required": True,
        "final": False,
        "done_at": None,
        "test": None,
    }


async def test_a_test_is_read_with_its_questions_and_never_its_answers(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    learner = await a_learner(settings, course)
    assert course.test_id is not None
    response = await client.get(
        learner.lesson_path(course.test_id), params={"lang": "kk"}, headers=learner.headers
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": str(course.test_id),
        "module_id": str(course.module_ids[1]),
        "kind": "test",
        "title": {"text": "Final test", "language": "en"},
        "body": {"text": "", "language": None},
        "video_url": "",
        "duration_minutes": 0,
        "required": True,
        "final": True,
        "done_at": None,
        "test": {
            "pass_mark": 50,
            "max_attempts": 3,
            "attempts_used": 0,
            "attempts_left": 3,
            "best_score": None,
            "passed": False,
            "questions": [
                {
                    "id": str(question.id),
                    "text": {"text": f"{n + 1}-сұрақ", "language": "kk"},
                    "options": [
                        {"id": str(option), "text": {"text": f"Option {k + 1}", "language": "en"}}
                        for k, option in enumerate(question.option_ids)
                    ],
                }
                for n, question in enumerate(course.questions)
            ],
        },
    }
    # nothing in the whole text says which option is right
    assert "correct" not in response.text
    assert '"right"' not in response.text
    assert "true" not in response.text.replace('"required":true', "").replace('"final":true', "")


async def test_marking_a_lesson_done_is_idempotent_and_makes_the_enrolment_active(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    learner = await a_learner(settings, course)
    assert (await enrolment_row(learner.enrolment_id))["first_progress_at"] is None
    first = await mark_done(client, learner, course.lesson_ids[1])
    assert first.status_code == 200, first.text
    body = first.json()
    assert body == {
        "enrolment_id": str(learner.enrolment_id),
        "lesson_id": str(course.lesson_ids[1]),
        "done_at": body["done_at"],
        "course_completed_at": None,
    }
    again = await mark_done(client, learner, course.lesson_ids[1])
    assert again.json() == body  # the first time is kept
    row = await enrolment_row(learner.enrolment_id)
    assert row["first_progress_at"] == dt.datetime.fromisoformat(body["done_at"])
    shown = await client.get(learner.lesson_path(course.lesson_ids[1]), headers=learner.headers)
    assert shown.json()["done_at"] == body["done_at"]


async def test_a_test_cannot_be_marked_done(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    learner = await a_learner(settings, course)
    assert course.test_id is not None
    assert_problem(await mark_done(client, learner, course.test_id), 409, "test-not-markable")
    assert (await enrolment_row(learner.enrolment_id))["first_progress_at"] is None


async def test_another_persons_enrolment_is_not_found(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    learner = await a_learner(settings, course)
    other = await people.signed_in_person(settings)
    lesson = learner.lesson_path(course.lesson_ids[0])
    assert course.test_id is not None
    answers = {"answers": course.answers(2)}
    for response in (
        await client.get(lesson, headers=other.headers),
        await client.post(f"{lesson}/done", headers=other.headers),
        await client.post(
            f"{learner.lesson_path(course.test_id)}/attempts", json=answers, headers=other.headers
        ),
        await client.get(
            f"/me/enrolments/{uuid.uuid4()}/lessons/{course.lesson_ids[0]}",
            headers=learner.headers,
        ),
    ):
        assert_problem(response, 404, "enrolment-not-found")
    assert (await enrolment_row(learner.enrolment_id))["first_progress_at"] is None


async def test_a_lesson_of_another_course_is_not_found(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    other = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    learner = await a_learner(settings, course)
    for response in (
        await client.get(learner.lesson_path(other.lesson_ids[0]), headers=learner.headers),
        await mark_done(client, learner, other.lesson_ids[0]),
    ):
        assert_problem(response, 404, "lesson-not-found")


async def test_a_waitlisted_learner_cannot_read_or_progress(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=1)
    await a_learner(settings, course, cohort["id"])
    waiting = await a_learner(settings, course, cohort["id"])
    assert course.test_id is not None
    for response in (
        await client.get(waiting.lesson_path(course.lesson_ids[0]), headers=waiting.headers),
        await mark_done(client, waiting, course.lesson_ids[0]),
        await submit(client, waiting, course.test_id, course.answers(2)),
    ):
        assert_problem(response, 409, "enrolment-waitlisted")
    assert (await enrolment_row(waiting.enrolment_id))["first_progress_at"] is None


async def test_a_withdrawn_learner_cannot_read_or_progress(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course)
    learner = await a_learner(settings, course, cohort["id"])
    assert (await mark_done(client, learner, course.lesson_ids[0])).status_code == 200
    async with get_engine().transaction():
        await seating.end_enrolment(
            learner.enrolment_id, EndedReason.WITHDRAWN, dt.datetime.now(dt.UTC), None
        )
    assert course.test_id is not None
    for response in (
        await client.get(learner.lesson_path(course.lesson_ids[1]), headers=learner.headers),
        await mark_done(client, learner, course.lesson_ids[1]),
        await submit(client, learner, course.test_id, course.answers(2)),
    ):
        assert_problem(response, 409, "enrolment-ended")
