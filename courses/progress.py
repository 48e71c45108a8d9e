"""Learning, as the learner does it: their courses with progress per module, a lesson to read (a
test without its answers), a lesson marked done, a test submitted and graded.

Only the person's own enrolments (another's is not found), and only a confirmed enrolment that
has not ended makes progress or reads lessons. Every step locks its enrolment first and decides
completion after its write, in one transaction (`courses.completion`).

Decided where the issue was silent: a test is done when its best score reaches its pass mark as
the mark is now (it cannot be marked done); a question left out of an attempt earns nothing;
after submitting, the learner learns which of their answers were right, never which options
are, so that a test with attempts left cannot be read off its own results; a completed course
may still be studied and its tests retaken (within their attempts), which raises the best score
but changes nothing about completion.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg
import msgspec

from courses import completion, grading
from courses.enums import LessonKind
from courses.errors import EnrolmentNotFound, LessonNotFound
from courses.learning_schemas import (
    AnswerMark,
    AttemptResult,
    LearningStatus,
    LessonDone,
    LessonView,
    ModuleProgress,
    MyCourse,
    MyCoursePage,
    OptionView,
    QuestionView,
    TestProgress,
    TestView,
)
from courses.progress_errors import LessonNotATest, NoAttemptsLeft, TestNotMarkable
from courses.tables import Enrolment, Lesson, LessonProgress, TestAttempt
from year2026.db import get_engine
from year2026.i18n import Language, localized
from year2026.paging import DEFAULT_LIMIT, KeyColumn, Keyset
from year2026.seats_enums import ClaimStatus

_ATTEMPT_NUMBER_ONCE = "course_test_attempt_number_once"

#: a person's enrolments, newest first
MY_COURSES = Keyset(
    "my-courses",
    (KeyColumn("e.created_at", dt.datetime), KeyColumn("e.id", uuid.UUID)),
    descending=True,
)

LESSON_COLUMNS = (
    "l.id, l.course, l.module, l.kind, l.title_kk, l.title_ru, l.title_en, l.body_kk, l.body_ru,"
    " l.body_en, l.video_url, l.duration_minutes, l.required, l.final, l.pass_mark,"
    " l.max_attempts"
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def learning_status(row: Mapping[str, Any]) -> LearningStatus:
    if row["completed_at"] is not None:
        return LearningStatus.COMPLETED
    if row["ended_at"] is not None or row["claim_status"] == ClaimStatus.CANCELLED:
        return LearningStatus.WITHDRAWN
    if row["claim_status"] == ClaimStatus.WAITLISTED:
        return LearningStatus.WAITLISTED
    return LearningStatus.CONFIRMED


# --- my courses -------------------------------------------------------------------------------

_MY_COURSES_SQL = (
    "SELECT e.id, e.course, e.cohort, e.created_at, e.completed_at, e.ended_at,"
    " c.status AS claim_status, co.slug, co.title_kk, co.title_ru, co.title_en"
    " FROM course_enrolment e JOIN seat_claim c ON c.id = e.id JOIN course co ON co.id = e.course"
    " WHERE e.person = {} AND {} {}"
)
#: every module and lesson of the enrolments' courses, with the enrolments' progress in them
_PROGRESS_SQL = (
    "SELECT e.id AS enrolment, m.id AS module_id, m.title_kk, m.title_ru, m.title_en,"
    " l.id AS lesson_id, l.kind, l.required, l.final, l.pass_mark,"
    " l.title_kk AS lesson_title_kk, l.title_ru AS lesson_title_ru,"
    " l.title_en AS lesson_title_en, p.done_at, p.best_score"
    " FROM course_enrolment e JOIN course_module m ON m.course = e.course"
    " LEFT JOIN course_lesson l ON l.module = m.id"
    " LEFT JOIN course_lesson_progress p ON p.enrolment = e.id AND p.lesson = l.id"
    " WHERE e.id = ANY({}::uuid[])"
    " ORDER BY e.id, m.position, m.id, l.position, l.id"
)


def _is_done(lesson: Mapping[str, Any]) -> bool:
    """A lesson done; a test: its best score at its pass mark as it is now (a corrected mark
    counts at once, as it does for completion)."""
    if lesson["kind"] == LessonKind.TEST:
        return lesson["best_score"] is not None and lesson["best_score"] >= lesson["pass_mark"]
    return lesson["done_at"] is not None


def _modules_of(rows: Sequence[Mapping[str, Any]], language: Language) -> list[ModuleProgress]:
    modules: dict[uuid.UUID, ModuleProgress] = {}
    for row in rows:
        module = modules.get(row["module_id"])
        if module is None:
            module = modules[row["module_id"]] = ModuleProgress(
                module_id=row["module_id"],
                title=localized(row, "title", language),
                lessons_done=0,
                lessons_required=0,
                tests=[],
            )
        if row["lesson_id"] is None:
            continue  # a module without lessons
        done = _is_done(row)
        if row["required"]:
            module.lessons_required += 1
            module.lessons_done += done
        if row["kind"] == LessonKind.TEST:
            module.tests.append(
                TestProgress(
                    lesson_id=row["lesson_id"],
                    title=localized(row, "lesson_title", language),
                    final=row["final"],
                    pass_mark=row["pass_mark"],
                    best_score=row["best_score"],
                    passed=done,
                )
            )
    return list(modules.values())


def _percent(row: Mapping[str, Any], modules: Sequence[ModuleProgress]) -> int:
    if row["completed_at"] is not None:
        return 100
    required = sum(module.lessons_required for module in modules)
    done = sum(module.lessons_done for module in modules)
    return done * 100 // required if required else 0


async def my_courses(
    person_id: uuid.UUID,
    language: Language,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> MyCoursePage:
    """The person's enrolments, newest first, with their progress per module: two statements
    whatever the page holds."""
    rows = await Enrolment.raw(
        _MY_COURSES_SQL, person_id, MY_COURSES.after(cursor), MY_COURSES.order_and_limit(limit)
    )
    page = MY_COURSES.page([dict(row) for row in rows], limit)
    progress: dict[uuid.UUID, list[dict[str, Any]]] = {row["id"]: [] for row in page.rows}
    if progress:
        for row in await Enrolment.raw(_PROGRESS_SQL, list(progress)):
            progress[row["enrolment"]].append(dict(row))
    items = []
    for row in page.rows:
        modules = _modules_of(progress[row["id"]], language)
        items.append(
            MyCourse(
                enrolment_id=row["id"],
                course_id=row["course"],
                course_slug=row["slug"],
                course_title=localized(row, "title", language),
                cohort_id=row["cohort"],
                status=learning_status(row),
                enrolled_at=row["created_at"],
                completed_at=row["completed_at"],
                percent=_percent(row, modules),
                modules=modules,
            )
        )
    return MyCoursePage(items=items, next_cursor=page.next_cursor)


# --- a lesson ---------------------------------------------------------------------------------

_LESSON_VIEW_SQL = (
    "SELECT e.person, e.ended_at, e.completed_at, c.status AS claim_status,"  # noqa: S608
    f" {LESSON_COLUMNS}, p.done_at, p.best_score,"
    " (SELECT count(*) FROM course_test_attempt a WHERE a.enrolment = e.id AND a.lesson = l.id)"
    " AS attempts_used"
    " FROM course_enrolment e JOIN seat_claim c ON c.id = e.id"
    " LEFT JOIN course_lesson l ON l.course = e.course AND l.id = {}"
    " LEFT JOIN course_lesson_progress p ON p.enrolment = e.id AND p.lesson = l.id"
    " WHERE e.id = {}"
)
#: a test's questions and options, without which options are right
_QUESTIONS_SQL = (
    "SELECT q.id AS question_id, q.text_kk, q.text_ru, q.text_en, o.id AS option_id,"
    " o.text_kk AS option_text_kk, o.text_ru AS option_text_ru, o.text_en AS option_text_en"
    " FROM course_question q LEFT JOIN course_question_option o ON o.question = q.id"
    " WHERE q.lesson = {} ORDER BY q.position, q.id, o.position, o.id"
)
#: the same for grading: which options are right, and nothing to show
_ANSWER_KEY_SQL = (
    "SELECT q.id AS question_id, o.id AS option_id, o.correct"
    " FROM course_question q LEFT JOIN course_question_option o ON o.question = q.id"
    " WHERE q.lesson = {} ORDER BY q.position, q.id, o.position, o.id"
)


def _questions_of(rows: Sequence[Mapping[str, Any]], language: Language) -> list[QuestionView]:
    questions: dict[uuid.UUID, QuestionView] = {}
    for row in rows:
        question = questions.get(row["question_id"])
        if question is None:
            question = questions[row["question_id"]] = QuestionView(
                id=row["question_id"], text=localized(row, "text", language), options=[]
            )
        if row["option_id"] is not None:
            question.options.append(
                OptionView(id=row["option_id"], text=localized(row, "option_text", language))
            )
    return list(questions.values())


def _attempts_left(max_attempts: int | None, used: int) -> int | None:
    return None if max_attempts is None else max(0, max_attempts - used)


async def my_lesson(
    person_id: uuid.UUID, enrolment_id: uuid.UUID, lesson_id: uuid.UUID, language: Language
) -> LessonView:
    """A lesson of the person's course in their language (with the fallback); a test with its
    questions and options (never which are right), pass mark, attempts and best score."""
    rows = await Enrolment.raw(_LESSON_VIEW_SQL, lesson_id, enrolment_id)
    if not rows or rows[0]["person"] != person_id:
        raise EnrolmentNotFound  # another person's is not theirs to know of
    row = dict(rows[0])
    if row["id"] is None:
        raise LessonNotFound
    completion.require_progressing(row)
    test = None
    if row["kind"] == LessonKind.TEST:
        questions = _questions_of(await Lesson.raw(_QUESTIONS_SQL, lesson_id), language)
        test = TestView(
            pass_mark=row["pass_mark"],
            max_attempts=row["max_attempts"],
            attempts_used=row["attempts_used"],
            attempts_left=_attempts_left(row["max_attempts"], row["attempts_used"]),
            best_score=row["best_score"],
            passed=_is_done(row),
            questions=questions,
        )
    return LessonView(
        id=row["id"],
        module_id=row["module"],
        kind=LessonKind(row["kind"]),
        title=localized(row, "title", language),
        body=localized(row, "body", language),
        video_url=row["video_url"],
        duration_minutes=row["duration_minutes"],
        required=row["required"],
        final=row["final"],
        done_at=row["done_at"],
        test=test,
    )


# --- steps ------------------------------------------------------------------------------------


async def lesson_of_course(course_id: uuid.UUID, lesson_id: uuid.UUID) -> dict[str, Any]:
    rows = await Lesson.raw(
        f"SELECT {LESSON_COLUMNS} FROM course_lesson l WHERE l.id = {{}} AND l.course = {{}}",  # noqa: S608
        lesson_id,
        course_id,
    )
    if not rows:
        raise LessonNotFound
    return dict(rows[0])


async def _my_step(
    person_id: uuid.UUID, enrolment_id: uuid.UUID, lesson_id: uuid.UUID
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The person's enrolment (locked: the step's first statement) and the lesson of its course,
    if the enrolment may make progress."""
    enrolment = await completion.locked_enrolment(enrolment_id)
    if enrolment is None or enrolment["person"] != person_id:
        raise EnrolmentNotFound
    lesson = await lesson_of_course(enrolment["course"], lesson_id)
    completion.require_progressing(enrolment)
    return enrolment, lesson


