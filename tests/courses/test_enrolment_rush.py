"""Enrolment under a rush, on the real database: 1,000 people at once for 100 seats, withdrawals
racing newcomers, one person's many requests, one person racing two cohorts of a course.

Each request goes through the whole app (HTTP in-process, the app's connection pool and its seat
gate), all of them started at once with `asyncio.gather`. After every rush the pools' counters
are recounted from the claim rows, and the claims against the enrolments. The rush is shown to
be real by the negative control of tests/events/test_registration_rush.py (the same claim
statement serves both): a read-then-write claim overbooks under it.
"""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import httpx
from litestar import Litestar

from courses.tables import Enrolment
from tests.support import people
from tests.support.courses import a_cohort, a_course
from tests.support.enrolments import (
    assert_pools_agree_with_rows,
    claims_in_arrival_order,
    enrolled,
    post_cohort_enrolment,
    withdraw,
)
from tests.support.organizers import Organizer
from year2026.seats import ClaimGate
from year2026.seats_tables import SeatClaim
from year2026.settings import Settings


async def test_1000_at_once_for_100_seats_confirm_100_and_waitlist_900_in_arrival_order(
    client: httpx.AsyncClient, app: Litestar, provider: Organizer, settings: Settings
) -> None:
    # every request waits in the gate's line for as long as the rush lasts (in production the
    # rest are told to come back later; here each of the 1,000 must get its answer)
    app.state.seat_gate = ClaimGate(per_pool=settings.seat_claims_per_pool, wait_seconds=60)
    course = await a_course(provider.organization_id)
    cohort = await a_cohort(course, capacity=100)
    crowd = await people.signed_in_crowd(settings, 1000)
    answers = await asyncio.gather(
        *(post_cohort_enrolment(client, person, cohort) for person in crowd)
    )
    assert sorted({answer.status_code for answer in answers}) == [201]
    bodies = [answer.json() for answer in answers]
    statuses = [body["status"] for body in bodies]
    assert (statuses.count("confirmed"), statuses.count("waitlisted")) == (100, 900)
    await assert_pools_agree_with_rows()
    arrivals = await claims_in_arrival_order(cohort["id"])
    # the first 100 to reach the pool's row have the seats; the rest wait in the order they came
    assert [claim["status"] for claim in arrivals] == ["confirmed"] * 100 + ["waitlisted"] * 900
    assert [claim["position"] for claim in arrivals[100:]] == list(range(1, 901))
    position_of = {claim["id"]: claim["position"] for claim in arrivals}
    assert sorted(
        (body["waitlist_position"], position_of[uuid.UUID(body["id"])])
        for body in bodies
        if body["status"] == "waitlisted"
    ) == [(n, n) for n in range(1, 901)]
    rows = await Enrolment.raw("SELECT count(*) AS n FROM course_enrolment")
    assert rows == [{"n": 1000}]


