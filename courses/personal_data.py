"""What the courses hold about a person, for their export and their erasure (handed to
`year2026.people` by the composition root as `PersonalDataParts`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from courses import seating
from courses.tables import Enrolment
from year2026.seats_enums import EndedReason


async def export_enrolments(person_id: uuid.UUID) -> dict[str, Any]:
    """The person's enrolments (every status) with their courses' titles, the lessons they did,
    their test attempts with scores and answers, and the class attendance recorded for them."""
    enrolments = await Enrolment.raw(
        "SELECT e.id, e.course AS course_id, k.slug AS course_slug, k.title_kk, k.title_ru,"
        " k.title_en, e.cohort AS cohort_id, CASE WHEN e.completed_at IS NOT NULL THEN"
        " 'completed' WHEN e.ended_at IS NOT NULL OR c.status = 'cancelled' THEN 'withdrawn'"
        " WHEN c.status = 'waitlisted' THEN 'waitlisted' ELSE 'confirmed' END AS status,"
        " c.position AS waitlist_position, c.ended_reason, e.created_at, c.confirmed_at,"
        " e.first_progress_at, e.ended_at, e.completed_at"
        " FROM course_enrolment e JOIN seat_claim c ON c.id = e.id"
        " JOIN course k ON k.id = e.course WHERE e.person = {} ORDER BY e.created_at, e.id",
        person_id,
    )
    progress = await Enrolment.raw(
        "SELECT p.enrolment AS enrolment_id, p.lesson AS lesson_id, l.title_kk, l.title_ru,"
        " l.title_en, p.done_at, p.best_score, p.updated_at"
        " FROM course_lesson_progress p JOIN course_enrolment e ON e.id = p.enrolment"
        " JOIN course_lesson l ON l.id = p.lesson WHERE e.person = {}"
        " ORDER BY p.updated_at, p.id",
        person_id,
    )
    attempts = await Enrolment.raw(
        "SELECT a.enrolment AS enrolment_id, a.lesson AS lesson_id, a.number, a.answers,"
        " a.correct, a.total, a.score, a.passed, a.submitted_at"
        " FROM course_test_attempt a JOIN course_enrolment e ON e.id = a.enrolment"
        " WHERE e.person = {} ORDER BY a.submitted_at, a.id",
        person_id,
    )
    attendance = await Enrolment.raw(
        "SELECT a.enrolment AS enrolment_id, a.cohort_class AS class_id, a.meeting_start,"
        " a.attended, a.recorded_at FROM course_class_attendance a"
        " JOIN course_enrolment e ON e.id = a.enrolment WHERE e.person = {}"
        " ORDER BY a.meeting_start, a.id",
        person_id,
    )
    return {
        "enrolments": [dict(row) for row in enrolments],
        "lesson_progress": [dict(row) for row in progress],
        "test_attempts": [
            {**row, "answers": _decoded(row["answers"])} for row in map(dict, attempts)
        ],
        "class_attendance": [dict(row) for row in attendance],
    }


def _decoded(answers: Any) -> Any:
    """JSONB comes back as its text from a raw query."""
    return msgspec.json.decode(answers) if isinstance(answers, str | bytes) else answers


async def withdraw_future_enrolments(person_id: uuid.UUID, now: dt.datetime) -> None:
    """An erased person gives up every enrolment they have not completed (the next waiting
    people move up); completed ones stay, as an anonymous person's, so that the courses' counts
    do not change. In the caller's (erasure's) transaction; pools are taken in id order, as every
    change of several pools takes them."""
    rows = await Enrolment.raw(
        "SELECT id FROM course_enrolment WHERE person = {} AND ended_at IS NULL"
        " AND completed_at IS NULL ORDER BY COALESCE(cohort, course), id",
        person_id,
    )
    for row in rows:
        await seating.end_enrolment(row["id"], EndedReason.ERASED, now, None)