async def mark_lesson_done(
    person_id: uuid.UUID, enrolment_id: uuid.UUID, lesson_id: uuid.UUID
) -> LessonDone:
    """A text or video lesson done (once: marking it again keeps the first time); the course is
    completed in the same transaction if that was the last step it needed."""
    now = _now()
    async with get_engine().transaction():
        enrolment, lesson = await _my_step(person_id, enrolment_id, lesson_id)
        if lesson["kind"] == LessonKind.TEST:
            raise TestNotMarkable
        await LessonProgress.raw(
            "INSERT INTO course_lesson_progress (id, enrolment, lesson, done_at, updated_at)"
            " VALUES ({}, {}, {}, {}, {}) ON CONFLICT (enrolment, lesson) DO NOTHING",
            uuid.uuid4(),
            enrolment_id,
            lesson_id,
            now,
            now,
        )
        done = await LessonProgress.raw(
            "SELECT done_at FROM course_lesson_progress WHERE enrolment = {} AND lesson = {}",
            enrolment_id,
            lesson_id,
        )
        completed_at = await completion.after_step(enrolment, now, person_id)
    return LessonDone(
        enrolment_id=enrolment_id,
        lesson_id=lesson_id,
        done_at=done[0]["done_at"],
        course_completed_at=completed_at,
    )


