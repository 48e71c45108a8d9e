"""Cohorts and classes through the API, for the tests of cohorts, schedules and the providers'
views; and attendance rows as an instructor's recording would write them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx

from courses.tables import ClassAttendance
from tests.support.courses import CourseData
from tests.support.organizers import Organizer
from year2026.audit_tables import AuditEntry


def cohort_body(**changes: Any) -> dict[str, Any]:
    """An online cohort in the spring of 2027, its times as wall-clock times in Almaty."""
    return {
        "time_zone": "Asia/Almaty",
        "starts_at": "2027-03-01T10:00:00",
        "ends_at": "2027-05-31T18:00:00",
        "online_url": "https://meet.example.kz/ai-basics",
        "capacity": 25,
        **changes,
    }


async def post_cohort(
    client: httpx.AsyncClient, who: Organizer, course: CourseData, **changes: Any
) -> httpx.Response:
    return await client.post(
        f"/courses/{course.slug}/cohorts", json=cohort_body(**changes), headers=who.headers
    )


async def create_cohort(
    client: httpx.AsyncClient, who: Organizer, course: CourseData, **changes: Any
) -> dict[str, Any]:
    response = await post_cohort(client, who, course, **changes)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def create_class(
    client: httpx.AsyncClient, who: Organizer, cohort_id: uuid.UUID | str, **body: Any
) -> dict[str, Any]:
    response = await client.post(f"/cohorts/{cohort_id}/classes", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def record_attendance(
    class_id: uuid.UUID | str,
    meeting_start: dt.datetime,
    enrolment_id: uuid.UUID,
    attended: bool,
    recorded_by: uuid.UUID,
) -> None:
    """An attendance row as the instructors' recording writes one (not this part's service)."""
    await ClassAttendance.insert(
        ClassAttendance(
            id=uuid.uuid4(),
            cohort_class=uuid.UUID(str(class_id)),
            meeting_start=meeting_start,
            enrolment=enrolment_id,
            attended=attended,
            recorded_by=recorded_by,
        )
    )


async def audit_actions(object_id: uuid.UUID | str) -> list[str]:
    """The audit log's actions on the object, oldest first."""
    rows = await (
        AuditEntry.select(AuditEntry.action)
        .where(AuditEntry.object_id == str(object_id))
        .order_by(AuditEntry.id)
    )
    return [row["action"] for row in rows]
