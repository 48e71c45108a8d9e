"""When a provider corrects a course's completion rule, the worker's job completes exactly the open
enrolments the new rule lets through, once, however often or in how many workers it runs."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import httpx

from courses import completion, seating
from courses.enums import CourseFormat
from courses.tables import Course, Lesson
from tests.support import courses
from tests.support.courses import CourseData
from tests.support.learning import (
    Learner,
    a_learner,
    completion_entries,
    enrolment_row,
    mark_done,
    submit,
)
from tests.support.organizers import Organizer
from year2026.db import get_engine
from year2026.seats_enums import EndedReason
from year2026.settings import Settings
from year2026.worker import build_worker


async def lower_the_pass_mark(course: CourseData, pass_mark: int) -> None:
    """A rule correction as the catalogue makes it: the mark changed and the version raised."""
    await Lesson.raw(
        "UPDATE course_lesson SET pass_mark = {} WHERE id = {}", pass_mark, course.test_id
    )
    await Course.raw("UPDATE course SET rule_version = rule_version + 1 WHERE id = {}", course.id)


async def studied(
    client: httpx.AsyncClient, learner: Learner, course: CourseData, right: int
) -> None:
    """Every lesson done, and the final test taken with `right` answers right."""
    for lesson_id in course.lesson_ids[:2]:
        assert (await mark_done(client, learner, lesson_id)).status_code == 200
    assert course.test_id is not None
    assert (await submit(client, learner, course.test_id, course.answers(right))).status_code == 201


async def versions(course_id: uuid.UUID) -> tuple[int, int]:
    rows = await Course.raw(
        "SELECT rule_version, recomputed_rule_version FROM course WHERE id = {}", course_id
    )
    return rows[0]["rule_version"], rows[0]["recomputed_rule_version"]


async def a_corrected_course(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> tuple[CourseData, dict[str, Learner]]:
    """A course of four questions passed at 75, and learners who scored 50 (one withdrawn since),
    25 and 100, and one waitlisted; then its pass mark lowered to 50."""
    course = await courses.a_course(provider.organization_id, question_count=4, pass_mark=75)
    cohort = await courses.a_cohort(course, capacity=4)
    learners = {
        name: await a_learner(settings, course, cohort["id"])
        for name in ("half", "quarter", "full", "withdrawn")
    }
    learners["waiting"] = await a_learner(settings, course, cohort["id"])
    for name, right in (("half", 2), ("quarter", 1), ("full", 4), ("withdrawn", 2)):
        await studied(client, learners[name], course, right)
    async with get_engine().transaction():
        await seating.end_enrolment(
            learners["withdrawn"].enrolment_id,
            EndedReason.WITHDRAWN,
            dt.datetime.now(dt.UTC),
            None,
        )
    await lower_the_pass_mark(course, 50)
    return course, learners


async def completions(learners: dict[str, Learner]) -> dict[str, Any]:
    return {
        name: (await enrolment_row(learner.enrolment_id))["completed_rule_version"]
        for name, learner in learners.items()
    }


async def test_a_corrected_rule_completes_exactly_the_enrolments_it_lets_through(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course, learners = await a_corrected_course(client, provider, settings)
    assert await completions(learners) == {
        "half": None,
        "quarter": None,
        "full": 1,
        "withdrawn": None,
        "waiting": None,
    }
    # the waitlisted one got the withdrawn one's seat, but has done nothing yet
    assert await completion.recompute_completions(dt.datetime.now(dt.UTC)) == 1
    assert await completions(learners) == {
        "half": 2,
        "quarter": None,
        "full": 1,
        "withdrawn": None,
        "waiting": None,
    }
    assert await versions(course.id) == (2, 2)
    entries = await completion_entries(learners["half"].enrolment_id)
    assert [(entry["actor"], entry["after"]["completed_rule_version"]) for entry in entries] == [
        (None, 2)
    ]
    # again: nothing left to do, and nothing done twice
    assert await completion.recompute_completions(dt.datetime.now(dt.UTC)) == 0
    assert len(await completion_entries(learners["half"].enrolment_id)) == 1


async def test_a_stricter_rule_never_uncompletes(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course, learners = await a_corrected_course(client, provider, settings)
    await completion.recompute_completions(dt.datetime.now(dt.UTC))
    await lower_the_pass_mark(course, 100)  # a correction the other way
    assert await completion.recompute_completions(dt.datetime.now(dt.UTC)) == 0
    assert (await completions(learners))["half"] == 2
    assert await versions(course.id) == (3, 3)


async def test_two_workers_at_once_complete_each_enrolment_once(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(
        provider.organization_id, format=CourseFormat.SELF_PACED, question_count=4, pass_mark=75
    )
    learners = [await a_learner(settings, course) for _ in range(6)]
    for learner in learners:
        await studied(client, learner, course, 2)
    await lower_the_pass_mark(course, 50)
    now = dt.datetime.now(dt.UTC)
    counts = await asyncio.gather(
        completion.recompute_completions(now, batch_size=2),
        completion.recompute_completions(now, batch_size=2),
    )
    assert sum(counts) == 6
    for learner in learners:
        assert len(await completion_entries(learner.enrolment_id)) == 1
    assert await versions(course.id) == (2, 2)


async def test_the_worker_runs_the_job(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(
        provider.organization_id, format=CourseFormat.SELF_PACED, question_count=4, pass_mark=75
    )
    learner = await a_learner(settings, course)
    await studied(client, learner, course, 2)
    await lower_the_pass_mark(course, 50)
    worker = build_worker(settings)
    job = worker.functions["recompute_course_completions"]
    assert worker.cron_jobs is not None
    assert "recompute_course_completions" in {cron.name.split(":")[-1] for cron in worker.cron_jobs}
    assert await job.coroutine({"settings": settings, "job_try": 1}) == 1
    assert (await enrolment_row(learner.enrolment_id))["completed_rule_version"] == 2
    await worker.close()
