"""A registration rush against the API served as production runs it, next to the raw claim rate
of the same database measured in the same run.

    make bench     # installs wrk first (`make bench-tools`: Debian's package, as root with apt)
    .venv/bin/python bench/bench_registration.py [--people 1000] [--capacity 100] [--events 10]
                                                 [--connections 1000] [--workers 2]

Not a test (it takes about a minute and needs wrk). Starts embedded PostgreSQL and Redis in a
temporary folder, then `year2026 serve` as its own process with the default settings (a pool of
YEAR2026_DB_POOL_MAX connections and YEAR2026_SEAT_CLAIMS_PER_POOL claims per event at once, per
process). The set-up: 1,000 people inserted directly, each with a session of their own from the
platform's `start_session` (so every request carries its own access token, signed with the keys
the API verifies with); an organizer creates and publishes the events over HTTP (100 seats, a
waitlist, registration open now, the event next year); a few registrations warm the API up.

Each scenario prints two baselines measured in the same run. First, raw asyncpg with as many
connections as the API has, one worker each, every claim one transaction of `UPDATE seat_pool
… WHERE id = $1 AND (taken < capacity OR waitlist) RETURNING …` and the INSERT of its
`seat_claim` row, as many claims as the scenario sends, on fresh pools of the same capacity.
Second, the same claim behind a bare Litestar handler (bench/bare_claim.py: no sign-in, rules,
audit or middleware) served by uvicorn as its own process and driven by wrk like the API: what
HTTP and one Python process cost on their own, so that the API's figure can be read against
both. Then the rush, sent by wrk
(`-t 2`, one connection per client, bench/registration_rush.lua: every request `POST
/events/{id}/registrations` with body `{}` and a token of its own, each token once per event):
  - scenario 1: 1,000 clients at once at one event of 100 seats (1,000 requests);
  - scenario 2: the same 1,000 clients at 10 events at once, each person registering at each
    (10,000 requests: every event gets the rush of scenario 1, all ten together).
Printed: registrations per second (first request sent to last answer received), p50/p99/max
latency, answers by status and the 5xx among them (must be 0; a 503 is the seat gate's "come
back later", `seats-busy`), the ratio to the raw rate (aim: 70%) and p99 (aim: under 1 s). Then
the database is recounted, per event: the confirmed claims must equal the capacity and
`seat_pool.taken`, the waitlisted ones `seat_pool.waitlisted` with as many distinct positions,
and each person has one claim and one registration. The exit status says whether all held.

Each person's first request is their first with that token (its signature checked, then
remembered by the API process); their token generation is in Redis from the start of their
session, as after a sign-in. wrk may count "read" socket errors: connections
left idle once their lines are sent, closed by the API after its keep-alive; the answers count
shows whether any request was lost. Machines here are noisy, and wrk, the API and PostgreSQL share
the CPU: read the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import io
import json
import resource
import shutil
import signal
import statistics
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from serving import cpu_seconds, embedded_servers, percentile, serve_api, serve_bare

from year2026.settings import Settings, load_settings

LUA_SCRIPT = Path(__file__).with_name("registration_rush.lua")
WRK_THREADS = 2

#: the raw claim: the pool's counters in one conditional statement, then the claim row
RAW_CLAIM = (
    "UPDATE seat_pool SET last_claim_seated = taken < capacity,"
    " taken = taken + (taken < capacity)::int,"
    " waitlisted = waitlisted + (taken >= capacity)::int,"
    " last_position = last_position + (taken >= capacity)::int"
    " WHERE id = $1 AND (taken < capacity OR waitlist)"
    " RETURNING last_claim_seated, last_position"
)
RAW_INSERT = (
    "INSERT INTO seat_claim (id, pool, person, status, position, ended_reason, created_at,"
    " updated_at, confirmed_at) VALUES ($1, $2, $3, $4, $5, '', $6, $6, $7)"
)

#: a pool's counters against its rows
RECOUNT = """
SELECT p.capacity, p.taken, p.waitlisted,
  count(c.id) FILTER (WHERE c.status IN ('confirmed', 'offered')) AS seated_rows,
  count(c.id) FILTER (WHERE c.status = 'confirmed') AS confirmed_rows,
  count(c.id) FILTER (WHERE c.status = 'waitlisted') AS waitlisted_rows,
  count(DISTINCT c.position) FILTER (WHERE c.status = 'waitlisted') AS positions,
  count(c.id) AS claims, count(DISTINCT c.person) AS people,
  (SELECT count(*) FROM event_registration r WHERE r.occurrence = p.id) AS registrations
