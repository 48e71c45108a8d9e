"""The seat pools of the courses (`year2026.seats`): one per cohort (its id the cohort's), and
one per self-paced course (its id the course's, with no limit), so that every enrolment is a
seat claim decided by the same one conditional statement as an event registration.

Whatever decides who may enrol (the course's status, a cohort's status, capacity, waitlist and
enrolment window) is copied onto the pools here, in the transaction that changes it and under
the course's lock, so that a claim, which locks only its pool, decides on the pool's row alone.
Courses make no offers: a seat that opens goes at once to the first person waiting.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from courses.enums import CohortStatus, CourseFormat, CourseStatus
from courses.errors import CapacityBelowEnrolled
from courses.tables import Cohort, Enrolment
from year2026 import seats
from year2026.seats_enums import EndedReason

#: a self-paced course's pool closes only when the course is archived (`open` false)
SELF_PACED_CLOSES_AT = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
#: the cohort's fields its pool follows
COHORT_SEAT_FIELDS = frozenset(
    {"capacity", "waitlist", "enrolment_opens_at", "enrolment_closes_at", "starts_at", "ends_at"}
)


def _course_open(course: Mapping[str, Any]) -> bool:
    return bool(course["status"] == CourseStatus.PUBLISHED.value)


def self_paced_terms(course: Mapping[str, Any]) -> seats.PoolTerms:
    return seats.PoolTerms(
        capacity=None,
        waitlist=False,
        offer_minutes=None,
        open=_course_open(course) and course["format"] == CourseFormat.SELF_PACED.value,
        opens_at=None,
        closes_at=SELF_PACED_CLOSES_AT,
    )


def cohort_closes_at(cohort: Mapping[str, Any]) -> dt.datetime:
    """Enrolment closes when the cohort starts, or when the provider says (never after its end)."""
    closes: dt.datetime | None = cohort["enrolment_closes_at"]
    ends_at: dt.datetime = cohort["ends_at"]
    return cohort["starts_at"] if closes is None else min(closes, ends_at)


def cohort_terms(course: Mapping[str, Any], cohort: Mapping[str, Any]) -> seats.PoolTerms:
    return seats.PoolTerms(
        capacity=cohort["capacity"],
        waitlist=cohort["waitlist"],
        offer_minutes=None,
        open=_course_open(course) and cohort["status"] == CohortStatus.SCHEDULED.value,
        opens_at=cohort["enrolment_opens_at"],
        closes_at=cohort_closes_at(cohort),
    )


async def sync_course_pools(
    course: Mapping[str, Any], now: dt.datetime, actor_id: uuid.UUID | None
) -> list[seats.Claim]:
    """Bring every pool of the course (its row locked by the caller) in line with it: the
    self-paced pool (made when first needed) and each cohort's. Returns the claims promoted by
    seats that opened up."""
    cohorts = await Cohort.raw(
        "SELECT id, status, capacity, waitlist, enrolment_opens_at, enrolment_closes_at,"
        " starts_at, ends_at FROM course_cohort WHERE course = {}",
        course["id"],
    )
    terms = {row["id"]: cohort_terms(course, row) for row in cohorts}
    if course["format"] == CourseFormat.SELF_PACED.value or await seats.pool_row(course["id"]):
        terms[course["id"]] = self_paced_terms(course)
    return await _apply_terms(terms, now, actor_id)


async def sync_cohort_pool(
    course: Mapping[str, Any],
    cohort: Mapping[str, Any],
    now: dt.datetime,
    actor_id: uuid.UUID | None,
) -> list[seats.Claim]:
    """The pool of one cohort (made with the cohort), its course and cohort locked by the
    caller. A capacity below the seats held is `CapacityBelowEnrolled`, before anything changes."""
    return await _apply_terms({cohort["id"]: cohort_terms(course, cohort)}, now, actor_id)


async def _apply_terms(
    terms: Mapping[uuid.UUID, seats.PoolTerms], now: dt.datetime, actor_id: uuid.UUID | None
) -> list[seats.Claim]:
    await seats.create_pools(terms)
    try:
        return await seats.set_terms(terms, now, actor_id)
    except seats.CapacityBelowTaken as error:
        raise CapacityBelowEnrolled(taken=error.taken).at("capacity") from None


async def end_enrolment(
    enrolment_id: uuid.UUID,
    reason: EndedReason,
    now: dt.datetime,
    actor_id: uuid.UUID | None,
) -> seats.Released | None:
    """End an enrolment that has not ended (withdrawn, its cohort cancelled, its person erased),
    in the caller's transaction: its claim is released (a seat it held goes to the first person
    waiting) and the enrolment's `ended_at` set, together. An ended one stays as it is: None."""
    released = await seats.release_claim(enrolment_id, reason, now, actor_id)
    if released is None:
        return None
    await Enrolment.raw(
        "UPDATE course_enrolment SET ended_at = {} WHERE id = {} AND ended_at IS NULL",
        now,
        enrolment_id,
    )
    return released
