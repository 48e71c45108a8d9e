"""The second baseline of bench/bench_registration.py: the same claim behind a bare Litestar
handler, served by uvicorn as its own process like the API, with nothing else (no sign-in, no
rules, no audit, no middleware): what HTTP and a Python process cost on their own.

    BARE_CLAIM_DSN=postgresql://… uvicorn --app-dir bench bare_claim:app --port 8001

`POST /pools/{pool}/claims/{person}` claims a seat (or a waitlist position) in one transaction
of the raw baseline's two statements and answers 201 with the claim's id and status. Not part of
the platform: only the bench starts it.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from litestar import Litestar, post

CLAIM = (
    "UPDATE seat_pool SET last_claim_seated = taken < capacity,"
    " taken = taken + (taken < capacity)::int,"
    " waitlisted = waitlisted + (taken >= capacity)::int,"
    " last_position = last_position + (taken >= capacity)::int"
    " WHERE id = $1 AND (taken < capacity OR waitlist)"
    " RETURNING last_claim_seated, last_position"
)
INSERT = (
    "INSERT INTO seat_claim (id, pool, person, status, position, ended_reason, created_at,"
    " updated_at, confirmed_at) VALUES ($1, $2, $3, $4, $5, '', $6, $6, $7)"
)
_connections: list[asyncpg.Pool] = []


@asynccontextmanager
async def lifespan(_: Litestar) -> AsyncIterator[None]:
    size = int(os.environ.get("BARE_CLAIM_CONNECTIONS", "10"))
    pool = await asyncpg.create_pool(os.environ["BARE_CLAIM_DSN"], min_size=size, max_size=size)
    assert pool is not None
    _connections.append(pool)
    try:
        yield
    finally:
        await pool.close()


@post("/pools/{pool:uuid}/claims/{person:uuid}")
async def claim(pool: uuid.UUID, person: uuid.UUID) -> dict[str, str]:
    now = dt.datetime.now(dt.UTC)
    claim_id = uuid.uuid4()
    async with _connections[0].acquire() as connection, connection.transaction():
        row = await connection.fetchrow(CLAIM, pool)
        assert row is not None
        seated = row["last_claim_seated"]
        status = "confirmed" if seated else "waitlisted"
        await connection.execute(
            INSERT, claim_id, pool, person, status, None if seated else row["last_position"],
            now, now if seated else None,
        )  # fmt: skip
    return {"id": str(claim_id), "status": status}


app = Litestar([claim], lifespan=[lifespan])
