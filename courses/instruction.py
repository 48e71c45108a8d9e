"""What instructors record: who attended a meeting of a class, and a learner's lesson done or test
score (a paper test in class). Only the cohort's instructors and admins; other members of the
provider are refused (403), and whoever may not see the course is told the cohort is not found.

A lesson record is a progress step like the learner's own (`courses.completion`): it locks the
enrolment, and completes the course in its transaction when it was the last step needed.
Attendance is not part of the completion rule, so it decides nothing. Both are audited in the
transaction that writes them.

Decided where the issue was silent: an instructor's score counts when it beats the best score
(and `recorded_by` then names them); a test is done by a passing score, never by `done`; only
confirmed learners of the cohort who have not withdrawn get attendance.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from courses import access, completion
from courses.cohort_errors import ClassNotFound
from courses.enums import LessonKind
from courses.errors import EnrolmentNotFound
from courses.learning_schemas import (
    AttendanceEntry,
    AttendanceSheet,
    LessonRecord,
    RecordedAttendance,
    RecordedLesson,
)
from courses.progress import lesson_of_course
from courses.progress_errors import (
    NotALearnerOfTheCohort,
    NotAMeeting,
    NotAnInstructor,
    NothingToRecord,
    ScoreOfTestsOnly,
    TestNotMarkable,
)
from courses.tables import ClassAttendance, CohortClass, LessonProgress
from year2026 import audit, recurrence
from year2026.db import get_engine
from year2026.people import queries
from year2026.people.enums import Role


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def instructed_cohort(
    actor_id: uuid.UUID, cohort_id: uuid.UUID
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The cohort and its course, if the actor teaches it (or is an admin)."""
    cohort, course = await access.visible_cohort(cohort_id, actor_id)
    if not await access.is_instructor_of(actor_id, cohort_id) and (
        Role.ADMIN not in await queries.roles_of(actor_id)
    ):
        raise NotAnInstructor
    return cohort, course


def is_meeting(cohort_class: Mapping[str, Any], time_zone: str, meeting_start: dt.datetime) -> bool:
    """Whether `meeting_start` is the original start of one of the class's meetings (its rule
    expanded in the cohort's zone, excluded dates left out)."""
    if meeting_start < cohort_class["starts_at"]:
        return False
    zone = ZoneInfo(time_zone)
    try:
        occurrences = recurrence.expand(
            start=cohort_class["starts_at"].astimezone(zone),
            end=cohort_class["ends_at"].astimezone(zone),
            zone=zone,
            rrule=cohort_class["rrule"] or None,
            exdates=[value.astimezone(zone) for value in cohort_class["exdates"]],
            window_start=meeting_start,
            window_end=meeting_start + dt.timedelta(seconds=1),
            limit=10,
        )
    except OverflowError:  # a time at the end of the calendar (year 9999): no meeting of ours
        return False
    return any(occurrence.original_start == meeting_start for occurrence in occurrences)


async def _class_of(cohort_id: uuid.UUID, class_id: uuid.UUID) -> dict[str, Any]:
    rows = await CohortClass.raw(
        "SELECT id, starts_at, ends_at, rrule, exdates FROM course_class"
        " WHERE id = {} AND cohort = {}",
        class_id,
        cohort_id,
    )
    if not rows:
        raise ClassNotFound
    return dict(rows[0])


def _attendance_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "cohort_class": row["cohort_class"],
        "meeting_start": row["meeting_start"],
        "enrolment": row["enrolment"],
        "attended": row["attended"],
    }


async def record_attendance(
    actor_id: uuid.UUID, cohort_id: uuid.UUID, class_id: uuid.UUID, sheet: AttendanceSheet
) -> RecordedAttendance:
    """Who attended one meeting of the class, as the instructor says: each entry is written
    (again), the rest of the meeting's sheet kept. An entry named twice: the last one counts."""
    now = _now()
    attended = {entry.enrolment_id: entry.attended for entry in sheet.entries}
    ids = sorted(attended)  # rows written in one order, so two sheets at once cannot deadlock
    async with get_engine().transaction():
        cohort, _ = await instructed_cohort(actor_id, cohort_id)
        cohort_class = await _class_of(cohort_id, class_id)
        if not is_meeting(cohort_class, cohort["time_zone"], sheet.meeting_start):
            raise NotAMeeting().at("meeting_start")
        learners = await ClassAttendance.raw(
            "SELECT e.id FROM course_enrolment e JOIN seat_claim c ON c.id = e.id"
            " WHERE e.id = ANY({}::uuid[]) AND e.cohort = {} AND e.ended_at IS NULL"
            " AND c.status = 'confirmed'",
            ids,
            cohort_id,
        )
        confirmed = {row["id"] for row in learners}
        for index, entry in enumerate(sheet.entries):
            if entry.enrolment_id not in confirmed:
                raise NotALearnerOfTheCohort().at(f"entries[{index}].enrolment_id")
        before = {
            row["enrolment"]: dict(row)
            for row in await ClassAttendance.raw(
                "SELECT id, cohort_class, meeting_start, enrolment, attended"
                " FROM course_class_attendance WHERE cohort_class = {} AND meeting_start = {}"
                " AND enrolment = ANY({}::uuid[]) ORDER BY enrolment FOR UPDATE",
                class_id,
                sheet.meeting_start,
                ids,
            )
        }
        written = await ClassAttendance.raw(
            "INSERT INTO course_class_attendance"
            " (id, cohort_class, meeting_start, enrolment, attended, recorded_by, recorded_at)"
            " SELECT gen_random_uuid(), {}, {}, u.enrolment, u.attended, {}, {}"
            " FROM unnest({}::uuid[], {}::boolean[]) AS u (enrolment, attended)"
            " ON CONFLICT (cohort_class, meeting_start, enrolment) DO UPDATE"
            " SET attended = EXCLUDED.attended, recorded_by = EXCLUDED.recorded_by,"
            " recorded_at = EXCLUDED.recorded_at"
            " RETURNING id, cohort_class, meeting_start, enrolment, attended",
            class_id,
            sheet.meeting_start,
            actor_id,
            now,
            ids,
            [attended[enrolment_id] for enrolment_id in ids],
        )
        for row in written:
            old = before.get(row["enrolment"])
            await audit.record_change(
                actor_id=actor_id,
                action="course_attendance.record",
                object_type="course_class_attendance",
                object_id=row["id"],
                before=None if old is None else _attendance_fields(old),
                after=_attendance_fields(row),
            )
    return RecordedAttendance(
        class_id=class_id,
        meeting_start=sheet.meeting_start.astimezone(ZoneInfo(cohort["time_zone"])),
        entries=[AttendanceEntry(enrolment_id=i, attended=attended[i]) for i in ids],
    )


