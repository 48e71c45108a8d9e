"""Calendar feeds served by the API as production runs it, next to a bare handler serving the
same bytes from memory, and publishing after one change next to a full rebuild, in one run.

    make bench-feeds     # installs wrk first (`make bench-tools`: Debian's package, as root)
    .venv/bin/python bench/bench_feeds.py [--events 5000] [--recurring 300] [--registrations 20]
                                          [--workers 2] [--connections 50] [--seconds 6]
                                          [--rebuilds 3] [--republishes 5] [--no-identity]
                                          [--case LABEL]...

Not a test (it takes about two minutes and needs wrk). Starts embedded PostgreSQL and Redis in
a temporary folder. One organization's public events are inserted directly with COPY
(bench/feed_events.py: `--events` in all, less the person's below; Kazakh, Russian and English
texts, a few in two languages only; one-off, all-day and, `--recurring` of them, weekly series
with EXDATEs, moved and cancelled occurrences; some cancelled or postponed), with their
occurrence rows. Then
`year2026 serve --workers N` starts as its own process, an organizer creates and publishes
`--registrations` more events over HTTP (a few of them weekly series), and one person
registers for each of them (one occurrence of a series) and asks for a private feed
(`POST /me/calendar-feed`), as they would.

Publishing, in this process as the worker runs it (`publish_calendars` with
`year2026.domains.CALENDAR_PARTS`), while the API is idle:
  - full rebuild: `SELECT calendar_mark_owners(ARRAY(SELECT id FROM event))`, then the publisher
    until it has seen every mark (it takes BATCH owners a run): every event's fragments written
    again in each language, and the listing feed joined again after each run;
  - re-publish: one event's titles changed by an UPDATE (its trigger marks it), then the
    publisher once: that event's fragments and the listing joined again.
Each is timed a few times (`--rebuilds`, `--republishes`; the change itself is not timed);
printed: the medians and their ratio (aim: re-publish at most 5% of a full rebuild). Then the
served feed is checked to show the last change, and the private one what the person registered
for.

HTTP: the public feed (`GET /feeds/events.ics`, in the default language, the one a calendar app
gets without `lang`) and the private one are fetched once from the API (gzip and identity);
their bytes and headers are written to files that bench/bare_feeds.py, a bare Litestar app under
uvicorn with as many workers as the API, loads into memory, so that it answers the same bytes
with the same headers (and 304 by the same If-None-Match rule), with no Redis and no database.
Both answers are compared before any is timed. wrk then drives both alike (`-t 2`, the same
`--connections` and `--seconds`, after a one-second warm-up; every request with
`Accept-Encoding: gzip`, as calendar apps send it):
  - private 200, private 304 (`If-None-Match` with the current ETag), public 200, public 304,
    and public 200 without gzip (`--identity`, on by default);
printed: each one's rate for ours and the bare handler, the ratio (aim: at least 90%), p50/p99,
the CPU a request cost (ours: the API's processes and Redis; bare: its processes) and the bytes
an answer took. `--case` runs only the cases whose label holds it, e.g. to profile one with
py-spy while it runs. wrk, the servers, Redis and PostgreSQL share the machine's cores: read the
ratios, measured in the same run, not the single rates. The exit status is 1 when wrk counted
errors (socket errors, timeouts, answers of 4xx or 5xx) or a check failed; a missed aim is
only printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import io
import json
import shutil
import statistics
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import feed_events
import httpx
from serving import cpu_seconds, embedded_servers, serve_api, serve_bare

from year2026.settings import Settings, load_settings

LUA_SCRIPT = Path(__file__).with_name("feed_poll.lua")
WRK_THREADS = 2
PUBLIC_PATH = "/feeds/events.ics"
#: what a calendar app sends with every fetch
GZIP = {"Accept-Encoding": "gzip"}
#: the bytes as written (httpx would ask for gzip otherwise)
IDENTITY = {"Accept-Encoding": "identity"}
AIM_RATE = 0.90
AIM_REPUBLISH = 0.05
NEW_TITLES = (
    "Жасанды интеллект форумы: жаңа күн тәртібі",
    "Форум по искусственному интеллекту: новая повестка",
    "AI forum: a new agenda",
)

# --- publishing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Publishing:
    seconds: float
    runs: int
    owners: int
    fragments: int


async def publish_all_marks(settings: Settings, store: Any) -> Publishing:
    """The publisher, run after run as the worker would, until it has seen every mark (a run
    that takes fewer than a batch leaves none)."""
    from year2026.calendar.publishing import BATCH, publish_calendars
    from year2026.domains import CALENDAR_PARTS

    runs = owners = fragments = 0
    started = time.perf_counter()
    while True:
        published = await publish_calendars(CALENDAR_PARTS, settings, store)
        assert not published.busy
        runs += 1
        owners += published.owners
        fragments += published.fragments
        if published.owners < BATCH and published.people < BATCH:
            break
    return Publishing(time.perf_counter() - started, runs, owners, fragments)


async def full_rebuild(
    connection: asyncpg.Connection, settings: Settings, store: Any
) -> Publishing:
    await connection.execute("SELECT calendar_mark_owners(ARRAY(SELECT id FROM event))")
    return await publish_all_marks(settings, store)


async def republish(
    connection: asyncpg.Connection, settings: Settings, store: Any, event_id: uuid.UUID, n: int
) -> Publishing:
    """One event's titles changed as an organizer's edit changes them (its trigger marks it),
    then the publisher."""
    await connection.execute(
        "UPDATE event SET title_kk = $2, title_ru = $3, title_en = $4, sequence = sequence + 1,"
        " updated_at = now() WHERE id = $1",
        event_id,
        *(f"{title} ({n})" for title in NEW_TITLES),
    )
    return await publish_all_marks(settings, store)


# --- HTTP ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


#: headers that differ between two answers of the same bytes
PER_ANSWER = frozenset({"date", "x-request-id"})


def fetch_raw(port: int, path: str, headers: dict[str, str]) -> Answer:
    """One GET, its body as sent (not decompressed)."""
    with (
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client,
        client.stream("GET", path, headers=headers) as response,
    ):
        body = b"".join(response.iter_raw())
        return Answer(response.status_code, dict(response.headers), body)


@dataclass(frozen=True)
class Case:
    label: str
    path: str
    headers: dict[str, str]
    status: int


@dataclass(frozen=True)
class Load:
    """What wrk measured."""

    requests: int
    seconds: float
    bytes: int
    p50_ms: float
    p99_ms: float
    errors: dict[str, int]
    #: CPU seconds the server's processes used
    cpu: float
    #: CPU seconds Redis used meanwhile
    redis_cpu: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        return self.cpu / self.requests * 1000

    @property
    def redis_cpu_ms(self) -> float:
        return self.redis_cpu / self.requests * 1000


async def poll(
    wrk: str, port: int, case: Case, connections: int, seconds: int, server_pid: int,
    redis_pid: int,
) -> Load:  # fmt: skip
    """wrk's `connections` sending the case's request for `seconds`, each again as soon as its
    answer is in."""
    arguments = [wrk, "-t", str(WRK_THREADS), "-c", str(connections), "-d", f"{seconds}s",
                 "--timeout", "30s", "-s", str(LUA_SCRIPT)]  # fmt: skip
    for name, value in case.headers.items():
        arguments += ["-H", f"{name}: {value}"]
    cpu_before, redis_before = cpu_seconds(server_pid), cpu_seconds(redis_pid)
    process = await asyncio.create_subprocess_exec(
        *arguments, f"http://127.0.0.1:{port}{case.path}",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    cpu, redis_cpu = cpu_seconds(server_pid) - cpu_before, cpu_seconds(redis_pid) - redis_before
    lines = [line for line in output.decode().splitlines() if line.startswith("RESULT ")]
    if not lines:
        raise SystemExit(f"wrk gave no result:\n{output.decode()[-3000:]}")
    found = json.loads(lines[0].removeprefix("RESULT "))
    return Load(
        requests=found["requests"],
        seconds=found["seconds"],
        bytes=found["bytes"],
        p50_ms=found["p50_ms"],
        p99_ms=found["p99_ms"],
        errors={name: count for name, count in found["errors"].items() if count},
        cpu=cpu,
        redis_cpu=redis_cpu,
    )


def bare_manifest(folder: Path, feeds: dict[str, dict[str, tuple[Answer, Answer]]]) -> Path:
    """The manifest of bench/bare_feeds.py: each feed's bytes and headers, as the API sent them
    (the 200 and the 304 of each encoding)."""
    manifest: dict[str, Any] = {}
    for path, variants in feeds.items():
        manifest[path] = {}
        for encoding, (full, not_modified) in variants.items():
            body_file = folder / f"feed-{uuid.uuid4().hex[:8]}-{encoding}.ics"
            body_file.write_bytes(full.body)
            manifest[path][encoding] = {
                "body": str(body_file),
                "etag": full.headers["etag"].strip('"'),
                "headers": _kept_headers(full.headers),
                "not_modified_headers": _kept_headers(not_modified.headers),
            }
    written = folder / "bare-feeds.json"
    written.write_text(json.dumps(manifest))
    return written


def _kept_headers(headers: dict[str, str]) -> dict[str, str]:
    """What the bare handler sends itself (the server adds the length and the date; Litestar
    the content type of a 200)."""
    return {
        name: value
        for name, value in headers.items()
        if name not in {"date", "content-length", "content-type"}
    }


def same_answer(ours: Answer, bare: Answer) -> list[str]:
    """How two answers differ (nothing, one hopes), leaving out what differs by nature."""
    differences = []
    if ours.status != bare.status:
        differences.append(f"status {ours.status} / {bare.status}")
    if ours.body != bare.body:
        differences.append(f"body {len(ours.body)} / {len(bare.body)} bytes")
    names = set(ours.headers) | set(bare.headers)
    for name in sorted(names - PER_ANSWER):
        if ours.headers.get(name) != bare.headers.get(name):
            differences.append(f"{name}: {ours.headers.get(name)!r} / {bare.headers.get(name)!r}")
    return differences


def print_case(case: Case, ours: Load, bare: Load) -> tuple[bool, bool]:
    """The case's line; whether the aim is met, and whether every request was answered."""
    ratio = ours.rate / bare.rate
    errors = {**{f"ours {k}": v for k, v in ours.errors.items()},
              **{f"bare {k}": v for k, v in bare.errors.items()}}  # fmt: skip
    print(
        f"  {case.label:<22} {ours.rate:7.0f} {bare.rate:7.0f} {ratio:6.0%}"
        f"   {ours.p50_ms:6.2f} / {ours.p99_ms:6.2f}   {bare.p50_ms:6.2f} / {bare.p99_ms:6.2f}"
        f"   {ours.cpu_ms:5.2f} + {ours.redis_cpu_ms:4.2f} / {bare.cpu_ms:4.2f}"
        f"   {ours.bytes / ours.requests / 1024:7.1f}" + (f"   errors: {errors}" if errors else "")
    )
    return ratio >= AIM_RATE, not errors


