"""Registration under a rush, on the real database: many requests at once never overbook, keep the
waitlist in arrival order, promote in order, and leave counters that equal the rows.

Each request goes through the whole app (HTTP in-process, the app's connection pool and its seat
gate), all of them started at once with `asyncio.gather`. After every rush the pools' counters are
recounted from the claim rows. The negative control shows that the rush is real: the same
requests against a read-then-write claim overbook.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar

from tests.support import people
from tests.support.organizers import Organizer
from tests.support.registrations import open_event
from tests.support.registrations import post_registration as register
from year2026.audit_tables import AuditEntry
from year2026.seats import ClaimGate
from year2026.seats_tables import SeatClaim
from year2026.settings import Settings


async def guests(settings: Settings, count: int) -> list[people.SignedIn]:
    return [await people.signed_in_person(settings, name=f"Guest {n}") for n in range(count)]


async def assert_counters_equal_rows() -> None:
    """Every pool's `taken` and `waitlisted` are what its claim rows say."""
    disagreeing = await SeatClaim.raw(
        "SELECT p.id, p.taken, p.waitlisted,"
        " count(c.id) FILTER (WHERE c.status IN ('confirmed', 'offered')) AS seated,"
        " count(c.id) FILTER (WHERE c.status = 'waitlisted') AS waiting"
        " FROM seat_pool p LEFT JOIN seat_claim c ON c.pool = p.id GROUP BY p.id"
        " HAVING p.taken <> count(c.id) FILTER (WHERE c.status IN ('confirmed', 'offered'))"
        " OR p.waitlisted <> count(c.id) FILTER (WHERE c.status = 'waitlisted')"
    )
    assert disagreeing == []


async def claims_in_arrival_order(pool_id: str) -> list[dict[str, Any]]:
    """The pool's claims in the order they were made: the order of their `seat_claim.claim`
    audit entries, which each claim writes while it holds the pool's row."""
    rows = await AuditEntry.raw(
        "SELECT c.id, c.person, c.status, c.position FROM audit_entry a"
        " JOIN seat_claim c ON c.id::text = a.object_id"
        " WHERE a.action = 'seat_claim.claim' AND c.pool = {} ORDER BY a.id",
        uuid.UUID(pool_id),
    )
    return [dict(row) for row in rows]


async def occurrence_of(client: httpx.AsyncClient, event: dict[str, Any]) -> str:
    detail = (await client.get(f"/events/{event['id']}")).json()
    return str(detail["upcoming"][0]["id"])


async def test_200_at_once_for_50_seats_confirm_50_and_waitlist_150_in_arrival_order(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=50)
    crowd = await guests(settings, 200)
    answers = await asyncio.gather(*(register(client, guest, event) for guest in crowd))
    assert sorted({answer.status_code for answer in answers}) == [201]
    statuses = [answer.json()["status"] for answer in answers]
    assert (statuses.count("confirmed"), statuses.count("waitlisted")) == (50, 150)
    await assert_counters_equal_rows()
    arrivals = await claims_in_arrival_order(await occurrence_of(client, event))
    # the first 50 to reach the pool's row have the seats; the rest wait in the order they came
    assert [claim["status"] for claim in arrivals] == ["confirmed"] * 50 + ["waitlisted"] * 150
    assert [claim["position"] for claim in arrivals[50:]] == list(range(1, 151))
    positions = sorted(
        answer.json()["waitlist_position"]
        for answer in answers
        if answer.json()["waitlist_position"]
    )
    assert positions == list(range(1, 151))


