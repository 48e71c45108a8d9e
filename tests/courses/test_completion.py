"""Completion is decided at once, in the transaction of the step that meets the rule, and exactly
once when two completing steps land together."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import httpx

from courses import completion
from courses.enums import CourseFormat
from tests.support import courses
from tests.support.learning import (
    a_learner,
    a_test_lesson,
    an_instructor,
    completion_entries,
    enrolment_row,
    mark_done,
    submit,
    together,
)
from tests.support.organizers import Organizer
from year2026.db import get_engine
from year2026.settings import Settings


async def test_the_last_lesson_done_completes_the_course_at_once_and_once(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(
        provider.organization_id, format=CourseFormat.SELF_PACED, final_test=False
    )
    await a_test_lesson(course, [[True, False]], required=False)  # optional: not needed
    learner = await a_learner(settings, course)
    first = await mark_done(client, learner, course.lesson_ids[0])
    assert first.json()["course_completed_at"] is None
    last = await mark_done(client, learner, course.lesson_ids[1])
    completed_at = last.json()["course_completed_at"]
    assert completed_at == last.json()["done_at"]
    row = await enrolment_row(learner.enrolment_id)
    assert (row["completed_at"], row["completed_rule_version"]) == (
        dt.datetime.fromisoformat(completed_at),
        1,
    )
    again = await mark_done(client, learner, course.lesson_ids[0])
    assert again.json()["course_completed_at"] == completed_at
    assert await completion_entries(learner.enrolment_id) == [
        {
            "actor": learner.person.person_id,
            "action": "course_enrolment.complete",
            "object_id": str(learner.enrolment_id),
            "before": {"completed_at": None, "completed_rule_version": None},
            "after": {"completed_at": completed_at, "completed_rule_version": 1},
        }
    ]


async def test_a_final_test_completes_the_course_only_when_passed(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(
        provider.organization_id, format=CourseFormat.SELF_PACED, question_count=2, pass_mark=100
    )
    learner = await a_learner(settings, course)
    assert course.test_id is not None
    for lesson_id in course.lesson_ids[:2]:
        assert (await mark_done(client, learner, lesson_id)).json()["course_completed_at"] is None
    failed = await submit(client, learner, course.test_id, course.answers(1))
    assert (failed.json()["passed"], failed.json()["course_completed_at"]) == (False, None)
    passed = await submit(client, learner, course.test_id, course.answers(2))
    assert passed.json()["passed"] is True
    assert passed.json()["course_completed_at"] is not None
    assert len(await completion_entries(learner.enrolment_id)) == 1


async def test_a_passed_final_test_is_not_enough_without_the_required_lessons(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    learner = await a_learner(settings, course)
    assert course.test_id is not None
    await mark_done(client, learner, course.lesson_ids[0])
    passed = await submit(client, learner, course.test_id, course.answers(2))
    assert (passed.json()["passed"], passed.json()["course_completed_at"]) == (True, None)
    last = await mark_done(client, learner, course.lesson_ids[1])
    assert last.json()["course_completed_at"] is not None


async def test_two_last_lessons_done_at_once_complete_the_course_once(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(
        provider.organization_id, format=CourseFormat.SELF_PACED, final_test=False
    )
    learner = await a_learner(settings, course)
    answers = await together(
        settings,
        learner.enrolment_id,
        [mark_done(client, learner, lesson_id) for lesson_id in course.lesson_ids],
    )
    bodies = [answer.json() for answer in answers if isinstance(answer, httpx.Response)]
    assert [answer.status_code for answer in answers if isinstance(answer, httpx.Response)] == [
        200,
        200,
    ]
    # the second step saw the first's write and completed the course; the first could not
    completed = [body["course_completed_at"] for body in bodies]
    assert completed.count(None) == 1
    assert len(await completion_entries(learner.enrolment_id)) == 1
    row = await enrolment_row(learner.enrolment_id)
    assert [row["completed_at"]] == [dt.datetime.fromisoformat(c) for c in completed if c]
    assert len(await completion_entries(learner.enrolment_id)) == 1


async def test_an_instructors_record_and_the_learners_last_attempt_at_once_complete_once(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course)
    instructor = await an_instructor(settings, provider.organization_id, cohort["id"])
    learner = await a_learner(settings, course, cohort["id"])
    assert course.test_id is not None
    await mark_done(client, learner, course.lesson_ids[1])
    record = client.put(
        f"/cohorts/{cohort['id']}/enrolments/{learner.enrolment_id}/lessons/{course.lesson_ids[0]}",
        json={"done": True},
        headers=instructor.headers,
    )
    attempt = submit(client, learner, course.test_id, course.answers(2))
    answers = await together(settings, learner.enrolment_id, [record, attempt])
    assert [a.status_code for a in answers if isinstance(a, httpx.Response)] == [200, 201]
    completed = [a.json()["course_completed_at"] for a in answers if isinstance(a, httpx.Response)]
    assert completed.count(None) == 1
    entries = await completion_entries(learner.enrolment_id)
    assert len(entries) == 1
    # whichever step came second completed it, and is its actor
    actors = [instructor.person.person_id, learner.person.person_id]
    assert [entries[0]["actor"]] == [a for a, c in zip(actors, completed, strict=True) if c]


def numbered(sql: str) -> str:
    """A statement with Piccolo's `{}` placeholders, as asyncpg's `$1, $2…`."""
    parts = sql.split("{}")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], start=1)) + parts[-1]


async def test_negative_control_without_the_enrolments_lock_neither_last_step_completes(
    clean_state: Settings, provider: Organizer
) -> None:
    """What the enrolment's lock is for: two last steps that each write their lesson and then
    decide, without waiting for each other, decide on snapshots without the other's lesson: both
    find the rule unmet, and the enrolment is left with every lesson done and no completion.
    Played in a fixed interleaving on two connections, with the very completion statement."""
    course = await courses.a_course(
        provider.organization_id, format=CourseFormat.SELF_PACED, final_test=False
    )
    learner = await a_learner(clean_state, course)
    first = await asyncpg.connect(clean_state.effective_database_url)
    second = await asyncpg.connect(clean_state.effective_database_url)
    now = dt.datetime.now(dt.UTC)
    try:
        await first.execute("BEGIN")
        await second.execute("BEGIN")
        for connection, lesson_id in zip((first, second), course.lesson_ids, strict=True):
            await connection.execute(
                "INSERT INTO course_lesson_progress (id, enrolment, lesson, done_at, updated_at)"
                " VALUES ($1, $2, $3, $4, $4)",
                uuid.uuid4(),
                learner.enrolment_id,
                lesson_id,
                now,
            )
        decisions = [
            await connection.fetch(numbered(completion.COMPLETE_SQL), now, [learner.enrolment_id])
            for connection in (first, second)
        ]
        assert decisions == [[], []]
        await first.execute("COMMIT")
        await second.execute("COMMIT")
    finally:
        await first.close()
        await second.close()
    assert (await enrolment_row(learner.enrolment_id))["completed_at"] is None
    # the rule is met all the same: the next decision (or the recompute job) completes it
    async with get_engine().transaction():
        assert await completion.decide_completion(learner.enrolment_id, now) is not None
