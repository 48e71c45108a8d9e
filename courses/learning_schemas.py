"""The API bodies of learning (msgspec Structs), in and out: a learner's courses with their
progress, a lesson as the learner reads it, a test's attempt and its grade, and what instructors
record. Nothing a learner reads before submitting says which options are right."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated

import msgspec

from courses.enums import LessonKind
from year2026.i18n import LocalizedText

#: a question id → the option ids chosen. Unbounded in the schema (Litestar leaves a dict's
#: bounds out of it), but bounded all the same: a key that is no question of the test is 422
#: `unknown-question`, an option not of its question 422 `unknown-option`
Answers = dict[str, list[uuid.UUID]]
#: 0..100 (`gt=-1`: Litestar leaves a bound of 0 out of the schema, taking it for "none")
Score = Annotated[int, msgspec.Meta(gt=-1, le=100)]


class LearningStatus(enum.StrEnum):
    """Where a learner's enrolment stands: completed wins over everything (it is never undone)."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"


class TestProgress(msgspec.Struct, kw_only=True):
    lesson_id: uuid.UUID
    title: LocalizedText
    final: bool
    pass_mark: int
    #: null: not taken yet
    best_score: int | None
    passed: bool


class ModuleProgress(msgspec.Struct, kw_only=True):
    module_id: uuid.UUID
    title: LocalizedText
    #: required lessons of the module done (a test: passed)
    lessons_done: int
    lessons_required: int
    tests: list[TestProgress]


class MyCourse(msgspec.Struct, kw_only=True):
    enrolment_id: uuid.UUID
    course_id: uuid.UUID
    course_slug: str
    course_title: LocalizedText
    #: null: self-paced
    cohort_id: uuid.UUID | None
    status: LearningStatus
    enrolled_at: dt.datetime
    completed_at: dt.datetime | None
    #: required lessons done out of all required ones, percent rounded down (100 once completed)
    percent: int
    modules: list[ModuleProgress]


class MyCoursePage(msgspec.Struct, kw_only=True):
    items: list[MyCourse]
    next_cursor: str | None


class OptionView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    text: LocalizedText


class QuestionView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    text: LocalizedText
    options: list[OptionView]


class TestView(msgspec.Struct, kw_only=True):
    pass_mark: int
    #: null: no limit
    max_attempts: int | None
    attempts_used: int
    attempts_left: int | None
    best_score: int | None
    passed: bool
    questions: list[QuestionView]


class LessonView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    module_id: uuid.UUID
    kind: LessonKind
    title: LocalizedText
    #: a text lesson's content, or a test's introduction (Markdown)
    body: LocalizedText
    video_url: str
    duration_minutes: int
    required: bool
    final: bool
    done_at: dt.datetime | None
    #: tests only
    test: TestView | None


class LessonDone(msgspec.Struct, kw_only=True):
    enrolment_id: uuid.UUID
    lesson_id: uuid.UUID
    done_at: dt.datetime
    #: set when this step (or an earlier one) completed the course
    course_completed_at: dt.datetime | None


class AttemptRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    #: question id → the ids of the options chosen (a question left out scores nothing)
    answers: Answers


class AnswerMark(msgspec.Struct, kw_only=True):
    question_id: uuid.UUID
    #: the chosen options were exactly the right ones
    right: bool


class AttemptResult(msgspec.Struct, kw_only=True):
    lesson_id: uuid.UUID
    number: int
    points: int
    max_points: int
    #: percent of the points, rounded down
    score: int
    passed: bool
    best_score: int
    attempts_left: int | None
    #: one per question of the test, in its order
    answers: list[AnswerMark]
    course_completed_at: dt.datetime | None


class AttendanceEntry(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    enrolment_id: uuid.UUID
    attended: bool


class AttendanceSheet(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Who came to one meeting of a class (`meeting_start`: its original start)."""

    meeting_start: Annotated[dt.datetime, msgspec.Meta(tz=True)]
    entries: Annotated[list[AttendanceEntry], msgspec.Meta(max_length=500)]


class RecordedAttendance(msgspec.Struct, kw_only=True):
    class_id: uuid.UUID
    #: in the cohort's zone
    meeting_start: dt.datetime
    entries: list[AttendanceEntry]


class LessonRecord(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What an instructor records for a learner: a text or video lesson done, or a test's score
    (a paper test in class; it counts when it beats the best score, and passes at the mark)."""

    done: bool = False
    score: Score | None = None


class RecordedLesson(msgspec.Struct, kw_only=True):
    enrolment_id: uuid.UUID
    lesson_id: uuid.UUID
    done_at: dt.datetime | None
    best_score: int | None
    recorded_by: uuid.UUID | None
    course_completed_at: dt.datetime | None
