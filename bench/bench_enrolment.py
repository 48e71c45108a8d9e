"""An enrolment rush against the API served as production runs it, next to the raw
claim-and-insert rate of the same database measured in the same run.

    make bench-enrolment   # installs wrk first (`make bench-tools`: Debian's package)
    .venv/bin/python bench/bench_enrolment.py [--people 1000] [--capacity 100] [--rounds 3]
                                              [--connections 1000] [--workers 2]

Not a test (it takes about a minute and needs wrk). Starts embedded PostgreSQL and Redis in a
temporary folder, then `year2026 serve --workers 2` as its own process with the default settings
(a pool of YEAR2026_DB_POOL_MAX connections and YEAR2026_SEAT_CLAIMS_PER_POOL claims per cohort
at once, per process). The set-up (bench/bench_registration.py's): 1,000 people inserted
directly, each with a session of their own from the platform's `start_session` (every request
carries its own access token, signed with the keys the API verifies with); the courses, each
published with one cohort of 100 seats and a waitlist, open for enrolment now, inserted by the
tests' factories (tests/support/courses.py); a few enrolments warm both servers up.

Two baselines, both the raw claim and insert behind a bare Litestar handler
(bench/bare_enrolment.py: no sign-in, rules, audit, gate or middleware) served by uvicorn as its
own process with as many connections a process as the API, driven by wrk like the API:
  - one process, each enrolment one transaction of the pool's conditional UPDATE, the claim's
    INSERT and the enrolment's INSERT (as bench/bare_claim.py, bench_registration's second
    baseline, claims);
  - the stricter one, the raw rate the aim is held against: as many processes as the API, and
    the three in one statement, as the platform writes them (what HTTP, one statement and the
    processes cost on their own, with the API's resources).
Each round is the rush of the issue three times, on a fresh course and cohort each time: 1,000
clients at once (wrk `-t 2`, one connection a client, bench/registration_rush.lua, each line of
the plan sent once), every person enrolling once, at each baseline and then with
`POST /cohorts/{id}/enrolments` at the API. Printed per round: enrolments per second (first
request sent to last answer received), p50/p99/max latency, answers by status and the 5xx among
them (must be 0; a 503 would be the seat gate's `seats-busy`), the confirmed count, and the
database recounted: the confirmed claims must equal the capacity and `seat_pool.taken`, the
waitlisted ones `seat_pool.waitlisted` with as many distinct positions, and each person has one
claim and one enrolment. Then the medians over the rounds and the ratios (aim: at least 70% of
the stricter baseline's rate). The first round is each token's first use (its signature
checked, then remembered by the API process); the later ones reuse the tokens.

Machines here are noisy, and wrk, the API and PostgreSQL share the CPU: read the ratios. wrk may
count "read" socket errors: connections left idle once their lines are sent, closed by the API
after its keep-alive; the answers count shows whether any request was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import shutil
import statistics
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from bench_registration import Rush, make_people, raise_open_files_limit, rush
from serving import cpu_seconds, embedded_servers, serve_api, serve_bare

from year2026.settings import Settings, load_settings

#: a cohort's counters against its claim and enrolment rows
RECOUNT = """
SELECT p.capacity, p.taken, p.waitlisted,
  count(c.id) FILTER (WHERE c.status IN ('confirmed', 'offered')) AS seated_rows,
  count(c.id) FILTER (WHERE c.status = 'confirmed') AS confirmed_rows,
  count(c.id) FILTER (WHERE c.status = 'waitlisted') AS waitlisted_rows,
  count(DISTINCT c.position) FILTER (WHERE c.status = 'waitlisted') AS positions,
  count(c.id) AS claims, count(DISTINCT c.person) AS people,
  (SELECT count(*) FROM course_enrolment e WHERE e.cohort = p.id) AS enrolments
