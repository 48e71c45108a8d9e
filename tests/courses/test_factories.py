"""The factories' courses hold what the database promises (a seat claim under each enrolment,
one enrolment per person and course not ended), so the tests built on them start from the truth."""

from __future__ import annotations

import datetime as dt

import asyncpg
import pytest

from courses import seating
from courses.enums import CourseFormat
from tests.support import courses, people
from tests.support.organizers import Organizer
from year2026 import seats
from year2026.db import get_engine
from year2026.seats_enums import ClaimStatus, EndedReason
from year2026.settings import Settings


async def test_enrolment_claims_a_cohort_seat_and_holds_one_per_course(
    clean_state: Settings, provider: Organizer
) -> None:
    course = await courses.a_course(provider.organization_id)
    first = await courses.a_cohort(course, capacity=1)
    second = await courses.a_cohort(course, capacity=1)
    learner = await people.signed_in_person(clean_state)
    claim = await courses.an_enrolment(learner.person_id, course, first["id"])
    assert (claim.pool_id, claim.status) == (first["id"], ClaimStatus.CONFIRMED)
    with pytest.raises(asyncpg.UniqueViolationError) as caught:
        await courses.an_enrolment(learner.person_id, course, second["id"])
    assert caught.value.constraint_name == "course_enrolment_one_active"
    pool = await seats.pool_row(second["id"])
    assert pool is not None
    assert (pool["taken"], pool["waitlisted"]) == (0, 0)  # the claim went with the enrolment


async def test_self_paced_enrolment_has_no_limit(
    clean_state: Settings, provider: Organizer
) -> None:
    course = await courses.a_course(provider.organization_id, format=CourseFormat.SELF_PACED)
    learner = await people.signed_in_person(clean_state)
    claim = await courses.an_enrolment(learner.person_id, course)
    assert (claim.pool_id, claim.status) == (course.id, ClaimStatus.CONFIRMED)


async def test_ending_an_enrolment_frees_its_seat_for_the_next_and_allows_another(
    clean_state: Settings, provider: Organizer
) -> None:
    course = await courses.a_course(provider.organization_id)
    cohort = await courses.a_cohort(course, capacity=1)
    first = await people.signed_in_person(clean_state)
    second = await people.signed_in_person(clean_state)
    seated = await courses.an_enrolment(first.person_id, course, cohort["id"])
    waiting = await courses.an_enrolment(second.person_id, course, cohort["id"])
    assert waiting.status is ClaimStatus.WAITLISTED
    async with get_engine().transaction():
        released = await seating.end_enrolment(
            seated.id, EndedReason.WITHDRAWN, dt.datetime.now(dt.UTC), first.person_id
        )
    assert released is not None
    assert [claim.id for claim in released.promoted] == [waiting.id]
    again = await courses.an_enrolment(first.person_id, course, cohort["id"])
    assert (again.status, again.id != seated.id) == (ClaimStatus.WAITLISTED, True)
