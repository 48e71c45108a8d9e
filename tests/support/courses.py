"""Small factories for the courses in tests: a course with its modules, lessons and a final test,
a cohort with its seat pool, and an enrolment, inserted directly (the enrolment through the same
seat claim the service makes), so that tests of what builds on the catalogue do not depend on its
services."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from courses import seating
from courses.enums import CourseFormat, CourseLevel, CourseStatus, LessonKind
from courses.tables import Cohort, Course, CourseModule, Lesson, Question, QuestionOption
from year2026 import seats
from year2026.db import get_engine
from year2026.people.enums import Region

_numbers = itertools.count(1)
ALMATY = ZoneInfo("Asia/Almaty")
#: a cohort that runs through the spring of 2027 (after "today", 2026-12-01)
COHORT_STARTS = dt.datetime(2027, 2, 1, 10, 0, tzinfo=ALMATY)
COHORT_ENDS = dt.datetime(2027, 4, 30, 18, 0, tzinfo=ALMATY)


@dataclass(frozen=True)
class TestQuestion:
    id: uuid.UUID
    option_ids: list[uuid.UUID]
    correct_ids: list[uuid.UUID]


@dataclass(frozen=True)
class CourseData:
    """A course as the factory made it: two modules, a text and a video lesson in the first, and
    (with `final_test`) the final test in the second, of `question_count` questions with three
    options each, one of them correct."""

    row: dict[str, Any]
    module_ids: list[uuid.UUID]
    lesson_ids: list[uuid.UUID]
    test_id: uuid.UUID | None = None
    questions: list[TestQuestion] = field(default_factory=list)

    @property
    def id(self) -> uuid.UUID:
        course_id: uuid.UUID = self.row["id"]
        return course_id

    @property
    def slug(self) -> str:
        slug: str = self.row["slug"]
        return slug

    def answers(self, right: int) -> dict[str, list[str]]:
        """Answers to the final test with the first `right` questions answered correctly."""
        return {
            str(question.id): [str((question.correct_ids if n < right else wrong)[0])]
            for n, question in enumerate(self.questions)
            for wrong in [[o for o in question.option_ids if o not in question.correct_ids]]
        }


async def a_course(
    organization_id: uuid.UUID,
    *,
    status: CourseStatus = CourseStatus.PUBLISHED,
    format: CourseFormat = CourseFormat.COHORT_ONLINE,
    final_test: bool = True,
    question_count: int = 2,
    pass_mark: int = 50,
    max_attempts: int | None = 3,
    slug: str | None = None,
    **fields: Any,
) -> CourseData:
    course_id = uuid.uuid4()
    number = next(_numbers)
    values: dict[str, Any] = {
        "id": course_id,
        "organization": organization_id,
        "slug": slug or f"course-{number}-{course_id.hex[:8]}",
        "status": status.value,
        "title_kk": "Барлығына арналған жасанды интеллект негіздері",
        "title_ru": "Основы ИИ для всех",
        "title_en": "AI basics for everyone",
        "summary_en": "What AI is and how to use it safely.",
        "level": CourseLevel.BEGINNER.value,
        "audiences": ["general-public"],
        "languages": ["kk", "ru"],
        "format": format.value,
        "duration_hours": 12,
        "published_at": None if status is CourseStatus.DRAFT else dt.datetime.now(dt.UTC),
        **fields,
    }
    inserted = await Course.insert(Course(**values)).returning(*Course.all_columns())
    module_ids = [uuid.uuid4(), uuid.uuid4()]
    for position, module_id in enumerate(module_ids):
        await CourseModule.insert(
            CourseModule(
                id=module_id,
                course=course_id,
                position=position,
                title_kk=f"Модуль {position + 1}",
                title_ru=f"Модуль {position + 1}",
                title_en=f"Module {position + 1}",
            )
        )
    lesson_ids = [uuid.uuid4(), uuid.uuid4()]
    await Lesson.insert(
        Lesson(
            id=lesson_ids[0],
            course=course_id,
            module=module_ids[0],
            position=0,
            kind=LessonKind.TEXT.value,
            title_en="What is AI?",
            body_en="Artificial intelligence is…",
        ),
        Lesson(
            id=lesson_ids[1],
            course=course_id,
            module=module_ids[0],
            position=1,
            kind=LessonKind.VIDEO.value,
            title_en="AI in daily life",
            video_url="https://video.example.kz/ai-daily",
        ),
    )
    data = CourseData(dict(inserted[0]), module_ids, lesson_ids)
    if not final_test:
        return data
    test_id = uuid.uuid4()
    await Lesson.insert(
        Lesson(
            id=test_id,
            course=course_id,
            module=module_ids[1],
            position=0,
            kind=LessonKind.TEST.value,
            title_en="Final test",
            final=True,
            pass_mark=pass_mark,
            max_attempts=max_attempts,
        )
    )
    questions = []
    for position in range(question_count):
        question_id = uuid.uuid4()
        await Question.insert(
            Question(
                id=question_id,
                lesson=test_id,
                position=position,
                text_kk=f"{position + 1}-сұрақ",
                text_ru=f"Вопрос {position + 1}",
                text_en=f"Question {position + 1}",
            )
        )
        option_ids = [uuid.uuid4() for _ in range(3)]
        await QuestionOption.insert(
            *(
                QuestionOption(
                    id=option_id,
                    question=question_id,
                    position=n,
                    text_en=f"Option {n + 1}",
                    correct=n == 1,
                )
                for n, option_id in enumerate(option_ids)
            )
        )
        questions.append(TestQuestion(question_id, option_ids, [option_ids[1]]))
    return CourseData(data.row, module_ids, [*lesson_ids, test_id], test_id, questions)


async def a_cohort(
    course: CourseData,
    *,
    capacity: int | None = 30,
    starts_at: dt.datetime = COHORT_STARTS,
    ends_at: dt.datetime = COHORT_ENDS,
    region: Region | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A cohort of the course with its seat pool (open while the course is published)."""
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "course": course.id,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "region": region.value if region else None,
        "online_url": "" if region else "https://meet.example.kz/ai-basics",
        "capacity": capacity,
        **fields,
    }
    async with get_engine().transaction():
        inserted = await Cohort.insert(Cohort(**values)).returning(*Cohort.all_columns())
        cohort = dict(inserted[0])
        await seating.sync_cohort_pool(course.row, cohort, dt.datetime.now(dt.UTC), None)
    return cohort


async def an_enrolment(
    person_id: uuid.UUID, course: CourseData, cohort_id: uuid.UUID | None = None
) -> seats.Claim:
    """The person's enrolment in the cohort (or, without one, in the self-paced course), made by
    the same claim statement as the service's; the claim."""
    now = dt.datetime.now(dt.UTC)
    if cohort_id is None:
        async with get_engine().transaction():
            await seating.sync_course_pools(course.row, now, None)
    claimed = await seats.claim_seat(
        cohort_id or course.id,
        person_id,
        now,
        companion=(
            "INSERT INTO course_enrolment (id, course, cohort, person, created_at)"
            " SELECT id, {}, {}, person, created_at FROM claim",
            (course.id, cohort_id),
        ),
    )
    return claimed.claim