# --- the run -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    """The calendar as set up: the events inserted directly, the private feed's path and the
    events it shows."""

    bulk_ids: list[uuid.UUID]
    private_path: str
    private_events: list[uuid.UUID]


async def set_up(
    settings: Settings, connection: asyncpg.Connection, port: int, arguments: argparse.Namespace
) -> Served:
    """The events, the person and their feed (the API already serving), and the public feed's
    first request, from which on the publisher keeps it written."""
    from tests.support import organizers, people

    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    organization_id = await feed_events.insert_organization(connection)
    bulk = arguments.events - arguments.registrations
    bulk_ids, changed_occurrences = await feed_events.insert_events(
        connection, organization_id, bulk, arguments.recurring, now
    )
    await connection.execute("ANALYZE")
    print(
        f"{bulk} events inserted ({arguments.recurring} weekly series, {changed_occurrences}"
        f" occurrences moved or cancelled), in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    organizer = await organizers.organizer(settings, organization_id)
    person = await people.signed_in_person(settings, name="Айгерім Серікқызы")
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
        private_path, private_events = await feed_events.register_person(
            http, connection, organizer, person, arguments.registrations, bulk, now
        )
        first = await http.get(PUBLIC_PATH, headers=GZIP)
        assert first.status_code == 200, first.text
    print(
        f"{arguments.registrations} more events created and published over HTTP, the person"
        f" registered for each, their private feed made, in {time.perf_counter() - started:.1f} s"
    )
    return Served(bulk_ids, private_path, private_events)


async def measure_publishing(
    settings: Settings, connection: asyncpg.Connection, store: Any, served: Served,
    arguments: argparse.Namespace,
) -> bool:  # fmt: skip
    """Full rebuilds, then re-publishes after one change; whether the aim is met."""
    from year2026.calendar.publishing import BATCH

    print(
        f"\npublishing ({arguments.events} events; the publisher takes {BATCH} owners a run;"
        " the API idle):"
    )
    rebuilds = [await full_rebuild(connection, settings, store) for _ in range(arguments.rebuilds)]
    changed = served.bulk_ids[len(served.bulk_ids) // 2]
    republished = [
        await republish(connection, settings, store, changed, n)
        for n in range(1, arguments.republishes + 1)
    ]
    return print_publishing(rebuilds, republished)


@dataclass(frozen=True)
class Feed:
    path: str
    gzipped: Answer
    identity: Answer

    @property
    def text(self) -> str:
        return self.identity.body.decode()


def fetch_feed(port: int, path: str) -> Feed:
    feed = Feed(path, fetch_raw(port, path, GZIP), fetch_raw(port, path, IDENTITY))
    assert feed.gzipped.status == feed.identity.status == 200, (path, feed.identity)
    return feed


def size(feed: Feed) -> str:
    return (
        f"{len(feed.gzipped.body) / 1024:,.1f} KiB gzipped,"
        f" {len(feed.identity.body) / 1024:,.1f} KiB as written"
    )


def check_served(public: Feed, private: Feed, served: Served, republishes: int) -> None:
    """The public feed shows the last change; the private one what the person registered for."""
    unfolded = public.text.replace("\r\n ", "")
    assert f"{NEW_TITLES[0]} ({republishes})" in unfolded, "the last change is not served"
    vevents = private.text.count("BEGIN:VEVENT")
    assert vevents == len(served.private_events), private.text[:2000]
    print(f"  the served feed shows the last change, under ETag {public.identity.headers['etag']}")


def start_bare(
    port: int, bare_port: int, feeds: list[Feed], folder: Path, workers: int
) -> subprocess.Popen[bytes]:
    """bench/bare_feeds.py with the feeds' bytes and the headers of their 200 and 304."""
    variants: dict[str, dict[str, tuple[Answer, Answer]]] = {}
    for feed in feeds:
        variants[feed.path] = {}
        for encoding, full, headers in (
            ("gzip", feed.gzipped, GZIP),
            ("identity", feed.identity, IDENTITY),
        ):
            not_modified = fetch_raw(
                port, feed.path, {**headers, "If-None-Match": full.headers["etag"]}
            )
            assert not_modified.status == 304, not_modified
            variants[feed.path][encoding] = (full, not_modified)
    return serve_bare(
        "bare_feeds:app",
        {"BARE_FEEDS_MANIFEST": str(bare_manifest(folder, variants))},
        bare_port,
        folder / "bare.log",
        workers,
    )