async def test_negative_control_a_read_then_write_claim_overbooks(settings: Settings) -> None:
    """The same rush against "count the seats, then take one" without a lock: more than the
    capacity get in (this is what the conditional UPDATE in `year2026.seats` prevents)."""
    capacity, requests = 5, 40
    dsn = settings.effective_database_url
    setup = await asyncpg.connect(dsn)
    try:
        await setup.execute(
            "DROP TABLE IF EXISTS naive_claim; CREATE TABLE naive_claim (id serial PRIMARY KEY)"
        )
        connections = [await asyncpg.connect(dsn) for _ in range(8)]
        try:
            gates = asyncio.Event()

            async def naive_claim(connection: asyncpg.Connection) -> None:
                await gates.wait()
                async with connection.transaction():
                    taken = await connection.fetchval("SELECT count(*) FROM naive_claim")
                    await asyncio.sleep(0.01)  # the time a request spends between the two
                    if taken < capacity:
                        await connection.execute("INSERT INTO naive_claim DEFAULT VALUES")

            async def worker(connection: asyncpg.Connection) -> None:
                for _ in range(requests // len(connections)):
                    await naive_claim(connection)

            tasks = [asyncio.create_task(worker(connection)) for connection in connections]
            gates.set()
            await asyncio.gather(*tasks)
        finally:
            for connection in connections:
                await connection.close()
        assert await setup.fetchval("SELECT count(*) FROM naive_claim") > capacity
        await setup.execute("DROP TABLE naive_claim")
    finally:
        await setup.close()


async def test_100_cancellations_racing_100_registrations_keep_capacity_and_order(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=100)
    first = await guests(settings, 150)
    placed = [await register(client, guest, event) for guest in first]  # one by one: in order
    confirmed = [(guest, answer.json()) for guest, answer in zip(first, placed, strict=True)]
    assert [body["status"] for _, body in confirmed] == ["confirmed"] * 100 + ["waitlisted"] * 50
    newcomers = await guests(settings, 100)

    async def cancel(guest: people.SignedIn, body: dict[str, Any]) -> httpx.Response:
        return await client.delete(f"/me/registrations/{body['id']}", headers=guest.headers)

    answers = await asyncio.gather(
        *(cancel(guest, body) for guest, body in confirmed[:100]),
        *(register(client, guest, event) for guest in newcomers),
    )
    assert sorted({answer.status_code for answer in answers}) == [200, 201]
    await assert_counters_equal_rows()
    pool = await occurrence_of(client, event)
    rows = await SeatClaim.raw(
        "SELECT person, status, position FROM seat_claim WHERE pool = {}", uuid.UUID(pool)
    )
    status_of = {row["person"]: row["status"] for row in rows}
    assert sum(status == "confirmed" for status in status_of.values()) == 100
    # the 50 who were waiting got seats before any newcomer did
    assert [status_of[guest.person_id] for guest in first[100:]] == ["confirmed"] * 50
    # and newcomers moved up from the waitlist in the order they joined it
    current = {row["person"]: row for row in rows}
    joined = [current[guest.person_id] for guest in newcomers]
    moved_up = [
        row["position"] for row in joined if row["status"] == "confirmed" and row["position"]
    ]
    waiting = [row["position"] for row in joined if row["status"] == "waitlisted"]
    assert len(waiting) == 50
    assert max(moved_up, default=0) < min(waiting)


async def test_raising_capacity_during_a_rush_seats_the_first_waiting(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=20)
    crowd = await guests(settings, 100)

    async def raise_capacity() -> httpx.Response:
        await asyncio.sleep(0.05)
        return await client.patch(
            f"/events/{event['id']}", json={"capacity": 60}, headers=organizer.headers
        )

    *answers, raised = await asyncio.gather(
        *(register(client, guest, event) for guest in crowd), raise_capacity()
    )
    assert raised.status_code == 200, raised.text
    assert sorted({answer.status_code for answer in answers}) == [201]
    await assert_counters_equal_rows()
    pool = uuid.UUID(await occurrence_of(client, event))
    rows = await SeatClaim.raw("SELECT status, position FROM seat_claim WHERE pool = {}", pool)
    statuses = [row["status"] for row in rows]
    assert (statuses.count("confirmed"), statuses.count("waitlisted")) == (60, 40)
    # those seated from the waitlist were ahead of all who still wait
    moved_up = [row["position"] for row in rows if row["status"] == "confirmed" and row["position"]]
    waiting = [row["position"] for row in rows if row["status"] == "waitlisted"]
    assert max(moved_up, default=0) < min(waiting)


async def test_ten_requests_of_one_person_at_once_make_one_registration(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=5)
    (guest,) = await guests(settings, 1)
    answers = await asyncio.gather(*(register(client, guest, event) for _ in range(10)))
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200] * 9 + [201]
    assert len({answer.json()["id"] for answer in answers}) == 1
    rows = await SeatClaim.raw("SELECT count(*) AS n FROM seat_claim")
    assert rows == [{"n": 1}]
    await assert_counters_equal_rows()


@pytest.mark.parametrize("gated", [True, False], ids=["gate", "negative-control-no-gate"])
async def test_a_rush_on_one_event_leaves_connections_for_everyone_else(
    client: httpx.AsyncClient,
    app: Litestar,
    organizer: Organizer,
    settings: Settings,
    gated: bool,
) -> None:
    """With the seat gate, at most 4 of the 30 held a connection while the hot event's row was
    held, and the pool of 10 served another event at once; without it (the negative control),
    the 30 take every connection and the other event waits for the hot one."""
    if not gated:
        app.state.seat_gate = ClaimGate(per_pool=1000, wait_seconds=10)
    hot = await open_event(client, organizer, capacity=50)
    quiet = await open_event(client, organizer, capacity=50)
    crowd = await guests(settings, 30)
    other = (await guests(settings, 1))[0]
    hot_pool = uuid.UUID(await occurrence_of(client, hot))
    holder = await asyncpg.connect(settings.effective_database_url)
    try:
        async with holder.transaction():
            # the hot event's pool row is held: its registrations wait, as in a long rush
            await holder.execute("SELECT 1 FROM seat_pool WHERE id = $1 FOR UPDATE", hot_pool)
            waiting = [asyncio.create_task(register(client, guest, hot)) for guest in crowd]
            await asyncio.sleep(0.3)
            elsewhere = asyncio.create_task(register(client, other, quiet))
            done, _ = await asyncio.wait([elsewhere], timeout=1)
            served_at_once = elsewhere in done
            assert not any(task.done() for task in waiting)
    finally:
        await holder.close()
    assert served_at_once is gated
    assert (await elsewhere).status_code == 201
    answers = await asyncio.gather(*waiting)
    assert sorted({answer.status_code for answer in answers}) == [201]
    await assert_counters_equal_rows()
