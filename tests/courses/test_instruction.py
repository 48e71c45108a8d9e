"""Instructors record attendance at their cohort's meetings and their learners' lessons and scores;
nobody else does (admins aside), and every record is audited."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import httpx

from tests.support import courses, people
from tests.support.http import assert_problem
from tests.support.learning import (
    a_class,
    a_learner,
    an_instructor,
    completion_entries,
    mark_done,
    submit,
)
from tests.support.organizers import Organizer, organizer
from year2026.audit_tables import AuditEntry
from year2026.settings import Settings

FIRST_MEETING = courses.COHORT_STARTS
WEEK = dt.timedelta(days=7)


async def audit_of(action: str) -> list[dict[str, Any]]:
    rows = await AuditEntry.raw(
        "SELECT actor, object_type, before, after FROM audit_entry WHERE action = {} ORDER BY id",
        action,
    )
    return [
        {
            **dict(row),
            "before": None if row["before"] is None else json.loads(row["before"]),
            "after": json.loads(row["after"]),
        }
        for row in rows
    ]


def sheet(meeting: dt.datetime, *entries: tuple[uuid.UUID, bool]) -> dict[str, Any]:
    return {
        "meeting_start": meeting.isoformat(),
        "entries": [{"enrolment_id": str(i), "attended": a} for i, a in entries],
    }


async def test_an_instructor_records_attendance_at_a_meeting_and_corrects_it(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course)
    class_id = await a_class(cohort)
    instructor = await an_instructor(settings, provider.organization_id, cohort["id"])
    came, missed = [await a_learner(settings, course, cohort["id"]) for _ in range(2)]
    path = f"/cohorts/{cohort['id']}/classes/{class_id}/attendance"
    third_week = FIRST_MEETING + 2 * WEEK
    recorded = await client.put(
        path,
        json=sheet(third_week, (came.enrolment_id, True), (missed.enrolment_id, False)),
        headers=instructor.headers,
    )
    assert recorded.status_code == 200, recorded.text
    assert recorded.json() == {
        "class_id": str(class_id),
        "meeting_start": third_week.isoformat(),  # in the cohort's zone
        "entries": sorted(
            [
                {"enrolment_id": str(came.enrolment_id), "attended": True},
                {"enrolment_id": str(missed.enrolment_id), "attended": False},
            ],
            key=lambda entry: str(entry["enrolment_id"]),
        ),
    }
    corrected = await client.put(
        path, json=sheet(third_week, (missed.enrolment_id, True)), headers=instructor.headers
    )
    assert corrected.status_code == 200, corrected.text
    entries = await audit_of("course_attendance.record")
    assert [(e["actor"], e["before"], e["after"]) for e in entries][2:] == [
        (
            instructor.person.person_id,
            {"attended": False},
            {"attended": True},
        )
    ]
    assert len(entries) == 3
    assert entries[0]["after"]["meeting_start"] == third_week.astimezone(dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


async def test_attendance_is_for_a_meeting_of_the_class_and_the_cohorts_confirmed_learners(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=1)
    class_id = await a_class(cohort, exdates=[FIRST_MEETING + WEEK])
    instructor = await an_instructor(settings, provider.organization_id, cohort["id"])
    seated = await a_learner(settings, course, cohort["id"])
    waiting = await a_learner(settings, course, cohort["id"])
    path = f"/cohorts/{cohort['id']}/classes/{class_id}/attendance"
    for meeting in (
        FIRST_MEETING + WEEK,  # excluded
        FIRST_MEETING + dt.timedelta(hours=1),  # during one, not its start
        FIRST_MEETING + 5 * WEEK,  # after the last
    ):
        refused = await client.put(
            path, json=sheet(meeting, (seated.enrolment_id, True)), headers=instructor.headers
        )
        body = assert_problem(refused, 422, "not-a-meeting-of-the-class")
        assert [error["field"] for error in body["errors"]] == ["meeting_start"]
    not_theirs = await client.put(
        path,
        json=sheet(FIRST_MEETING, (seated.enrolment_id, True), (waiting.enrolment_id, True)),
        headers=instructor.headers,
    )
    body = assert_problem(not_theirs, 422, "not-a-learner-of-the-cohort")
    assert [error["field"] for error in body["errors"]] == ["entries[1].enrolment_id"]
    other_class = f"/cohorts/{cohort['id']}/classes/{uuid.uuid4()}/attendance"
    missing = await client.put(
        other_class,
        json=sheet(FIRST_MEETING, (seated.enrolment_id, True)),
        headers=instructor.headers,
    )
    assert_problem(missing, 404, "class-not-found")
    assert await audit_of("course_attendance.record") == []


async def test_only_the_cohorts_instructors_and_admins_record(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course)
    other_cohort = await courses.a_cohort(course)
    class_id = await a_class(cohort)
    await an_instructor(settings, provider.organization_id, other_cohort["id"])
    learner = await a_learner(settings, course, cohort["id"])
    colleague = await organizer(settings, provider.organization_id)  # a member, not teaching it
    teaches_another = await an_instructor(settings, provider.organization_id, other_cohort["id"])
    outsider = await people.signed_in_person(settings)
    attendance = f"/cohorts/{cohort['id']}/classes/{class_id}/attendance"
    lesson = f"/cohorts/{cohort['id']}/enrolments/{learner.enrolment_id}/lessons/"
    lesson += str(course.lesson_ids[0])
    for headers in (colleague.headers, teaches_another.headers, outsider.headers):
        refused = await client.put(
            attendance, json=sheet(FIRST_MEETING, (learner.enrolment_id, True)), headers=headers
        )
        assert_problem(refused, 403, "not-an-instructor")
        refused = await client.put(lesson, json={"done": True}, headers=headers)
        assert_problem(refused, 403, "not-an-instructor")
    admin = await people.admin(settings)
    allowed = await client.put(
        attendance, json=sheet(FIRST_MEETING, (learner.enrolment_id, True)), headers=admin.headers
    )
    assert allowed.status_code == 200, allowed.text
    unknown = await client.put(
        f"/cohorts/{uuid.uuid4()}/classes/{class_id}/attendance",
        json=sheet(FIRST_MEETING, (learner.enrolment_id, True)),
        headers=admin.headers,
    )
    assert_problem(unknown, 404, "cohort-not-found")
    # an instructor of another cohort of the course does not reach this cohort's learner
    through_theirs = await client.put(
        f"/cohorts/{other_cohort['id']}/enrolments/{learner.enrolment_id}/lessons/"
        f"{course.lesson_ids[0]}",
        json={"done": True},
        headers=teaches_another.headers,
    )
    assert_problem(through_theirs, 404, "enrolment-not-found")


async def test_an_instructor_records_a_lesson_done_and_a_paper_test_score(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id, pass_mark=60)
    cohort = await courses.a_cohort(course)
    instructor = await an_instructor(settings, provider.organization_id, cohort["id"])
    learner = await a_learner(settings, course, cohort["id"])
    assert course.test_id is not None
    await mark_done(client, learner, course.lesson_ids[1])
    base = f"/cohorts/{cohort['id']}/enrolments/{learner.enrolment_id}/lessons"
    text = await client.put(
        f"{base}/{course.lesson_ids[0]}", json={"done": True}, headers=instructor.headers
    )
    assert text.status_code == 200, text.text
    assert text.json() == {
        "enrolment_id": str(learner.enrolment_id),
        "lesson_id": str(course.lesson_ids[0]),
        "done_at": text.json()["done_at"],
        "best_score": None,
        "recorded_by": str(instructor.person.person_id),
        "course_completed_at": None,
    }
    failed = await client.put(
        f"{base}/{course.test_id}", json={"score": 40}, headers=instructor.headers
    )
    assert (failed.json()["best_score"], failed.json()["done_at"]) == (40, None)
    passed = await client.put(
        f"{base}/{course.test_id}", json={"score": 80}, headers=instructor.headers
    )
    assert passed.json()["best_score"] == 80
    assert passed.json()["course_completed_at"] is not None  # the paper test was the last step
    lower = await client.put(
        f"{base}/{course.test_id}", json={"score": 70}, headers=instructor.headers
    )
    assert lower.json()["best_score"] == 80  # the best is kept
    entries = await audit_of("course_progress.record")
    assert [(e["before"] or {}).get("best_score") for e in entries] == [None, None, 40]
    assert [e["after"].get("best_score") for e in entries] == [None, 40, 80]
    assert {e["actor"] for e in entries} == {instructor.person.person_id}
    completed = await completion_entries(learner.enrolment_id)
    assert [e["actor"] for e in completed] == [instructor.person.person_id]
    shown = await client.get(learner.lesson_path(course.test_id), headers=learner.headers)
    assert (shown.json()["test"]["best_score"], shown.json()["test"]["passed"]) == (80, True)
    # the learner beats the paper score: the best is theirs, no longer the instructor's record
    assert (await submit(client, learner, course.test_id, course.answers(2))).status_code == 201
    again = await client.put(
        f"{base}/{course.test_id}", json={"score": 10}, headers=instructor.headers
    )
    assert (again.json()["best_score"], again.json()["recorded_by"]) == (100, None)


async def test_a_lesson_record_must_fit_the_lesson(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=1)
    instructor = await an_instructor(settings, provider.organization_id, cohort["id"])
    learner = await a_learner(settings, course, cohort["id"])
    waiting = await a_learner(settings, course, cohort["id"])
    base = f"/cohorts/{cohort['id']}/enrolments/{learner.enrolment_id}/lessons"
    for lesson_id, record, status, code in (
        (course.lesson_ids[0], {}, 422, "nothing-to-record"),
        (course.lesson_ids[0], {"score": 90}, 422, "score-of-tests-only"),
        (course.test_id, {"done": True}, 409, "test-not-markable"),
        (uuid.uuid4(), {"done": True}, 404, "lesson-not-found"),
    ):
        refused = await client.put(f"{base}/{lesson_id}", json=record, headers=instructor.headers)
        assert_problem(refused, status, code)
    waitlisted = await client.put(
        f"/cohorts/{cohort['id']}/enrolments/{waiting.enrolment_id}/lessons/{course.lesson_ids[0]}",
        json={"done": True},
        headers=instructor.headers,
    )
    assert_problem(waitlisted, 409, "enrolment-waitlisted")
    assert await audit_of("course_progress.record") == []