def http_cases(public: Feed, private: Feed, arguments: argparse.Namespace) -> list[Case]:
    cases = [
        Case("private 200 (gzip)", private.path, GZIP, 200),
        Case("private 304", private.path,
             {**GZIP, "If-None-Match": private.gzipped.headers["etag"]}, 304),
        Case("public 200 (gzip)", public.path, GZIP, 200),
        Case("public 304", public.path,
             {**GZIP, "If-None-Match": public.gzipped.headers["etag"]}, 304),
    ]  # fmt: skip
    if arguments.identity:
        cases.append(Case("public 200 (identity)", public.path, IDENTITY, 200))
    if arguments.case:
        cases = [case for case in cases if any(part in case.label for part in arguments.case)]
        if not cases:
            raise SystemExit(f"no HTTP case is named like {arguments.case}")
    return cases


@dataclass(frozen=True)
class Servers:
    wrk: str
    port: int
    api_pid: int
    bare_port: int
    bare_pid: int
    redis_pid: int


async def measure_http(
    servers: Servers, cases: list[Case], arguments: argparse.Namespace
) -> tuple[dict[str, bool], bool]:
    """Each case against ours, then the bare handler, after a warm-up: whether each met the aim,
    and whether every request was answered."""
    for case in cases:
        ours = fetch_raw(servers.port, case.path, case.headers)
        theirs = fetch_raw(servers.bare_port, case.path, case.headers)
        assert ours.status == case.status, (case, ours.status)
        differences = same_answer(ours, theirs)
        if differences:
            raise SystemExit(f"{case.label}: the bare handler differs: {differences}")
    print(
        "  CPU ms a request: ours (its processes + Redis) / bare; KiB: an answer's headers and"
        " body, as wrk read them"
    )
    print(
        f"  {'case':<22} {'ours/s':>7} {'bare/s':>7} {'ratio':>6}"
        f"   {'ours p50/p99 ms':>15}   {'bare p50/p99 ms':>15}"
        f"   {'CPU ms a request':>18}   {'KiB':>7}"
    )
    met, answered = {}, True
    for case in cases:
        loads = {}
        for name, port, pid in (
            ("ours", servers.port, servers.api_pid),
            ("bare", servers.bare_port, servers.bare_pid),
        ):
            await poll(servers.wrk, port, case, arguments.connections, 1, pid, servers.redis_pid)
            loads[name] = await poll(
                servers.wrk, port, case, arguments.connections, arguments.seconds, pid,
                servers.redis_pid,
            )  # fmt: skip
        met[case.label], all_answered = print_case(case, loads["ours"], loads["bare"])
        answered &= all_answered
    return met, answered


