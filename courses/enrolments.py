"""Enrolment: a signed-in person takes a place in a cohort, or in a self-paced course, and may
give it up.

The place is a seat claim (`year2026.seats`): one conditional statement on the pool's row (a
cohort's pool has its id; a self-paced course's pool has the course's id and no limit), behind the
process's per-pool gate, with the enrolment written by the claim's own statement (its
`companion`). The database holds one enrolment per person and course that has not ended
(`course_enrolment_one_active`), across all the course's cohorts: when two claims of one person
race, the loser's whole statement rolls back, seat included, and it answers with the winner's.

Decided where the issue is silent:
- asking again for the cohort (or self-paced course) one is enrolled in answers that enrolment
  (200); asking for another cohort of a course one is enrolled in is a 409 that names the
  enrolment one holds (`enrolled-in-another-cohort`): changing cohorts is withdraw, then enrol;
- a course completed once is not taken again (409 `course-already-completed`), and a completed
  enrolment is not withdrawn;
- missing prerequisites are named in the language the problem is written in (`?lang=`, else
  Accept-Language), as every other text of the answer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import msgspec

from courses import access, seating
from courses.enrolment_errors import (
    CohortCancelledForEnrolment,
    CohortFull,
    CohortRequired,
    CompletedEnrolmentKept,
    CourseAlreadyCompleted,
    CourseArchived,
    CourseNotPublished,
    EnrolledElsewhereInCourse,
    EnrolmentClosed,
    EnrolmentNotOpen,
    EnrolmentNotYetOpen,
    PrerequisitesMissing,
)
from courses.enrolment_schemas import Enrolment, EnrolmentStatus
from courses.enums import CohortStatus, CourseFormat, CourseStatus
from courses.errors import CohortNotFound, CourseNotFound, EnrolmentNotFound
from year2026 import db, seats
from year2026.db import get_engine
from year2026.exceptions import DomainError
from year2026.i18n import Language, localized, text_in
from year2026.people import organizations
from year2026.seats_enums import ClaimStatus, EndedReason

#: the constraints that keep one active claim per pool, and one enrolment per course
ONE_ACTIVE_CLAIM = "seat_claim_one_active"
ONE_ACTIVE_ENROLMENT = "course_enrolment_one_active"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


#: what an enrolment request needs to know, in one statement: the course (and the cohort), the
#: self-paced pool's existence, the person's enrolment in the course that has not ended, whether
#: they completed it once, and the prerequisites they have not completed ($1: the person)
_TARGET_SQL = (
    "SELECT c.id, c.organization, c.status, c.format, c.slug, c.title_kk, c.title_ru,"
    " c.title_en, h.id AS cohort_id, h.status AS cohort_status, h.time_zone,"
    " (h.id IS NOT NULL OR EXISTS (SELECT 1 FROM seat_pool p WHERE p.id = c.id)) AS has_pool,"
    " a.id AS active_id, a.cohort AS active_cohort, a.completed_at AS active_completed_at,"
    " EXISTS (SELECT 1 FROM course_enrolment d WHERE d.course = c.id AND d.person = $1"
    "  AND d.completed_at IS NOT NULL) AS completed,"
    " (SELECT jsonb_agg(jsonb_build_object('slug', r.slug, 'title_kk', r.title_kk,"
    "   'title_ru', r.title_ru, 'title_en', r.title_en) ORDER BY r.slug)"
    "  FROM course_prerequisite q JOIN course r ON r.id = q.required_course"
    "  WHERE q.course = c.id AND NOT EXISTS (SELECT 1 FROM course_enrolment t"
    "   WHERE t.course = q.required_course AND t.person = $1 AND t.completed_at IS NOT NULL)"
    " ) AS missing"
    " {source}"
    " LEFT JOIN course_enrolment a ON a.course = c.id AND a.person = $1 AND a.ended_at IS NULL"
    " WHERE {condition}"
)
_COHORT_SOURCE = "FROM course_cohort h JOIN course c ON c.id = h.course"
_COURSE_SOURCE = "FROM course c LEFT JOIN course_cohort h ON false"


@dataclass(frozen=True)
class Target:
    """What a request enrols in: a cohort of a course, or a self-paced course (the columns of
    `_TARGET_SQL`)."""

    row: dict[str, Any]

    @property
    def course_id(self) -> uuid.UUID:
        course_id: uuid.UUID = self.row["id"]
        return course_id

    @property
    def cohort_id(self) -> uuid.UUID | None:
        cohort_id: uuid.UUID | None = self.row["cohort_id"]
        return cohort_id

    @property
    def pool_id(self) -> uuid.UUID:
        return self.cohort_id or self.course_id


async def _target(person_id: uuid.UUID, source: str, condition: str, value: object) -> Target:
    rows = await db.fetch(
        _TARGET_SQL.replace("{source}", source).replace("{condition}", condition),
        person_id,
        value,
    )
    if not rows:
        raise CourseNotFound
    row = dict(rows[0])
    if row["status"] == CourseStatus.DRAFT.value and not await organizations.is_member_or_admin(
        person_id, row["organization"]
    ):
        raise CourseNotFound  # a draft exists only for its provider
    return Target(row)


def _check_may_enrol(target: Target, language: Language) -> None:
    """The rules the course itself decides, before any seat is asked for."""
    row = target.row
    if row["completed"]:
        raise CourseAlreadyCompleted
    if row["status"] == CourseStatus.DRAFT.value:
        raise CourseNotPublished
    if row["status"] == CourseStatus.ARCHIVED.value:
        raise CourseArchived
    if row["cohort_status"] == CohortStatus.CANCELLED.value:
        raise CohortCancelledForEnrolment
    if row["missing"]:
        missing = msgspec.json.decode(row["missing"])
        titles = [text_in(course, "title", language) or course["slug"] for course in missing]
        raise PrerequisitesMissing(
            courses=", ".join(titles), course_slugs=",".join(c["slug"] for c in missing)
        )


def _refused(refusal: seats.Refusal, target: Target) -> DomainError:
    if refusal.reason == seats.Refusal.NOT_YET and refusal.pool is not None:
        zone = ZoneInfo(target.row["time_zone"] or "Asia/Almaty")
        opens_at = refusal.pool["opens_at"].astimezone(zone)
        return EnrolmentNotYetOpen(opens_at=opens_at.isoformat(timespec="minutes"))
    if refusal.reason == seats.Refusal.CLOSED:
        return EnrolmentClosed()
    if refusal.reason == seats.Refusal.FULL:
        return CohortFull()
    return EnrolmentNotOpen()  # the course or the cohort changed a moment ago, or no pool


async def enrol_in_cohort(
    person_id: uuid.UUID,
    cohort_id: uuid.UUID,
    language: Language,
    gate: seats.ClaimGate = seats.OPEN_GATE,
) -> tuple[Enrolment, bool]:
    """The person's enrolment in the cohort: a new one (`created`), confirmed while seats last
    and then waitlisted in arrival order, or the one they have."""
    try:
        target = await _target(person_id, _COHORT_SOURCE, "h.id = $2", cohort_id)
    except CourseNotFound:
        raise CohortNotFound from None
    return await _enrol(person_id, target, language, gate)


async def enrol_in_course(
    person_id: uuid.UUID,
    reference: str,
    language: Language,
    gate: seats.ClaimGate = seats.OPEN_GATE,
) -> tuple[Enrolment, bool]:
    """The person's enrolment in a self-paced course (named by id or slug); a course taught in
    cohorts is `CohortRequired`."""
    condition, value = access.reference_clause(reference, "c")
    target = await _target(person_id, _COURSE_SOURCE, condition.replace("{}", "$2"), value)
    if target.row["format"] != CourseFormat.SELF_PACED.value:
        raise CohortRequired
    return await _enrol(person_id, target, language, gate)


async def _enrol(
    person_id: uuid.UUID, target: Target, language: Language, gate: seats.ClaimGate
) -> tuple[Enrolment, bool]:
    row = target.row
    if row["active_id"] is not None:
        if row["active_completed_at"] is not None:
            raise CourseAlreadyCompleted
        return await _existing(row["active_id"], target, language), False
    _check_may_enrol(target, language)
    if not row["has_pool"]:
        await _create_self_paced_pool(target.course_id)
    for _attempt in range(2):
        async with gate.admit(target.pool_id):
            try:
                claimed = await _claim(person_id, target)
            except asyncpg.UniqueViolationError as error:
                if error.constraint_name not in (ONE_ACTIVE_CLAIM, ONE_ACTIVE_ENROLMENT):
                    raise
                claimed = None  # the person's other request enrolled them a moment ago
            except seats.Refusal as refusal:
                raise _refused(refusal, target) from None
            except asyncpg.LockNotAvailableError:
                raise seats.SeatsBusy from None
        if claimed is not None:
            if not claimed.created:
                return await _existing(claimed.claim.id, target, language), False
            return _view_of(_new_enrolment_row(target, claimed), language), True
        active = await _active_enrolment(target.course_id, person_id)
        if active is not None:
            return await _existing(active, target, language), False
        # the enrolment that won ended before it could be read: ask for a seat again
    raise RuntimeError("an enrolment raced another of the same person twice")


async def _existing(enrolment_id: uuid.UUID, target: Target, language: Language) -> Enrolment:
    """The enrolment the person holds in the course: the one they asked for, or a refusal that
    names it (another cohort's)."""
    row = await enrolment_row(enrolment_id)
    if row is None:
        raise EnrolmentNotFound
    if row["completed_at"] is not None:
        raise CourseAlreadyCompleted
    if row["pool"] != target.pool_id:
        raise EnrolledElsewhereInCourse(
            enrolment_id=str(row["id"]),
            cohort_id=None if row["cohort"] is None else str(row["cohort"]),
        )
    return _view_of(row, language)


async def _active_enrolment(course_id: uuid.UUID, person_id: uuid.UUID) -> uuid.UUID | None:
    rows = await db.fetch(
        "SELECT id FROM course_enrolment WHERE course = {} AND person = {} AND ended_at IS NULL",
        course_id,
        person_id,
    )
    return rows[0]["id"] if rows else None


async def _create_self_paced_pool(course_id: uuid.UUID) -> None:
    """The self-paced pool, made when first needed (publishing makes it, normally), under the
    course's lock as every change to its pools."""
    async with get_engine().transaction():
        course = await access.course_row(str(course_id), lock=True)
        if course is not None:
            await seating.sync_course_pools(course, _now(), None)


async def _claim(person_id: uuid.UUID, target: Target) -> seats.Claimed:
    """The claim in the target's pool, with the enrolment written by its own statement."""
    enrolment = (
        "INSERT INTO course_enrolment (id, course, cohort, person, created_at)"
        " SELECT id, {}, {}, person, created_at FROM claim",
        (target.course_id, target.cohort_id),
    )
    return await seats.claim_seat(target.pool_id, person_id, _now(), companion=enrolment)


def _new_enrolment_row(target: Target, claimed: seats.Claimed) -> dict[str, Any]:
    """A new enrolment as `_VIEW_SQL` would read it, from what the claim already knows."""
    claim, row = claimed.claim, target.row
    return {
        "id": claim.id,
        "course": target.course_id,
        "cohort": target.cohort_id,
        "person": claim.person_id,
        "created_at": claim.created_at,
        "ended_at": None,
        "completed_at": None,
        "claim_status": claim.status.value,
        "ended_reason": claim.ended_reason,
        "pool": claim.pool_id,
        "slug": row["slug"],
        "title_kk": row["title_kk"],
        "title_ru": row["title_ru"],
        "title_en": row["title_en"],
        "waitlist_position": claimed.waiting,
    }


# --- reading and withdrawing ----------------------------------------------------------------

_VIEW_SQL = (
    "SELECT e.id, e.course, e.cohort, e.person, e.created_at, e.ended_at, e.completed_at,"
    " c.status AS claim_status, c.ended_reason, c.pool, k.slug, k.title_kk, k.title_ru,"
    " k.title_en,"
    " CASE WHEN c.status = 'waitlisted' THEN (SELECT count(*) FROM seat_claim w"
    "  WHERE w.pool = c.pool AND w.status = 'waitlisted' AND w.position <= c.position)"
    " END AS waitlist_position"
    " FROM course_enrolment e JOIN seat_claim c ON c.id = e.id JOIN course k ON k.id = e.course"
)


def status_of(row: Mapping[str, Any]) -> EnrolmentStatus:
    if row["completed_at"] is not None:
        return EnrolmentStatus.COMPLETED
    claim_status = ClaimStatus(row["claim_status"])
    if row["ended_at"] is not None or claim_status is ClaimStatus.CANCELLED:
        return EnrolmentStatus.WITHDRAWN
    if claim_status is ClaimStatus.WAITLISTED:
        return EnrolmentStatus.WAITLISTED
    return EnrolmentStatus.CONFIRMED


def _view_of(row: Mapping[str, Any], language: Language) -> Enrolment:
    return Enrolment(
        id=row["id"],
        course_id=row["course"],
        course_slug=row["slug"],
        course_title=localized(row, "title", language),
        cohort_id=row["cohort"],
        status=status_of(row),
        waitlist_position=row["waitlist_position"],
        ended_reason=row["ended_reason"],
        created_at=row["created_at"],
        ended_at=row["ended_at"],
        completed_at=row["completed_at"],
    )


async def enrolment_row(enrolment_id: uuid.UUID) -> dict[str, Any] | None:
    rows = await db.fetch(_VIEW_SQL + " WHERE e.id = {}", enrolment_id)
    return dict(rows[0]) if rows else None


async def my_enrolment(
    person_id: uuid.UUID, enrolment_id: uuid.UUID, language: Language
) -> Enrolment:
    row = await enrolment_row(enrolment_id)
    if row is None or row["person"] != person_id:
        raise EnrolmentNotFound  # another person's is not theirs to know of
    return _view_of(row, language)


async def withdraw_my_enrolment(
    person_id: uuid.UUID, enrolment_id: uuid.UUID, language: Language
) -> Enrolment:
    """The person gives up their place (or leaves the waitlist); the seat goes to the first
    person waiting, in the same transaction. Withdrawing twice changes nothing; a completed
    enrolment stays (`CompletedEnrolmentKept`)."""
    row = await enrolment_row(enrolment_id)
    if row is None or row["person"] != person_id:
        raise EnrolmentNotFound
    if row["completed_at"] is not None:
        raise CompletedEnrolmentKept
    async with get_engine().transaction():
        released = await seating.end_enrolment(
            enrolment_id, EndedReason.WITHDRAWN, _now(), person_id
        )
        if released is not None:
            # completion may have landed since it was read: the enrolment's row is locked now
            # (by `end_enrolment`'s update), so this reading is the last word
            completed = await db.fetch(
                "SELECT completed_at FROM course_enrolment WHERE id = {}", enrolment_id
            )
            if completed[0]["completed_at"] is not None:
                raise CompletedEnrolmentKept
    return await my_enrolment(person_id, enrolment_id, language)
