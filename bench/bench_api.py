"""How much the platform adds to a request, against baselines measured in the same run.

    .venv/bin/python bench/bench_api.py [--requests 2000]

Starts embedded PostgreSQL and Redis in a temporary folder, then times, in-process over ASGI (no
network, so the figures are the service's own work):
  - `GET /healthz` through the whole app (request id, access log, problem mapping) against a bare
    Litestar handler returning the same body;
  - `GET /me` with a bearer token (JWT check, Redis revocation mark, profile queries) against the
    raw SQL that reads the same person with asyncpg.
Machines here are noisy: read the ratios, not the single times.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import httpx
from litestar import Litestar, get

from year2026.embedded import EmbeddedPostgres, EmbeddedRedis
from year2026.settings import Settings, load_settings


async def timed(label: str, count: int, call: Callable[[], Awaitable[object]]) -> float:
    for _ in range(min(100, count)):  # warm-up
        await call()
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    median = statistics.median(samples) * 1e6
    p95 = statistics.quantiles(samples, n=20)[-1] * 1e6
    print(f"  {label:<44} median {median:8.1f} µs   p95 {p95:8.1f} µs")
    return median


async def run(count: int, settings: Settings) -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from tests.support import people
    from tests.support.asgi import serving
    from year2026.app import create_app
    from year2026.db import close_pool, configure_engine

    engine = configure_engine(settings)
    await run_forwards("all")

    @get("/ping")
    async def ping() -> dict[str, str]:
        return {"status": "alive"}

    bare = Litestar([ping], logging_config=None)
    transport = httpx.ASGITransport(app=bare)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://bench") as bare_client,
        serving(create_app(settings)) as client,
    ):
        person = await people.sign_up(client)
        connection = await asyncpg.connect(settings.effective_database_url)
        print(f"{count} sequential requests each, in-process:")
        baseline = await timed(
            "bare Litestar GET /ping (baseline)", count, lambda: bare_client.get("/ping")
        )
        ours = await timed("year2026 GET /healthz", count, lambda: client.get("/healthz"))
        print(f"  → /healthz costs {ours / baseline:.2f}× a bare handler")
        raw = await timed(
            "raw SQL: one person by id (baseline)",
            count,
            lambda: connection.fetchrow("SELECT * FROM person WHERE id = $1", person.person_id),
        )
        me = await timed(
            "year2026 GET /me (token, Redis, queries)",
            count,
            lambda: client.get("/me", headers=person.headers),
        )
        print(f"  → /me costs {me / raw:.2f}× the raw query it is built on")
        await connection.close()
    await close_pool(engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="year2026-bench-") as folder:
        data_dir = Path(folder)
        postgres = EmbeddedPostgres(data_dir, settings={"fsync": "off"})
        redis = EmbeddedRedis(data_dir, persistent=False)
        postgres.start()
        redis.start()
        try:
            settings = load_settings(
                {
                    "YEAR2026_DATA_DIR": str(data_dir),
                    "YEAR2026_DATABASE_URL": postgres.url,
                    "YEAR2026_REDIS_URL": redis.url,
                    "YEAR2026_LOG_LEVEL": "warning",
                }
            )
            from year2026.observability import configure_logging

            # warnings only: the access log would time the terminal, not us
            configure_logging(settings)
            asyncio.run(run(arguments.requests, settings))
        finally:
            redis.stop()
            postgres.stop()


if __name__ == "__main__":
    main()