_RECORD_SQL = (
    "INSERT INTO course_lesson_progress AS p"
    " (id, enrolment, lesson, done_at, best_score, recorded_by, updated_at)"
    " VALUES ({}, {}, {}, {}, {}, {}, {})"
    " ON CONFLICT (enrolment, lesson) DO UPDATE SET"
    " done_at = coalesce(p.done_at, EXCLUDED.done_at),"
    " best_score = greatest(p.best_score, EXCLUDED.best_score),"
    " recorded_by = EXCLUDED.recorded_by, updated_at = EXCLUDED.updated_at"
    # only a record that changes something is one: else the row stays as it was
    " WHERE (p.done_at IS NULL AND EXCLUDED.done_at IS NOT NULL)"
    " OR coalesce(p.best_score, -1) < coalesce(EXCLUDED.best_score, -1)"
    " RETURNING id, done_at, best_score, recorded_by"
)
_PROGRESS_FIELDS = "id, done_at, best_score, recorded_by"


def _progress_fields(
    row: Mapping[str, Any], enrolment_id: uuid.UUID, lesson_id: uuid.UUID
) -> dict[str, Any]:
    return {
        "enrolment": enrolment_id,
        "lesson": lesson_id,
        "done_at": row["done_at"],
        "best_score": row["best_score"],
        "recorded_by": row["recorded_by"],
    }


def _checked_record(lesson: Mapping[str, Any], record: LessonRecord) -> None:
    if lesson["kind"] == LessonKind.TEST:
        if record.done:
            raise TestNotMarkable().at("done")
    elif record.score is not None:
        raise ScoreOfTestsOnly().at("score")


async def record_lesson(
    actor_id: uuid.UUID,
    cohort_id: uuid.UUID,
    enrolment_id: uuid.UUID,
    lesson_id: uuid.UUID,
    record: LessonRecord,
) -> RecordedLesson:
    """An instructor records a learner's text or video lesson done, or a test's score (the
    best score kept; passed at the pass mark); the course completes in the same transaction when
    that was its last step."""
    now = _now()
    async with get_engine().transaction():
        await instructed_cohort(actor_id, cohort_id)
        if not record.done and record.score is None:
            raise NothingToRecord
        enrolment = await completion.locked_enrolment(enrolment_id)
        if enrolment is None or enrolment["cohort"] != cohort_id:
            raise EnrolmentNotFound
        lesson = await lesson_of_course(enrolment["course"], lesson_id)
        completion.require_progressing(enrolment)
        _checked_record(lesson, record)
        passed = record.score is not None and record.score >= lesson["pass_mark"]
        old = await LessonProgress.raw(
            f"SELECT {_PROGRESS_FIELDS} FROM course_lesson_progress"  # noqa: S608
            " WHERE enrolment = {} AND lesson = {}",
            enrolment_id,
            lesson_id,
        )
        changed = await LessonProgress.raw(
            _RECORD_SQL,
            uuid.uuid4(),
            enrolment_id,
            lesson_id,
            now if record.done or passed else None,
            record.score,
            actor_id,
            now,
        )
        if changed:
            await audit.record_change(
                actor_id=actor_id,
                action="course_progress.record",
                object_type="course_lesson_progress",
                object_id=changed[0]["id"],
                before=_progress_fields(old[0], enrolment_id, lesson_id) if old else None,
                after=_progress_fields(changed[0], enrolment_id, lesson_id),
            )
        completed_at = await completion.after_step(enrolment, now, actor_id)
    row = dict(changed[0]) if changed else dict(old[0])
    return RecordedLesson(
        enrolment_id=enrolment_id,
        lesson_id=lesson_id,
        done_at=row["done_at"],
        best_score=row["best_score"],
        recorded_by=row["recorded_by"],
        course_completed_at=completed_at,
    )