async def run(
    settings: Settings, environment: dict[str, str], arguments: argparse.Namespace, folder: Path
) -> bool:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from year2026.calendar.store import FeedStore
    from year2026.db import database_pool
    from year2026.redis import open_redis

    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: `make bench-tools` (Debian's package wrk)")
    port, bare_port = settings.port, settings.port + 1
    async with database_pool(settings):
        with contextlib.redirect_stdout(io.StringIO()):  # Piccolo's report of each migration
            result = await run_forwards("all")
        if not result.success:
            raise SystemExit(f"migrations failed: {result.message}")
        connection = await asyncpg.connect(settings.effective_database_url)
        redis = await open_redis(settings)
        store = FeedStore(redis, local_bytes=0)  # the worker's: it keeps no copies
        api = serve_api(environment, port, folder / "api.log", arguments.workers)
        bare = None
        try:
            served = await set_up(settings, connection, port, arguments)
            publishing_met = await measure_publishing(
                settings, connection, store, served, arguments
            )
            public, private = fetch_feed(port, PUBLIC_PATH), fetch_feed(port, served.private_path)
            check_served(public, private, served, arguments.republishes)
            cases = http_cases(public, private, arguments)
            bare = start_bare(port, bare_port, [public, private], folder, arguments.workers)
            print(
                f"\nHTTP: `year2026 serve --workers {arguments.workers}` against"
                f" bench/bare_feeds.py under uvicorn --workers {arguments.workers}, the same bytes"
                f" and headers (checked); wrk -t {WRK_THREADS} -c {arguments.connections}"
                f" -d {arguments.seconds}s each, after 1 s of warm-up"
            )
            shown = len({line for line in public.text.split("\r\n") if line.startswith("UID:")})
            print(
                f"  public feed: {size(public)}; {shown} events,"
                f" {public.text.count('BEGIN:VEVENT')} VEVENTs"
            )
            print(f"  private feed: {size(private)}; {len(served.private_events)} registrations")
            servers = Servers(
                wrk, port, api.pid, bare_port, bare.pid, int((await redis.info())["process_id"])
            )
            rate_met, answered = await measure_http(servers, cases, arguments)
            print()
            for label, met in rate_met.items():
                print(f"  {label}: {'aim met' if met else 'aim missed'} (≥ {AIM_RATE:.0%} of bare)")
            print(
                f"  re-publish: {'aim met' if publishing_met else 'aim missed'}"
                f" (≤ {AIM_REPUBLISH:.0%} of a full rebuild)"
            )
        finally:
            await redis.aclose()
            await connection.close()
            for process in (api, bare):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=30)
    return answered


