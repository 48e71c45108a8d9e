"""Learners, instructors and their steps for the courses' learning tests: an enrolled learner,
an instructor of a cohort, the lesson paths, holding an enrolment's row so that steps queue up
behind it, and reading what completion left (rows and audit entries)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg
import httpx

from courses.enums import LessonKind
from courses.tables import (
    CohortClass,
    CohortInstructor,
    Enrolment,
    Lesson,
    Question,
    QuestionOption,
)
from tests.support import courses, people
from tests.support.courses import CourseData, TestQuestion
from tests.support.organizers import Organizer, organizer
from year2026 import seats
from year2026.audit_tables import AuditEntry
from year2026.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class Learner:
    person: people.SignedIn
    enrolment: seats.Claim

    @property
    def headers(self) -> dict[str, str]:
        return self.person.headers

    @property
    def enrolment_id(self) -> uuid.UUID:
        return self.enrolment.id

    def lesson_path(self, lesson_id: uuid.UUID) -> str:
        return f"/me/enrolments/{self.enrolment_id}/lessons/{lesson_id}"


async def a_learner(
    settings: Settings, course: CourseData, cohort_id: uuid.UUID | None = None
) -> Learner:
    """A new person enrolled in the cohort (or the self-paced course)."""
    person = await people.signed_in_person(settings)
    return Learner(person, await courses.an_enrolment(person.person_id, course, cohort_id))


async def an_instructor(
    settings: Settings, organization_id: uuid.UUID, cohort_id: uuid.UUID
) -> Organizer:
    """A new member of the provider who teaches the cohort."""
    member = await organizer(settings, organization_id)
    await CohortInstructor.insert(
        CohortInstructor(cohort=cohort_id, person=member.person.person_id)
    )
    return member


async def a_class(
    cohort: dict[str, Any],
    *,
    starts_at: dt.datetime = courses.COHORT_STARTS,
    rrule: str = "FREQ=WEEKLY;COUNT=5",
    exdates: Sequence[dt.datetime] = (),
    **fields: Any,
) -> uuid.UUID:
    """A two-hour class of the cohort, weekly by default (`fields`: other columns)."""
    class_id = uuid.uuid4()
    await CohortClass.insert(
        CohortClass(
            **{
                "id": class_id,
                "cohort": cohort["id"],
                "title_en": "Workshop",
                "starts_at": starts_at,
                "ends_at": starts_at + dt.timedelta(hours=2),
                "rrule": rrule,
                "exdates": list(exdates),
                **fields,
            }
        )
    )
    return class_id


async def a_test_lesson(
    course: CourseData,
    right_options: Sequence[Sequence[bool]],
    *,
    pass_mark: int = 50,
    max_attempts: int | None = None,
    required: bool = False,
) -> tuple[uuid.UUID, list[TestQuestion]]:
    """Another (not final) test in the course's first module: one question per item of
    `right_options`, with an option for each flag (true: a right one)."""
    lesson_id = uuid.uuid4()
    await Lesson.insert(
        Lesson(
            id=lesson_id,
            course=course.id,
            module=course.module_ids[0],
            position=9,
            kind=LessonKind.TEST.value,
            title_en="Quiz",
            required=required,
            pass_mark=pass_mark,
            max_attempts=max_attempts,
        )
    )
    questions = []
    for position, flags in enumerate(right_options):
        question_id = uuid.uuid4()
        await Question.insert(
            Question(id=question_id, lesson=lesson_id, position=position, text_en="Which?")
        )
        option_ids = [uuid.uuid4() for _ in flags]
        await QuestionOption.insert(
            *(
                QuestionOption(id=option_id, question=question_id, position=n, correct=right)
                for n, (option_id, right) in enumerate(zip(option_ids, flags, strict=True))
            )
        )
        right_ids = [option for option, right in zip(option_ids, flags, strict=True) if right]
        questions.append(TestQuestion(question_id, option_ids, right_ids))
    return lesson_id, questions


async def mark_done(
    client: httpx.AsyncClient, learner: Learner, lesson_id: uuid.UUID
) -> httpx.Response:
    return await client.post(f"{learner.lesson_path(lesson_id)}/done", headers=learner.headers)


async def submit(
    client: httpx.AsyncClient, learner: Learner, lesson_id: uuid.UUID, answers: dict[str, Any]
) -> httpx.Response:
    return await client.post(
        f"{learner.lesson_path(lesson_id)}/attempts",
        json={"answers": answers},
        headers=learner.headers,
    )


async def enrolment_row(enrolment_id: uuid.UUID) -> dict[str, Any]:
    rows = await Enrolment.raw(
        "SELECT first_progress_at, completed_at, completed_rule_version, ended_at"
        " FROM course_enrolment WHERE id = {}",
        enrolment_id,
    )
    return dict(rows[0])


async def completion_entries(enrolment_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await AuditEntry.raw(
        "SELECT actor, action, object_id, before, after FROM audit_entry"
        " WHERE action = 'course_enrolment.complete' AND object_id = {} ORDER BY id",
        str(enrolment_id),
    )
    return [
        {**dict(row), "before": json.loads(row["before"]), "after": json.loads(row["after"])}
        for row in rows
    ]


@asynccontextmanager
async def enrolment_held(settings: Settings, enrolment_id: uuid.UUID) -> AsyncIterator[None]:
    """Hold the enrolment's row (as a step does) on a connection of its own until the block
    ends: steps started inside the block all wait for it, and go together when it ends."""
    holder = await asyncpg.connect(settings.effective_database_url)
    try:
        async with holder.transaction():
            await holder.execute(
                "SELECT 1 FROM course_enrolment WHERE id = $1 FOR NO KEY UPDATE", enrolment_id
            )
            yield
    finally:
        await holder.close()


async def together(
    settings: Settings, enrolment_id: uuid.UUID, steps: Sequence[Awaitable[T]]
) -> list[T | BaseException]:
    """Run the steps so that they overlap for certain: each is started while the enrolment's row
    is held, the row let go once all of them wait for it (and then they race)."""
    async with enrolment_held(settings, enrolment_id):
        running = [asyncio.ensure_future(step) for step in steps]
        await waiting_for_locks(settings, len(running))
    return list(await asyncio.gather(*running, return_exceptions=True))


async def waiting_for_locks(settings: Settings, count: int) -> None:
    watcher = await asyncpg.connect(settings.effective_database_url)
    try:
        for _ in range(500):
            waiting = await watcher.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()"
            )
            if waiting >= count:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the steps never waited for the enrolment")
    finally:
        await watcher.close()
