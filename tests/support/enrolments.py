"""Enrolment in tests, through the API, and the recount of the seat pools against their rows."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.support import people
from tests.support.courses import CourseData
from year2026.seats_tables import SeatClaim


async def post_cohort_enrolment(
    client: httpx.AsyncClient, person: people.SignedIn, cohort: dict[str, Any], **query: str
) -> httpx.Response:
    """The answer to the person's asking to enrol in the cohort (whatever it is)."""
    return await client.post(
        f"/cohorts/{cohort['id']}/enrolments", headers=person.headers, params=query
    )


async def post_course_enrolment(
    client: httpx.AsyncClient, person: people.SignedIn, course: CourseData | str, **query: str
) -> httpx.Response:
    """The answer to the person's asking to enrol in the course (self-paced) by id or slug."""
    reference = course if isinstance(course, str) else str(course.id)
    return await client.post(
        f"/courses/{reference}/enrolments", headers=person.headers, params=query
    )


async def enrolled(
    client: httpx.AsyncClient, person: people.SignedIn, cohort: dict[str, Any]
) -> dict[str, Any]:
    """The person's new enrolment in the cohort, as they see it."""
    response = await post_cohort_enrolment(client, person, cohort)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def withdraw(
    client: httpx.AsyncClient, person: people.SignedIn, enrolment: dict[str, Any]
) -> httpx.Response:
    return await client.post(f"/me/enrolments/{enrolment['id']}/withdraw", headers=person.headers)


async def my_enrolment(
    client: httpx.AsyncClient, person: people.SignedIn, enrolment: dict[str, Any]
) -> dict[str, Any]:
    response = await client.get(f"/me/enrolments/{enrolment['id']}", headers=person.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def assert_pools_agree_with_rows() -> None:
    """Every pool's `taken` and `waitlisted` are what its claim rows say, and every claim of a
    course's pool has its enrolment, ended exactly when the claim did (and no enrolment lacks
    its claim: the foreign key says so)."""
    disagreeing = await SeatClaim.raw(
        "SELECT p.id, p.taken, p.waitlisted FROM seat_pool p LEFT JOIN seat_claim c"
        " ON c.pool = p.id GROUP BY p.id"
        " HAVING p.taken <> count(c.id) FILTER (WHERE c.status IN ('confirmed', 'offered'))"
        " OR p.waitlisted <> count(c.id) FILTER (WHERE c.status = 'waitlisted')"
    )
    assert [dict(row) for row in disagreeing] == []
    unpaired = await SeatClaim.raw(
        "SELECT c.id, c.status, e.id AS enrolment, e.ended_at FROM seat_claim c"
        " LEFT JOIN course_enrolment e ON e.id = c.id"
        " WHERE (c.pool IN (SELECT id FROM course_cohort) OR c.pool IN (SELECT id FROM course))"
        " AND (e.id IS NULL OR (e.ended_at IS NULL) <> (c.status <> 'cancelled'))"
    )
    assert [dict(row) for row in unpaired] == []


async def claims_in_arrival_order(pool_id: uuid.UUID) -> list[dict[str, Any]]:
    """The pool's claims in the order they were made: the order of their `seat_claim.claim`
    audit entries, which each claim writes while it holds the pool's row."""
    rows = await SeatClaim.raw(
        "SELECT c.id, c.person, c.status, c.position FROM audit_entry a"
        " JOIN seat_claim c ON c.id::text = a.object_id"
        " WHERE a.action = 'seat_claim.claim' AND c.pool = {} ORDER BY a.id",
        pool_id,
    )
    return [dict(row) for row in rows]
