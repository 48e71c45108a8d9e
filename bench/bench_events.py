"""The public event listing at national scale, against the raw SQL behind it, in the same run.

    .venv/bin/python bench/bench_events.py [--events 10000] [--recurring 1000] [--requests 300]

Starts embedded PostgreSQL and Redis in a temporary folder, fills the calendar through the same
code the services use (events inserted, their occurrences expanded and stored by
`events.occurrences.refresh_occurrences`), starts `year2026 serve` as its own process (as
production runs it), then times, one request at a time:
  - `GET /events?q=…&category=…&region=…` over HTTP (parsing, the query, localizing, JSON);
  - the same statement (`events.queries.listing_query`) sent straight to PostgreSQL with asyncpg,
    returning the same rows.
Aim: the HTTP figure within 2× of the raw query. Machines here are noisy: read the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from serving import percentile, serve_api

from year2026.embedded import EmbeddedPostgres, EmbeddedRedis
from year2026.settings import Settings, load_settings

WORDS_RU = ["искусственный", "интеллект", "данные", "облако", "безопасность", "стартап", "хакатон"]
WORDS_EN = ["artificial", "intelligence", "data", "cloud", "security", "startup", "robotics"]
WORDS_KK = ["жасанды", "интеллект", "деректер", "бұлт", "қауіпсіздік", "стартап", "хакатон"]
CATEGORIES = ["forum", "conference", "hackathon", "training", "meetup", "webinar"]
REGIONS = ["astana", "almaty", "shymkent", "karaganda", "aktobe", "pavlodar", "turkistan"]
QUERY = {"q": "данные", "category": "meetup", "region": "almaty"}


def report(label: str, samples: list[float]) -> tuple[float, float]:
    p50, p95 = statistics.median(samples) * 1000, percentile(samples, 0.95) * 1000
    print(f"  {label:<52} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")
    return p50, p95


async def fill(settings: Settings, events: int, recurring: int) -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from events.occurrences import refresh_occurrences
    from events.tables import Event
    from year2026.db import database_pool, get_engine
    from year2026.people.tables import Organization

    random.seed(2026)
    async with database_pool(settings):
        await run_forwards("all")
        organization_id = uuid.uuid4()
        await Organization.insert(
            Organization(
                id=organization_id, name_kk="Org", name_ru="Org", name_en="Org", kind="tech-park"
            )
        )
        now = dt.datetime.now(dt.UTC)
        rows = []
        for n in range(events):
            start = now + dt.timedelta(days=random.randint(-30, 365), hours=random.randint(0, 23))
            words = random.sample(range(len(WORDS_RU)), 3)
            rows.append(
                Event(
                    id=uuid.uuid4(),
                    organization=organization_id,
                    slug=f"event-{n}",
                    status="published",
                    title_kk=" ".join(WORDS_KK[i] for i in words),
                    title_ru=" ".join(WORDS_RU[i] for i in words),
                    title_en=" ".join(WORDS_EN[i] for i in words),
                    summary_ru="Мероприятие Года цифровизации " + " ".join(WORDS_RU),
                    category=random.choice(CATEGORIES),
                    tags=["ai"],
                    format="offline",
                    region=random.choice(REGIONS),
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=2),
                    rrule="FREQ=WEEKLY" if n < recurring else "",
                    series_ends_at=None if n < recurring else start + dt.timedelta(hours=2),
                )
            )
        for chunk in range(0, len(rows), 500):  # PostgreSQL takes 32,767 parameters at most
            await Event.insert(*rows[chunk : chunk + 500])
        stored = await Event.select(*Event.all_columns())
        async with get_engine().transaction():
            for row in stored:
                await refresh_occurrences(row, now)
        # what autovacuum would soon do on a live database: planner statistics for the new rows
        await get_engine().run_ddl("ANALYZE")


def serve(settings_environment: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    return serve_api({**settings_environment, "YEAR2026_LOG_LEVEL": "error"}, port, log)


async def measure(settings: Settings, port: int, requests: int) -> None:
    from events.enums import EventCategory
    from events.queries import EventFilters, listing_query
    from year2026.db import configure_engine
    from year2026.people.enums import Region

    configure_engine(settings)
    since = dt.datetime.now(dt.UTC).replace(microsecond=0)
    params = {**QUERY, "from": since.isoformat()}
    statement = listing_query(
        EventFilters(q=QUERY["q"], category=EventCategory(QUERY["category"]),
                     region=Region(QUERY["region"]), starts_from=since),
        by_relevance=False, cursor=None, limit=50, now=dt.datetime.now(dt.UTC),
    )  # fmt: skip
    sql, arguments = statement.compile_string(engine_type="postgres")
    connection = await asyncpg.connect(settings.effective_database_url)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        answer = await http.get("/events", params=params)
        assert answer.status_code == 200, answer.text
        raw_rows = await connection.fetch(sql, *arguments)
        returned = [item["occurrence_id"] for item in answer.json()["items"]]
        # the statement fetches one row more than a page holds, to know there is a next page
        expected = [str(row["occurrence_id"]) for row in raw_rows[:50]]
        assert returned == expected, "not the same rows"
        print(f"{requests} sequential requests; both return the same {len(returned)} rows:")
        http_samples, raw_samples = [], []
        for _ in range(requests):
            started = time.perf_counter()
            await http.get("/events", params=params)
            http_samples.append(time.perf_counter() - started)
            started = time.perf_counter()
            await connection.fetch(sql, *arguments)
            raw_samples.append(time.perf_counter() - started)
    await connection.close()
    raw50, raw95 = report("raw SQL: the listing statement (baseline)", raw_samples)
    ours50, ours95 = report("GET /events?q=…&category=…&region=… over HTTP", http_samples)
    print(f"  → p50 {ours50 / raw50:.2f}×, p95 {ours95 / raw95:.2f}× the raw query (aim: 2×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--recurring", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=300)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="year2026-bench-") as folder:
        data_dir = Path(folder)
        postgres = EmbeddedPostgres(data_dir, settings={"fsync": "off"})
        redis = EmbeddedRedis(data_dir, persistent=False)
        postgres.start()
        redis.start()
        api = None
        try:
            environment = {
                "YEAR2026_DATA_DIR": str(data_dir),
                "YEAR2026_DATABASE_URL": postgres.url,
                "YEAR2026_REDIS_URL": redis.url,
            }
            settings = load_settings(environment)
            started = time.perf_counter()
            asyncio.run(fill(settings, arguments.events, arguments.recurring))
            print(
                f"filled {arguments.events} events ({arguments.recurring} recurring, weekly) in"
                f" {time.perf_counter() - started:.0f} s"
            )
            port = 18000 + random.randint(0, 999)
            api = serve(environment, port, data_dir / "api.log")
            asyncio.run(measure(settings, port, arguments.requests))
        finally:
            if api is not None:
                api.terminate()
                api.wait(timeout=15)
            redis.stop()
            postgres.stop()


if __name__ == "__main__":
    main()
