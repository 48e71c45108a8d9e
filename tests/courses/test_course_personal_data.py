"""A learner's courses in their export, and what erasure does to them: enrolments not completed
are given up (the next waiting person moves up), completed ones stay as an anonymous person's."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx

from courses import tables
from courses.enums import CourseFormat
from courses.tables import ClassAttendance, CohortClass, LessonProgress
from tests.support import people
from tests.support.courses import a_cohort, a_course
from tests.support.enrolments import (
    assert_pools_agree_with_rows,
    enrolled,
    post_course_enrolment,
)
from tests.support.organizers import Organizer
from year2026.seats_tables import SeatClaim
from year2026.settings import Settings

DONE_AT = dt.datetime(2027, 2, 3, 5, 0, tzinfo=dt.UTC)
MEETING = dt.datetime(2027, 2, 2, 5, 0, tzinfo=dt.UTC)


async def test_export_lists_enrolments_progress_attempts_and_attendance(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    cohort = await a_cohort(course)
    learner = await people.signed_in_person(settings)
    enrolment = await enrolled(client, learner, cohort)
    enrolment_id = uuid.UUID(enrolment["id"])
    await LessonProgress.insert(
        LessonProgress(enrolment=enrolment_id, lesson=course.lesson_ids[0], done_at=DONE_AT)
    )
    answers = course.answers(right=1)
    await tables.TestAttempt.insert(
        tables.TestAttempt(
            enrolment=enrolment_id,
            lesson=course.test_id,
            number=1,
            answers=answers,
            correct=1,
            total=2,
            score=50,
            passed=True,
            submitted_at=DONE_AT,
        )
    )
    class_id = uuid.uuid4()
    await CohortClass.insert(
        CohortClass(
            id=class_id,
            cohort=cohort["id"],
            title_en="Kick-off",
            starts_at=MEETING,
            ends_at=MEETING + dt.timedelta(hours=2),
        )
    )
    await ClassAttendance.insert(
        ClassAttendance(
            cohort_class=class_id,
            meeting_start=MEETING,
            enrolment=enrolment_id,
            attended=True,
            recorded_by=provider.person.person_id,
            recorded_at=MEETING,
        )
    )
    exported = (await client.get("/me/export", headers=learner.headers)).json()["courses"]
    (row,) = exported["enrolments"]
    assert exported == {
        "enrolments": [
            {
                "id": enrolment["id"],
                "course_id": str(course.id),
                "course_slug": course.slug,
                "title_kk": course.row["title_kk"],
                "title_ru": course.row["title_ru"],
                "title_en": course.row["title_en"],
                "cohort_id": str(cohort["id"]),
                "status": "confirmed",
                "waitlist_position": None,
                "ended_reason": "",
                "created_at": row["created_at"],
                "confirmed_at": row["confirmed_at"],
                "first_progress_at": None,
                "ended_at": None,
                "completed_at": None,
            }
        ],
        "lesson_progress": [
            {
                "enrolment_id": enrolment["id"],
                "lesson_id": str(course.lesson_ids[0]),
                "title_kk": "",
                "title_ru": "",
                "title_en": "What is AI?",
                "done_at": "2027-02-03T05:00:00Z",
                "best_score": None,
                "updated_at": exported["lesson_progress"][0]["updated_at"],
            }
        ],
        "test_attempts": [
            {
                "enrolment_id": enrolment["id"],
                "lesson_id": str(course.test_id),
                "number": 1,
                "answers": answers,
                "correct": 1,
                "total": 2,
                "score": 50,
                "passed": True,
                "submitted_at": "2027-02-03T05:00:00Z",
            }
        ],
        "class_attendance": [
            {
                "enrolment_id": enrolment["id"],
                "class_id": str(class_id),
                "meeting_start": "2027-02-02T05:00:00Z",
                "attended": True,
                "recorded_at": "2027-02-02T05:00:00Z",
            }
        ],
    }
    assert dt.datetime.fromisoformat(row["created_at"]) == dt.datetime.fromisoformat(
        enrolment["created_at"]
    )


async def test_erasure_gives_up_enrolments_not_completed_and_keeps_completed_ones(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    cohort = await a_cohort(course, capacity=1)
    finished = await a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    leaving, waiting = [await people.signed_in_person(settings) for _ in range(2)]
    seat = await enrolled(client, leaving, cohort)
    queued = await enrolled(client, waiting, cohort)
    assert queued["status"] == "waitlisted"
    done = (await post_course_enrolment(client, leaving, finished)).json()
    await SeatClaim.raw(
        "UPDATE course_enrolment SET completed_at = now() WHERE id = {}", uuid.UUID(done["id"])
    )
    erased = await client.delete("/me", headers=leaving.headers)
    assert erased.status_code == 204, erased.text
    claims = await SeatClaim.raw(
        "SELECT c.id::text, c.status, c.ended_reason, e.ended_at IS NOT NULL AS ended,"
        " e.completed_at IS NOT NULL AS completed FROM seat_claim c"
        " JOIN course_enrolment e ON e.id = c.id ORDER BY c.created_at"
    )
    assert [dict(row) for row in claims] == [
        {
            "id": seat["id"],
            "status": "cancelled",
            "ended_reason": "erased",
            "ended": True,
            "completed": False,
        },
        {
            "id": queued["id"],
            "status": "confirmed",
            "ended_reason": "",
            "ended": False,
            "completed": False,
        },
        {
            "id": done["id"],
            "status": "confirmed",
            "ended_reason": "",
            "ended": False,
            "completed": True,
        },
    ]
    await assert_pools_agree_with_rows()