async def _answer_key(lesson_id: uuid.UUID) -> list[grading.GradedQuestion]:
    options: dict[uuid.UUID, list[tuple[uuid.UUID, bool]]] = {}
    for row in await Lesson.raw(_ANSWER_KEY_SQL, lesson_id):
        listed = options.setdefault(row["question_id"], [])
        if row["option_id"] is not None:
            listed.append((row["option_id"], row["correct"]))
    return [
        grading.GradedQuestion(
            id=question_id,
            option_ids=frozenset(option for option, _ in listed),
            right_ids=frozenset(option for option, right in listed if right),
        )
        for question_id, listed in options.items()
    ]


_ATTEMPT_SQL = (
    "INSERT INTO course_test_attempt"
    " (id, enrolment, lesson, number, answers, correct, total, score, passed, submitted_at)"
    " SELECT {}, {}, {}, n.next, {}::jsonb, {}, {}, {}, {}, {}"
    " FROM (SELECT coalesce(max(number), 0) + 1 AS next FROM course_test_attempt"
    "  WHERE enrolment = {} AND lesson = {}) n"
    " WHERE {}::int IS NULL OR n.next <= {}::int"
    " RETURNING number"
)
_BEST_SCORE_SQL = (
    "INSERT INTO course_lesson_progress AS p (id, enrolment, lesson, done_at, best_score,"
    " updated_at) VALUES ({}, {}, {}, {}, {}, {})"
    " ON CONFLICT (enrolment, lesson) DO UPDATE SET"
    " best_score = greatest(p.best_score, EXCLUDED.best_score),"
    " done_at = coalesce(p.done_at, EXCLUDED.done_at), updated_at = EXCLUDED.updated_at,"
    # a best score of the learner's own is no longer the instructor's record
    " recorded_by = CASE WHEN EXCLUDED.best_score > coalesce(p.best_score, -1) THEN NULL"
    " ELSE p.recorded_by END"
    " RETURNING best_score"
)