FROM seat_pool p LEFT JOIN seat_claim c ON c.pool = p.id
WHERE p.id = $1 GROUP BY p.id
"""


@dataclass(frozen=True)
class Round:
    #: the bare handler as bench/bench_registration.py's: one process, a transaction
    standard: Rush
    #: the bare handler with the API's processes and its one statement
    strict: Rush
    api: Rush
    fine: bool


@dataclass(frozen=True)
class Bench:
    settings: Settings
    wrk: str
    port: int
    #: the bare handler with one process, and (one port up) with as many as the API
    bare_port: int
    workers: int
    api_pid: int
    connections: int
    folder: Path
    people: list[tuple[uuid.UUID, str]]
    organization_id: uuid.UUID
    capacity: int


async def open_cohort(bench: Bench) -> tuple[uuid.UUID, uuid.UUID]:
    """A new published course with one cohort of `capacity` seats and a waitlist, open now:
    (course id, cohort id: its pool's)."""
    from tests.support.courses import a_cohort, a_course

    course = await a_course(bench.organization_id)
    cohort = await a_cohort(course, capacity=bench.capacity)
    return course.id, cohort["id"]


async def recounted(settings: Settings, pool_id: uuid.UUID) -> tuple[Any, bool]:
    connection = await asyncpg.connect(settings.effective_database_url)
    try:
        row = await connection.fetchrow(RECOUNT, pool_id)
    finally:
        await connection.close()
    assert row is not None
    people = row["people"]
    agree = (
        row["confirmed_rows"] == row["capacity"] == row["taken"] == row["seated_rows"]
        and row["waitlisted"] == row["waitlisted_rows"] == row["positions"]
        and row["claims"] == people == row["enrolments"]
    )
    return row, agree


def print_rush(label: str, result: Rush, row: Any, agree: bool) -> bool:
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(result.statuses.items()))
    errors = ", ".join(f"{name} {count}" for name, count in result.errors.items() if count)
    print(
        f"  {label:<34} {result.rate:7.0f} enrolments/s  p50 {result.p50_ms:7.1f} ms"
        f"   p99 {result.p99_ms:7.1f} ms   max {result.max_ms:7.1f} ms"
    )
    print(
        f"    answers {result.answered}/{result.sent} in {result.seconds:.2f} s: {statuses};"
        f" 5xx: {result.server_errors}" + (f"; socket errors: {errors}" if errors else "")
    )
    print(
        f"    confirmed {row['confirmed_rows']} (capacity {row['capacity']}, seat_pool.taken"
        f" {row['taken']}), waitlisted {row['waitlisted_rows']} (seat_pool.waitlisted"
        f" {row['waitlisted']}, positions {row['positions']}), claims {row['claims']},"
        f" enrolments {row['enrolments']}, people {row['people']}:"
        f" {'agree' if agree else 'DISAGREE'}"
    )
    return agree and result.server_errors == 0 and result.answered == result.sent


async def bare_rush(bench: Bench, label: str, port: int, query: str) -> tuple[Rush, bool]:
    """Every person enrols once at the bare handler on `port`, on a fresh course and cohort."""
    course_id, cohort_id = await open_cohort(bench)
    plan = [
        (f"/courses/{course_id}/cohorts/{cohort_id}/enrolments/{person_id}{query}", "-")
        for person_id, _ in bench.people
    ]
    result = await rush(bench.wrk, port, plan, bench.connections, bench.folder)
    return result, print_rush(label, result, *await recounted(bench.settings, cohort_id))


async def one_round(number: int, bench: Bench) -> Round:
    print(f"round {number}: {len(bench.people)} people at once for {bench.capacity} seats")
    standard, fine = await bare_rush(
        bench, "bare handler, 1 process, transaction", bench.bare_port, "?transaction=true"
    )
    strict, also = await bare_rush(
        bench, f"bare handler, {bench.workers} processes, 1 statement", bench.bare_port + 1, ""
    )
    fine &= also
    _, cohort_id = await open_cohort(bench)
    plan = [(f"/cohorts/{cohort_id}/enrolments", token) for _, token in bench.people]
    cpu_before = cpu_seconds(bench.api_pid)
    api = await rush(bench.wrk, bench.port, plan, bench.connections, bench.folder)
    cpu = cpu_seconds(bench.api_pid) - cpu_before
    fine &= print_rush("POST /cohorts/{id}/enrolments", api, *await recounted(
        bench.settings, cohort_id
    ))  # fmt: skip
    print(
        f"    → {api.rate / strict.rate:.0%} of the raw rate (the API's processes, one statement),"
        f" {api.rate / standard.rate:.0%} of one process's transaction; the API's processes used"
        f" {cpu:.1f} s of CPU, {cpu / len(plan) * 1000:.2f} ms an enrolment"
    )
    return Round(standard, strict, api, fine)


