"""The baseline of bench/bench_enrolment.py: the same claim and enrolment behind a bare Litestar
handler, served by uvicorn as its own process like the API, with nothing else (no sign-in, no
rules, no audit, no gate, no middleware): what HTTP and a Python process cost on their own.

    BARE_ENROLMENT_DSN=postgresql://… uvicorn --app-dir bench bare_enrolment:app --port 8001

`POST /courses/{course}/cohorts/{cohort}/enrolments/{person}` takes a seat in the cohort's pool
(or a waitlist position) and writes the seat claim and the enrolment, and answers 201 with the
enrolment's id and status: in one statement as the platform does (the pool's conditional UPDATE,
the claim's INSERT and the enrolment's INSERT as CTEs), or with `?transaction=true` as
bench/bare_claim.py claims (a transaction of the UPDATE and the two INSERTs, one at a time). Not
part of the platform: only the bench starts it.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from litestar import Litestar, post

#: $1 pool (the cohort), $2 person, $3 claim and enrolment id, $4 now, $5 course
ENROL = (
    "WITH pool AS (UPDATE seat_pool SET last_claim_seated = taken < capacity,"
    " taken = taken + (taken < capacity)::int,"
    " waitlisted = waitlisted + (taken >= capacity)::int,"
    " last_position = last_position + (taken >= capacity)::int"
    " WHERE id = $1 AND (taken < capacity OR waitlist)"
    " RETURNING last_claim_seated, last_position),"
    " claim AS (INSERT INTO seat_claim (id, pool, person, status, position, ended_reason,"
    " created_at, updated_at, confirmed_at)"
    " SELECT $3::uuid, $1::uuid, $2::uuid,"
    " CASE WHEN last_claim_seated THEN 'confirmed' ELSE 'waitlisted' END,"
    " CASE WHEN last_claim_seated THEN NULL ELSE last_position END, '', $4::timestamptz, $4,"
    " CASE WHEN last_claim_seated THEN $4 END FROM pool RETURNING id, person, status, created_at),"
    " enrolment AS (INSERT INTO course_enrolment (id, course, cohort, person, created_at)"
    " SELECT id, $5::uuid, $1, person, created_at FROM claim)"
    " SELECT status FROM claim"
)
#: the same as three statements, as bench/bare_claim.py claims ($1 pool)
CLAIM = (
    "UPDATE seat_pool SET last_claim_seated = taken < capacity,"
    " taken = taken + (taken < capacity)::int,"
    " waitlisted = waitlisted + (taken >= capacity)::int,"
    " last_position = last_position + (taken >= capacity)::int"
    " WHERE id = $1 AND (taken < capacity OR waitlist)"
    " RETURNING last_claim_seated, last_position"
)
INSERT_CLAIM = (
    "INSERT INTO seat_claim (id, pool, person, status, position, ended_reason, created_at,"
    " updated_at, confirmed_at) VALUES ($1, $2, $3, $4, $5, '', $6, $6, $7)"
)
INSERT_ENROLMENT = (
    "INSERT INTO course_enrolment (id, course, cohort, person, created_at)"
    " VALUES ($1, $2, $3, $4, $5)"
)
_connections: list[asyncpg.Pool] = []


@asynccontextmanager
async def lifespan(_: Litestar) -> AsyncIterator[None]:
    size = int(os.environ.get("BARE_ENROLMENT_CONNECTIONS", "10"))
    pool = await asyncpg.create_pool(os.environ["BARE_ENROLMENT_DSN"], min_size=size, max_size=size)
    assert pool is not None
    _connections.append(pool)
    try:
        yield
    finally:
        await pool.close()


@post("/courses/{course:uuid}/cohorts/{cohort:uuid}/enrolments/{person:uuid}")
async def enrol(
    course: uuid.UUID, cohort: uuid.UUID, person: uuid.UUID, transaction: bool = False
) -> dict[str, str]:
    enrolment_id, now = uuid.uuid4(), dt.datetime.now(dt.UTC)
    async with _connections[0].acquire() as connection:
        if not transaction:
            status = await connection.fetchval(ENROL, cohort, person, enrolment_id, now, course)
            return {"id": str(enrolment_id), "status": status}
        async with connection.transaction():
            row = await connection.fetchrow(CLAIM, cohort)
            assert row is not None
            seated = row["last_claim_seated"]
            status = "confirmed" if seated else "waitlisted"
            await connection.execute(
                INSERT_CLAIM, enrolment_id, cohort, person, status,
                None if seated else row["last_position"], now, now if seated else None,
            )  # fmt: skip
            await connection.execute(INSERT_ENROLMENT, enrolment_id, course, cohort, person, now)
    return {"id": str(enrolment_id), "status": status}


app = Litestar([enrol], lifespan=[lifespan])