async def test_100_withdrawals_racing_100_enrolments_keep_capacity_and_order(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    cohort = await a_cohort(course, capacity=100)
    first = await people.signed_in_crowd(settings, 150)
    placed = [(person, await enrolled(client, person, cohort)) for person in first]  # in order
    assert [body["status"] for _, body in placed] == ["confirmed"] * 100 + ["waitlisted"] * 50
    newcomers = await people.signed_in_crowd(settings, 100)
    answers = await asyncio.gather(
        *(withdraw(client, person, body) for person, body in placed[:100]),
        *(post_cohort_enrolment(client, person, cohort) for person in newcomers),
    )
    assert [answer.status_code for answer in answers] == [200] * 100 + [201] * 100
    await assert_pools_agree_with_rows()
    rows = await SeatClaim.raw(
        "SELECT person, status, position FROM seat_claim WHERE pool = {} AND status <> 'cancelled'",
        cohort["id"],
    )
    current = {row["person"]: row for row in rows}
    assert sum(row["status"] == "confirmed" for row in rows) == 100
    # the 50 who were waiting got seats before any newcomer did
    assert [current[person.person_id]["status"] for person in first[100:]] == ["confirmed"] * 50
    # and newcomers moved up from the waitlist in the order they joined it
    joined = [current[person.person_id] for person in newcomers]
    moved_up = [
        row["position"] for row in joined if row["status"] == "confirmed" and row["position"]
    ]
    waiting = [row["position"] for row in joined if row["status"] == "waitlisted"]
    assert len(waiting) == 50
    assert max(moved_up, default=0) < min(waiting)


async def test_ten_requests_of_one_person_at_once_make_one_enrolment(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    cohort = await a_cohort(course, capacity=5)
    learner = await people.signed_in_person(settings)
    answers = await asyncio.gather(
        *(post_cohort_enrolment(client, learner, cohort) for _ in range(10))
    )
    assert sorted(answer.status_code for answer in answers) == [200] * 9 + [201]
    assert len({answer.json()["id"] for answer in answers}) == 1
    rows = await SeatClaim.raw("SELECT count(*) AS n FROM seat_claim")
    assert rows == [{"n": 1}]
    await assert_pools_agree_with_rows()


async def test_one_person_racing_two_cohorts_of_a_course_holds_one_enrolment(
    client: httpx.AsyncClient, provider: Organizer, settings: Settings
) -> None:
    course = await a_course(provider.organization_id)
    cohorts = [await a_cohort(course, capacity=5) for _ in range(2)]
    learners = await people.signed_in_crowd(settings, 20)

    async def both(person: people.SignedIn) -> list[httpx.Response]:
        return list(
            await asyncio.gather(
                *(post_cohort_enrolment(client, person, cohort) for cohort in cohorts * 3)
            )
        )

    per_person = await asyncio.gather(*(both(person) for person in learners))
    for answers in per_person:
        codes = sorted(answer.status_code for answer in answers)
        assert codes.count(201) == 1, codes
        assert set(codes) <= {200, 201, 409}, codes
        bodies = [answer.json() for answer in answers]
        held = {body["id"] for body in bodies if "id" in body}
        named = {body["params"]["enrolment_id"] for body in bodies if "params" in body}
        assert len(held | named) == 1  # every answer is, or names, the one enrolment
    rows = await Enrolment.raw(
        "SELECT person, count(*) AS n FROM course_enrolment GROUP BY person HAVING count(*) > 1"
    )
    assert rows == []
    claims = await SeatClaim.raw("SELECT count(*) AS n FROM seat_claim")
    assert claims == [{"n": 20}]
    await assert_pools_agree_with_rows()


async def test_a_held_pool_answers_seats_busy_with_retry_after_never_a_500(
    client: httpx.AsyncClient, app: Litestar, provider: Organizer, settings: Settings
) -> None:
    """One request admitted by a gate of one waits on the pool's row until the lock timeout;
    the others wait in the gate's line until its time is up. Each is told to come back."""
    app.state.seat_gate = ClaimGate(per_pool=1, wait_seconds=0.2)
    course = await a_course(provider.organization_id)
    cohort = await a_cohort(course, capacity=10)
    crowd = await people.signed_in_crowd(settings, 3)
    holder = await asyncpg.connect(settings.effective_database_url)
    try:
        async with holder.transaction():
            await holder.execute("SELECT 1 FROM seat_pool WHERE id = $1 FOR UPDATE", cohort["id"])
            answers = await asyncio.gather(
                *(post_cohort_enrolment(client, person, cohort) for person in crowd)
            )
    finally:
        await holder.close()
    assert [(a.status_code, a.json()["code"]) for a in answers] == [(503, "seats-busy")] * 3
    assert {answer.headers["retry-after"] for answer in answers} == {"2"}
    rows = await Enrolment.raw("SELECT count(*) AS n FROM course_enrolment")
    assert rows == [{"n": 0}]
    await assert_pools_agree_with_rows()