def print_publishing(rebuilds: list[Publishing], republished: list[Publishing]) -> bool:
    rebuild = statistics.median(item.seconds for item in rebuilds)
    again = statistics.median(item.seconds for item in republished)
    print(
        f"  full rebuild (every event marked): median {rebuild:.2f} s"
        f" ({', '.join(f'{item.seconds:.2f}' for item in rebuilds)} s; {rebuilds[0].runs} runs,"
        f" {rebuilds[0].owners} events, {rebuilds[0].fragments} fragments)"
    )
    print(
        f"  re-publish (one event's titles changed): median {again * 1000:.0f} ms"
        f" ({', '.join(f'{item.seconds * 1000:.0f}' for item in republished)} ms;"
        f" {republished[0].runs} run, {republished[0].owners} event,"
        f" {republished[0].fragments} fragments)"
    )
    ratio = again / rebuild
    print(f"  → re-publish is {ratio:.1%} of a full rebuild (aim ≤ {AIM_REPUBLISH:.0%})")
    return ratio <= AIM_REPUBLISH


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000, help="public events in all")
    parser.add_argument("--recurring", type=int, default=300, help="of them, weekly series")
    parser.add_argument("--registrations", type=int, default=20, help="the person's")
    parser.add_argument("--workers", type=int, default=2, help="processes of each server")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=6, help="each wrk run")
    parser.add_argument("--rebuilds", type=int, default=3)
    parser.add_argument("--republishes", type=int, default=5)
    parser.add_argument(
        "--identity", action=argparse.BooleanOptionalAction, default=True,
        help="also the public feed without gzip",
    )  # fmt: skip
    parser.add_argument(
        "--case", action="append", default=[],
        help="only the HTTP cases whose label holds this (repeatable): to profile one",
    )  # fmt: skip
    arguments = parser.parse_args()
    with embedded_servers() as (folder, environment):
        settings = load_settings(environment)
        fine = asyncio.run(run(settings, environment, arguments, folder))
    if not fine:
        raise SystemExit("some requests were not answered (wrk's errors): see above")


if __name__ == "__main__":
    main()