async def submit_attempt(
    person_id: uuid.UUID,
    enrolment_id: uuid.UUID,
    lesson_id: uuid.UUID,
    answers: Mapping[str, Sequence[uuid.UUID]],
) -> AttemptResult:
    """One attempt at a test, graded here: stored with its number (the unique (enrolment,
    lesson, number) keeps two submissions from both being the last one allowed), the best score
    kept, the test done when passed, and the course completed if that was its last step."""
    now = _now()
    try:
        async with get_engine().transaction():
            enrolment, lesson = await _my_step(person_id, enrolment_id, lesson_id)
            if lesson["kind"] != LessonKind.TEST:
                raise LessonNotATest
            grade = grading.grade(await _answer_key(lesson_id), answers, lesson["pass_mark"])
            max_attempts: int | None = lesson["max_attempts"]
            numbered = await TestAttempt.raw(
                _ATTEMPT_SQL,
                uuid.uuid4(),
                enrolment_id,
                lesson_id,
                msgspec.json.encode(grade.answers).decode(),
                grade.points,
                grade.max_points,
                grade.score,
                grade.passed,
                now,
                enrolment_id,
                lesson_id,
                max_attempts,
                max_attempts,
            )
            if not numbered:
                raise NoAttemptsLeft(max_attempts=max_attempts)
            best = await LessonProgress.raw(
                _BEST_SCORE_SQL,
                uuid.uuid4(),
                enrolment_id,
                lesson_id,
                now if grade.passed else None,
                grade.score,
                now,
            )
            completed_at = await completion.after_step(enrolment, now, person_id)
    except asyncpg.UniqueViolationError as error:
        if error.constraint_name != _ATTEMPT_NUMBER_ONCE:
            raise
        # another submission took this number first (only without the enrolment's lock)
        raise NoAttemptsLeft(max_attempts=lesson["max_attempts"]) from None
    number: int = numbered[0]["number"]
    return AttemptResult(
        lesson_id=lesson_id,
        number=number,
        points=grade.points,
        max_points=grade.max_points,
        score=grade.score,
        passed=grade.passed,
        best_score=best[0]["best_score"],
        attempts_left=_attempts_left(max_attempts, number),
        answers=[
            AnswerMark(question_id=question_id, right=right)
            for question_id, right in grade.marks.items()
        ],
        course_completed_at=completed_at,
    )