FROM seat_pool p LEFT JOIN seat_claim c ON c.pool = p.id
WHERE p.id = $1 GROUP BY p.id
"""


@dataclass(frozen=True)
class Rush:
    """What wrk measured (times in seconds and milliseconds)."""

    sent: int
    answered: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[int, int]
    errors: dict[str, int]

    @property
    def rate(self) -> float:
        return self.answered / self.seconds

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


@dataclass(frozen=True)
class Raw:
    claims: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.claims / self.seconds


def raise_open_files_limit(needed: int) -> None:
    """wrk holds a socket per connection and the API one per client: lift the soft limit to the
    hard one (the processes started here inherit it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = hard if hard == resource.RLIM_INFINITY else max(soft, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft != resource.RLIM_INFINITY and soft < needed:
        raise SystemExit(f"ulimit -n is {soft}; {needed} open files are needed")


# --- set-up ------------------------------------------------------------------------------


async def make_people(settings: Settings, count: int) -> list[tuple[uuid.UUID, str]]:
    """`count` people, inserted at once, each with a live session as sign-in starts one (its
    token generation cached in Redis): (id, access token)."""
    from year2026.auth.sessions import TokenIssuer, start_session
    from year2026.people.tables import Person
    from year2026.redis import open_redis

    ids = [uuid.uuid4() for _ in range(count)]
    rows = [
        Person(id=person_id, email=f"guest{n}@example.kz", display_name=f"Қонақ {n}")
        for n, person_id in enumerate(ids)
    ]
    for chunk in range(0, count, 1000):
        await Person.insert(*rows[chunk : chunk + 1000])
    issuer = TokenIssuer(settings)
    sessions = asyncio.Semaphore(settings.db_pool_max)
    redis = await open_redis(settings)

    async def session(person_id: uuid.UUID) -> tuple[uuid.UUID, str]:
        async with sessions:
            tokens = await start_session(issuer, person_id, "bench", redis)
        return person_id, tokens.access_token

    try:
        return list(await asyncio.gather(*(session(person_id) for person_id in ids)))
    finally:
        await redis.aclose()


async def open_events(
    http: httpx.AsyncClient, headers: dict[str, str], organization_id: uuid.UUID, count: int,
    capacity: int,
) -> list[dict[str, Any]]:  # fmt: skip
    """`count` published events of `capacity` seats with a waitlist, open for registration now,
    taking place next year; each with its occurrence's id (its seat pool's)."""
    from events.tables import Occurrence
    from tests.support.events import event_body

    events = []
    for _ in range(count):
        body = event_body(organization_id, capacity=capacity, waitlist=True)
        created = await http.post("/events", json=body, headers=headers)
        assert created.status_code == 201, created.text
        event = created.json()
        published = await http.post(f"/events/{event['id']}/publish", headers=headers)
        assert published.status_code == 200, published.text
        occurrence = await Occurrence.select(Occurrence.id).where(
            Occurrence.event == uuid.UUID(event["id"])
        )
        events.append({**event, "pool_id": occurrence[0]["id"]})
    return events


def serve(
    environment: dict[str, str], port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    return serve_api(environment, port, log, workers)


async def rush(
    wrk: str, port: int, plan: list[tuple[str, str]], connections: int, folder: Path
) -> Rush:
    """Send every (path, token) of `plan` once, `connections` at a time, with wrk."""
    plan_file = folder / f"plan-{uuid.uuid4().hex[:8]}.txt"
    plan_file.write_text("".join(f"{path} {token}\n" for path, token in plan))
    process = await asyncio.create_subprocess_exec(
        wrk, "-t", str(WRK_THREADS), "-c", str(connections), "-d", "600s", "--timeout", "60s",
        "-s", str(LUA_SCRIPT), f"http://127.0.0.1:{port}", "--", str(plan_file), str(WRK_THREADS),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    assert process.stdout is not None
    output: list[str] = []
    threads_done = 0
    while line := (await process.stdout.readline()).decode():
        output.append(line)
        if line.strip() == "thread-done":
            threads_done += 1
            if threads_done == WRK_THREADS:
                process.send_signal(signal.SIGINT)  # wrk's main thread sleeps out -d otherwise
    await process.wait()
    results = [line for line in output if line.startswith("RESULT ")]
    if not results:
        raise SystemExit("wrk gave no result:\n" + "".join(output)[-3000:])
    found = json.loads(results[0].removeprefix("RESULT "))
    return Rush(
        sent=found["sent"],
        answered=found["answered"],
        seconds=found["seconds"],
        p50_ms=found["p50_ms"],
        p99_ms=found["p99_ms"],
        max_ms=found["max_ms"],
        statuses={int(status): count for status, count in found["statuses"].items()},
        errors=found["errors"],
    )


async def raw_claims(
    settings: Settings, plan: list[tuple[uuid.UUID, uuid.UUID]], capacity: int, workers: int
) -> Raw:
    """The baseline: each (pool, person) of `plan` claimed once by raw asyncpg, by `workers`
    workers with a connection each, on fresh pools like the events' (same capacity, a waitlist)."""
    pool = await asyncpg.create_pool(
        settings.effective_database_url, min_size=workers, max_size=workers
    )
    assert pool is not None
    pools = sorted({pool_id for pool_id, _ in plan})
    closes_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    await pool.executemany(
        "INSERT INTO seat_pool (id, capacity, waitlist, open, closes_at, taken, waitlisted,"
        " last_position, last_claim_seated, updated_at) VALUES ($1, $2, true, true, $3, 0, 0, 0,"
        " false, now())",
        [(pool_id, capacity, closes_at) for pool_id in pools],
    )
    queue: asyncio.Queue[tuple[uuid.UUID, uuid.UUID]] = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    samples: list[float] = []

    async def worker() -> None:
        async with pool.acquire() as connection:
            while not queue.empty():
                pool_id, person_id = queue.get_nowait()
                started = time.perf_counter()
                now = dt.datetime.now(dt.UTC)
                async with connection.transaction():
                    row = await connection.fetchrow(RAW_CLAIM, pool_id)
                    assert row is not None
                    seated = row["last_claim_seated"]
                    await connection.execute(
                        RAW_INSERT, uuid.uuid4(), pool_id, person_id,
                        "confirmed" if seated else "waitlisted",
                        None if seated else row["last_position"], now, now if seated else None,
                    )  # fmt: skip
                samples.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    seconds = time.perf_counter() - started
    for pool_id in pools:
        counts = await recount(pool, pool_id)
        assert counts["taken"] == counts["confirmed_rows"] == capacity, counts
    await pool.close()
    return Raw(
        claims=len(plan),
        seconds=seconds,
        p50_ms=statistics.median(samples) * 1000,
        p99_ms=percentile(samples, 0.99) * 1000,
    )


async def recount(connection: asyncpg.Pool | asyncpg.Connection, pool_id: uuid.UUID) -> Any:
    row = await connection.fetchrow(RECOUNT, pool_id)
    assert row is not None
    return row


def checked_counts(rows: list[Any], requests_per_pool: int) -> tuple[list[str], bool]:
    """Each pool's figures from its rows; whether counters, rows and capacity all agree."""
    agree = True
    for row in rows:
        agree &= (
            row["confirmed_rows"] == row["capacity"] == row["taken"] == row["seated_rows"]
            and row["waitlisted"] == row["waitlisted_rows"] == row["positions"]
            and row["claims"] == row["people"] == row["registrations"] == requests_per_pool
        )
    confirmed = sum(row["confirmed_rows"] for row in rows)
    lines = [
        f"confirmed {confirmed} (capacity {sum(row['capacity'] for row in rows)};"
        f" seat_pool.taken {sum(row['taken'] for row in rows)}, confirmed seat_claim rows"
        f" {confirmed})",
        f"waitlisted {sum(row['waitlisted_rows'] for row in rows)} (seat_pool.waitlisted"
        f" {sum(row['waitlisted'] for row in rows)}, distinct positions"
        f" {sum(row['positions'] for row in rows)}); claims {sum(row['claims'] for row in rows)},"
        f" registrations {sum(row['registrations'] for row in rows)}, people per event"
        f" {'/'.join(str(row['people']) for row in rows)}",
    ]
    return lines, agree


def print_raw(label: str, raw: Raw) -> None:
    print(
        f"  {label:<38} {raw.rate:7.0f} claims/s         p50 {raw.p50_ms:7.1f} ms"
        f"   p99 {raw.p99_ms:7.1f} ms   ({raw.claims} claims in {raw.seconds:.2f} s)"
    )


def print_rush(label: str, result: Rush, raw: Raw, planned: int, aim: bool = True) -> bool:
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(result.statuses.items()))
    errors = ", ".join(f"{name} {count}" for name, count in result.errors.items() if count)
    print(
        f"  {label:<38} {result.rate:7.0f} registrations/s  p50 {result.p50_ms:7.1f} ms"
        f"   p99 {result.p99_ms:7.1f} ms   max {result.max_ms:7.1f} ms"
    )
    print(
        f"  answers {result.answered}/{result.sent} in {result.seconds:.2f} s: {statuses};"
        f" 5xx: {result.server_errors}" + (f"; socket errors: {errors}" if errors else "")
    )
    share = result.rate / raw.rate
    if aim:
        print(
            f"  → {share:.0%} of the raw rate (aim ≥ 70%), p99 {result.p99_ms / 1000:.2f} s"
            " (aim < 1 s)"
        )
    else:
        print(f"  → {share:.0%} of the raw rate")
    return result.server_errors == 0 and result.answered == result.sent == planned


@dataclass(frozen=True)
class Bench:
    """What every scenario runs against."""

    settings: Settings
    wrk: str
    port: int
    api_pid: int
    #: wrk's connections: the clients at once
    connections: int
    #: the API's database connections, all processes together (the baseline gets as many)
    database_connections: int
    folder: Path
    people: list[tuple[uuid.UUID, str]]
    capacity: int
    #: where the bare handler (the second baseline) listens
    bare_port: int


async def scenario(label: str, bench: Bench, events: list[dict[str, Any]]) -> bool:
    """Every person registers once at each event, people interleaved across events, so that
    the first requests already spread over all of them."""
    plan = [
        (f"/events/{event['id']}/registrations", token)
        for _, token in bench.people
        for event in events
    ]
    raw_pools = [uuid.uuid4() for _ in events]
    raw_plan = [(raw_pool, person_id) for person_id, _ in bench.people for raw_pool in raw_pools]
    print(f"{label}: {len(plan)} requests ({len(bench.people)} people × {len(events)} event(s)):")
    raw = await raw_claims(bench.settings, raw_plan, bench.capacity, bench.database_connections)
    print_raw(f"raw asyncpg, {bench.database_connections} connections (baseline)", raw)
    bare = await bare_rush(bench, len(events))
    print_rush(
        f"bare Litestar handler, {bench.connections} clients", bare, raw, len(plan), aim=False
    )
    cpu_before = cpu_seconds(bench.api_pid)
    result = await rush(bench.wrk, bench.port, plan, bench.connections, bench.folder)
    cpu = cpu_seconds(bench.api_pid) - cpu_before
    fine = print_rush(f"POST …/registrations, {bench.connections} clients", result, raw, len(plan))
    print(f"  → {result.rate / bare.rate:.0%} of the bare handler's rate")
    print(
        f"  the API's processes used {cpu:.1f} s of CPU: {cpu / len(plan) * 1000:.2f} ms a"
        f" registration ({cpu / result.seconds:.0%} of a core while the rush lasted)"
    )
    connection = await asyncpg.connect(bench.settings.effective_database_url)
    rows = [await recount(connection, event["pool_id"]) for event in events]
    await connection.close()
    lines, agree = checked_counts(rows, len(bench.people))
    for line in lines:
        print(f"  {line}")
    print(f"  counters and rows {'agree' if agree else 'DISAGREE'}, per event")
    return fine and agree


async def bare_rush(bench: Bench, pools: int) -> Rush:
    """The rush of the scenario against the bare handler (bench/bare_claim.py) on fresh pools:
    every person claims once in each, in the same order, through wrk as well."""
    connection = await asyncpg.connect(bench.settings.effective_database_url)
    pool_ids = [uuid.uuid4() for _ in range(pools)]
    closes_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    await connection.executemany(
        "INSERT INTO seat_pool (id, capacity, waitlist, open, closes_at) VALUES ($1, $2, true,"
        " true, $3)",
        [(pool_id, bench.capacity, closes_at) for pool_id in pool_ids],
    )
    await connection.close()
    plan = [
        (f"/pools/{pool_id}/claims/{person_id}", "-")
        for person_id, _ in bench.people
        for pool_id in pool_ids
    ]
    return await rush(bench.wrk, bench.bare_port, plan, bench.connections, bench.folder)


def serve_bare_claim(
    environment: dict[str, str], port: int, connections: int, log: Path
) -> subprocess.Popen[bytes]:
    """bench/bare_claim.py under uvicorn (one process), as its own process, once it answers."""
    return serve_bare(
        "bare_claim:app", {**environment, "BARE_CLAIM_CONNECTIONS": str(connections)}, port, log
    )


async def warm_up(http: httpx.AsyncClient, event: dict[str, Any], tokens: list[str]) -> None:
    """A few registrations at once at an event of their own: the API opens its connections and
    runs every path of a registration once before it is timed."""
    answers = await asyncio.gather(
        *(
            http.post(
                f"/events/{event['id']}/registrations",
                json={},
                headers={"Authorization": f"Bearer {token}"},
            )
            for token in tokens
        )
    )
    assert {answer.status_code for answer in answers} == {201}, answers[0].text


async def run(
    settings: Settings, environment: dict[str, str], arguments: argparse.Namespace, folder: Path
) -> bool:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from tests.support import organizers
    from year2026.db import database_pool

    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: `make bench-tools` (Debian's package wrk)")
    async with database_pool(settings):
        with contextlib.redirect_stdout(io.StringIO()):  # Piccolo's report of each migration
            result = await run_forwards("all")
        if not result.success:
            raise SystemExit(f"migrations failed: {result.message}")
        started = time.perf_counter()
        people = await make_people(settings, arguments.people)
        organizer = await organizers.organizer(settings)
        print(
            f"{len(people)} people, each with a session of their own, in"
            f" {time.perf_counter() - started:.1f} s"
        )
        port = settings.port
        api = serve(environment, port, arguments.workers, folder / "api.log")
        bare_port = port + 1
        bare = serve_bare_claim(
            {"BARE_CLAIM_DSN": settings.effective_database_url},
            bare_port,
            settings.db_pool_max,
            folder / "bare.log",
        )
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
                events = await open_events(
                    http, organizer.headers, organizer.organization_id, 1 + 1 + arguments.events,
                    arguments.capacity,
                )  # fmt: skip
                await warm_up(http, events[0], [token for _, token in people[:20]])
            bench = Bench(
                settings=settings,
                wrk=wrk,
                port=port,
                api_pid=api.pid,
                connections=arguments.connections,
                database_connections=arguments.workers * settings.db_pool_max,
                folder=folder,
                people=people,
                capacity=arguments.capacity,
                bare_port=bare_port,
            )
            print(
                f"API: `year2026 serve --workers {arguments.workers}`, pool of"
                f" {settings.db_pool_max} connections a process, {settings.seat_claims_per_pool}"
                f" claims per event at once a process; wrk -t {WRK_THREADS}"
                f" -c {arguments.connections}"
            )
            fine = await scenario("scenario 1, one event", bench, events[1:2])
            fine &= await scenario(
                f"scenario 2, {arguments.events} events at once", bench, events[2:]
            )
        finally:
            for process in (api, bare):
                process.terminate()
                process.wait(timeout=30)
    return fine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--events", type=int, default=10, help="events of scenario 2")
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="API processes (as many as the cores, as in production)",
    )
    arguments = parser.parse_args()
    raise_open_files_limit(2 * arguments.connections + 200)
    with embedded_servers() as (folder, environment):
        settings = load_settings(environment)
        fine = asyncio.run(run(settings, environment, arguments, folder))
    if not fine:
        raise SystemExit("a check failed: see above")


if __name__ == "__main__":
    main()
