"""Who may see and change a course and its cohorts: the one place the courses ask.

Members of the providing organization and admins may change a course and its cohorts (asked of
the database, never only of the token). A draft exists only for them: anyone else is told it is
not found, not that it is forbidden. Changes lock the course's row first and then the cohort's,
so concurrent changes to a course, its cohorts and its pools are ordered the same way everywhere.
Rows are locked FOR NO KEY UPDATE: an enrolment's foreign keys take FOR KEY SHARE on the course
and the cohort while its claim holds the seat pool's row, and FOR UPDATE here would deadlock a
change that then syncs the pools (`courses.seating`) against an enrolment in flight.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from courses.enums import PUBLIC_COURSE_STATUSES, CourseStatus
from courses.errors import CohortNotFound, CourseNotFound
from courses.tables import Cohort, Course
from year2026 import db
from year2026.people import organizations
from year2026.people.errors import NotAMember

#: the table's own columns (not the generated search vector)
COURSE_COLUMNS = ", ".join(column._meta.db_column_name for column in Course._meta.columns)
COHORT_COLUMNS = ", ".join(column._meta.db_column_name for column in Cohort._meta.columns)


def reference_clause(reference: str, alias: str = "") -> tuple[str, uuid.UUID | str]:
    """The SQL condition "the course named by its id or its slug", with its value."""
    return db.id_or_slug_clause(reference, alias)


async def course_row(reference: str, *, lock: bool = False) -> dict[str, Any] | None:
    """The course named by id or slug, whatever its status; `lock` holds it for a change."""
    condition, value = reference_clause(reference)
    rows = await Course.raw(
        f"SELECT {COURSE_COLUMNS} FROM course WHERE {condition}"  # noqa: S608
        f"{' FOR NO KEY UPDATE' if lock else ''}",
        value,
    )
    return dict(rows[0]) if rows else None


def is_public(course: Mapping[str, Any]) -> bool:
    return CourseStatus(course["status"]) in PUBLIC_COURSE_STATUSES


async def visible_course(reference: str, viewer_id: uuid.UUID | None) -> dict[str, Any]:
    """The course, if the viewer may see it (anyone a published or archived one; a draft its
    provider's members and admins)."""
    row = await course_row(reference)
    if row is None:
        raise CourseNotFound
    if not is_public(row) and not await organizations.is_member_or_admin(
        viewer_id, row["organization"]
    ):
        raise CourseNotFound
    return row


async def require_provider_of(actor_id: uuid.UUID, course: Mapping[str, Any]) -> None:
    """Refuse unless the actor is a member of the course's provider (or an admin); a draft they
    may not change is not found for them."""
    try:
        await organizations.require_member_or_admin(actor_id, course["organization"])
    except NotAMember:
        if not is_public(course):
            raise CourseNotFound from None
        raise


async def course_for_change(actor_id: uuid.UUID, reference: str) -> dict[str, Any]:
    """The course, locked for the rest of the transaction, if the actor may change it."""
    row = await course_row(reference, lock=True)
    if row is None:
        raise CourseNotFound
    await require_provider_of(actor_id, row)
    return row


async def cohort_row(cohort_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any] | None:
    rows = await Cohort.raw(
        f"SELECT {COHORT_COLUMNS} FROM course_cohort WHERE id = {{}}"  # noqa: S608
        f"{' FOR NO KEY UPDATE' if lock else ''}",
        cohort_id,
    )
    return dict(rows[0]) if rows else None


async def visible_cohort(
    cohort_id: uuid.UUID, viewer_id: uuid.UUID | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The cohort and its course, if the viewer may see the course."""
    cohort = await cohort_row(cohort_id)
    if cohort is None:
        raise CohortNotFound
    try:
        course = await visible_course(str(cohort["course"]), viewer_id)
    except CourseNotFound:
        raise CohortNotFound from None
    return cohort, course


async def cohort_for_change(
    actor_id: uuid.UUID, cohort_id: uuid.UUID
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The cohort and its course, both locked (the course first), if the actor may change them."""
    unlocked = await cohort_row(cohort_id)
    if unlocked is None:
        raise CohortNotFound
    try:
        course = await course_for_change(actor_id, str(unlocked["course"]))
    except CourseNotFound:
        raise CohortNotFound from None
    cohort = await cohort_row(cohort_id, lock=True)
    if cohort is None:
        raise CohortNotFound
    return cohort, course


async def is_instructor_of(person_id: uuid.UUID, cohort_id: uuid.UUID) -> bool:
    rows = await Cohort.raw(
        "SELECT 1 FROM course_cohort_instructor WHERE cohort = {} AND person = {}",
        cohort_id,
        person_id,
    )
    return bool(rows)