async def warm_up(bench: Bench, tokens: list[str]) -> None:
    """A few enrolments at once at each server, on a cohort of their own: both open their
    connections and run every path of an enrolment once before they are timed."""
    _, cohort_id = await open_cohort(bench)
    async with httpx.AsyncClient(timeout=30) as http:
        answers = await asyncio.gather(
            *(
                http.post(
                    f"http://127.0.0.1:{bench.port}/cohorts/{cohort_id}/enrolments",
                    headers={"Authorization": f"Bearer {token}"},
                )
                for token in tokens
            )
        )
        if {answer.status_code for answer in answers} != {201}:
            log = (bench.folder / "api.log").read_text()[-3000:]
            raise SystemExit(f"the API failed: {answers[0].text}\n{log}")
        for port, query, log in (
            (bench.bare_port, "?transaction=true", "bare.log"),
            (bench.bare_port + 1, "", "bare-processes.log"),
        ):
            course_id, cohort_id = await open_cohort(bench)
            answers = await asyncio.gather(
                *(
                    http.post(
                        f"http://127.0.0.1:{port}/courses/{course_id}/cohorts/{cohort_id}"
                        f"/enrolments/{person_id}{query}"
                    )
                    for person_id, _ in bench.people[: len(tokens)]
                )
            )
            if {answer.status_code for answer in answers} != {201}:
                text = (bench.folder / log).read_text()[-3000:]
                raise SystemExit(f"the bare handler failed: {answers[0].text}\n{text}")


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
        provider = await organizers.organizer(settings)
        print(
            f"{len(people)} people, each with a session of their own, in"
            f" {time.perf_counter() - started:.1f} s"
        )
        port, bare_port = settings.port, settings.port + 1
        api = serve_api(environment, port, folder / "api.log", arguments.workers)
        bare_environment = {
            "BARE_ENROLMENT_DSN": settings.effective_database_url,
            "BARE_ENROLMENT_CONNECTIONS": str(settings.db_pool_max),
        }
        bare = serve_bare("bare_enrolment:app", bare_environment, bare_port, folder / "bare.log")
        bare_processes = serve_bare(
            "bare_enrolment:app",
            bare_environment,
            bare_port + 1,
            folder / "bare-processes.log",
            workers=arguments.workers,
        )
        try:
            bench = Bench(
                settings=settings,
                wrk=wrk,
                port=port,
                bare_port=bare_port,
                workers=arguments.workers,
                api_pid=api.pid,
                connections=arguments.connections,
                folder=folder,
                people=people,
                organization_id=provider.organization_id,
                capacity=arguments.capacity,
            )
            await warm_up(bench, [token for _, token in people[:20]])
            print(
                f"API: `year2026 serve --workers {arguments.workers}`, pool of"
                f" {settings.db_pool_max} connections a process, {settings.seat_claims_per_pool}"
                f" claims per cohort at once a process; the bare handlers: 1 and"
                f" {arguments.workers} uvicorn processes, {settings.db_pool_max} connections each;"
                f" wrk -t 2 -c {arguments.connections}"
            )
            rounds = [await one_round(n + 1, bench) for n in range(arguments.rounds)]
        finally:
            for process in (api, bare, bare_processes):
                process.terminate()
                process.wait(timeout=30)

    def median(values: list[float]) -> float:
        return statistics.median(values)

    print(f"median of {len(rounds)} rounds:")
    for label, rushes in (
        ("bare handler, 1 process, transaction", [r.standard for r in rounds]),
        (f"bare handler, {arguments.workers} processes, 1 statement", [r.strict for r in rounds]),
        ("POST /cohorts/{id}/enrolments", [r.api for r in rounds]),
    ):
        print(
            f"  {label:<42} {median([r.rate for r in rushes]):7.0f} enrolments/s"
            f"   p99 {median([r.p99_ms for r in rushes]):7.1f} ms"
        )
    api_rate = median([r.api.rate for r in rounds])
    print(
        f"  → {api_rate / median([r.strict.rate for r in rounds]):.0%} of the raw rate with the"
        f" API's processes, one statement (aim ≥ 70%);"
        f" {api_rate / median([r.standard.rate for r in rounds]):.0%} of one process's transaction"
    )
    return all(r.fine for r in rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument(
        "--workers", type=int, default=2, help="API (and bare handler) processes, as the cores"
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
