"""HTTP for learning: a learner's courses, lessons, lessons done and test attempts; instructors'
attendance sheets and lesson records.

Parse, guard, call one service with the person's id, return a schema.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from courses import instruction, progress
from courses.cohort_errors import ClassNotFound
from courses.errors import CohortNotFound, EnrolmentNotFound, LessonNotFound
from courses.learning_schemas import (
    AttemptRequest,
    AttemptResult,
    AttendanceSheet,
    LessonDone,
    LessonRecord,
    LessonView,
    MyCoursePage,
    RecordedAttendance,
    RecordedLesson,
)
from courses.progress_errors import (
    EnrolmentEnded,
    EnrolmentWaitlisted,
    LessonNotATest,
    NoAttemptsLeft,
    NotALearnerOfTheCohort,
    NotAMeeting,
    NotAnInstructor,
    NothingToRecord,
    ScoreOfTestsOnly,
    TestNotMarkable,
    UnknownOption,
    UnknownQuestion,
)
from year2026.guards import Principal, requires_signed_in
from year2026.paging import DEFAULT_LIMIT, InvalidCursor
from year2026.parameters import PageSize, ReaderLanguage, cursor_parameter, reader_language

MyCoursesCursor = Annotated[str | None, cursor_parameter(progress.MY_COURSES.max_cursor_length)]
_NOT_PROGRESSING = [EnrolmentNotFound, LessonNotFound, EnrolmentWaitlisted, EnrolmentEnded]


class MyLearningController(Controller):
    path = "/me"
    tags = ["learning"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    guards = [requires_signed_in]  # noqa: RUF012

    @get(
        "/courses",
        summary="My courses, newest enrolment first, with progress per module",
        description="Each enrolment's status (`confirmed`, `waitlisted`, `withdrawn`,"
        " `completed`), its required lessons done per module, its tests' best scores, and the"
        " percent of its required lessons done.",
        opt={"errors": [InvalidCursor]},
    )
    async def list_my_courses(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        cursor: MyCoursesCursor = None,
        limit: PageSize = DEFAULT_LIMIT,
        lang: ReaderLanguage = None,
    ) -> MyCoursePage:
        return await progress.my_courses(
            principal.person_id, reader_language(request, lang), cursor, limit
        )

    @get(
        "/enrolments/{enrolment:uuid}/lessons/{lesson:uuid}",
        summary="A lesson of my course; a test with its questions (never which answers are right)",
        opt={"errors": _NOT_PROGRESSING},
    )
    async def show_my_lesson(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        enrolment: FromPath[uuid.UUID],
        lesson: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> LessonView:
        return await progress.my_lesson(
            principal.person_id, enrolment, lesson, reader_language(request, lang)
        )

    @post(
        "/enrolments/{enrolment:uuid}/lessons/{lesson:uuid}/done",
        status_code=HTTP_200_OK,
        summary="Mark a text or video lesson of my course done",
        description="Idempotent: marking it again keeps the first time. A test is done when"
        " passed (409 `test-not-markable`). The course is completed at once when this was the"
        " last step it needed (`course_completed_at`).",
        opt={"errors": [*_NOT_PROGRESSING, TestNotMarkable]},
    )
    async def mark_done(
        self,
        principal: NamedDependency[Principal],
        enrolment: FromPath[uuid.UUID],
        lesson: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,  # the language of the refusals
    ) -> LessonDone:
        return await progress.mark_lesson_done(principal.person_id, enrolment, lesson)

    @post(
        "/enrolments/{enrolment:uuid}/lessons/{lesson:uuid}/attempts",
        status_code=HTTP_201_CREATED,
        summary="Submit an attempt at a test of my course: graded at once",
        description="`answers`: question id → the ids of the options chosen. One point per"
        " question whose chosen options are exactly its right ones; the score is the percent of"
        " the points, rounded down, passed at the pass mark. The answer says which of my"
        " answers were right. 409 `no-attempts-left` when the test's attempts are used up.",
        opt={
            "errors": [
                *_NOT_PROGRESSING,
                LessonNotATest,
                NoAttemptsLeft,
                UnknownQuestion,
                UnknownOption,
            ]
        },
    )
    async def submit_attempt(
        self,
        principal: NamedDependency[Principal],
        enrolment: FromPath[uuid.UUID],
        lesson: FromPath[uuid.UUID],
        data: JSONBody[AttemptRequest],
        lang: ReaderLanguage = None,  # the language of the refusals
    ) -> AttemptResult:
        return await progress.submit_attempt(principal.person_id, enrolment, lesson, data.answers)


class InstructorRecordsController(Controller):
    path = "/cohorts/{cohort:uuid}"
    tags = ["learning"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    guards = [requires_signed_in]  # noqa: RUF012

    @put(
        "/classes/{class_id:uuid}/attendance",
        summary="Record who attended one meeting of a class (the cohort's instructors)",
        description="`meeting_start`: the meeting's original start, one the class's schedule"
        " makes. Each entry is written (again); the meeting's other entries are kept.",
        opt={
            "errors": [
                CohortNotFound,
                NotAnInstructor,
                ClassNotFound,
                NotAMeeting,
                NotALearnerOfTheCohort,
            ]
        },
    )
    async def record_attendance(
        self,
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        class_id: FromPath[uuid.UUID],
        data: JSONBody[AttendanceSheet],
        lang: ReaderLanguage = None,  # the language of the refusals
    ) -> RecordedAttendance:
        return await instruction.record_attendance(principal.person_id, cohort, class_id, data)

    @put(
        "/enrolments/{enrolment:uuid}/lessons/{lesson:uuid}",
        summary="Record a learner's lesson done, or a test's score (the cohort's instructors)",
        description="`done` for a text or video lesson; `score` (0–100) for a test, e.g. a"
        " paper one in class: it counts when it beats the best score and passes at the pass"
        " mark. The course is completed at once when this was its last step.",
        opt={
            "errors": [
                CohortNotFound,
                NotAnInstructor,
                *_NOT_PROGRESSING,
                NothingToRecord,
                TestNotMarkable,
                ScoreOfTestsOnly,
            ]
        },
    )
    async def record_lesson(
        self,
        principal: NamedDependency[Principal],
        cohort: FromPath[uuid.UUID],
        enrolment: FromPath[uuid.UUID],
        lesson: FromPath[uuid.UUID],
        data: JSONBody[LessonRecord],
        lang: ReaderLanguage = None,  # the language of the refusals
    ) -> RecordedLesson:
        return await instruction.record_lesson(principal.person_id, cohort, enrolment, lesson, data)
