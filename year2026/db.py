"""The Piccolo engine: built from settings, its pool opened and closed by whoever runs the code."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

from year2026.settings import Settings


def build_engine(settings: Settings) -> PostgresEngine:
    return PostgresEngine(
        config={"dsn": settings.effective_database_url},
        log_queries=False,
    )


def get_engine() -> PostgresEngine:
    engine = engine_finder()
    if not isinstance(engine, PostgresEngine):
        raise TypeError("PICCOLO_CONF does not name a PostgreSQL engine")
    return engine


@asynccontextmanager
async def database_pool(settings: Settings) -> AsyncIterator[PostgresEngine]:
    """The engine with its connection pool open for the duration of the block."""
    engine = await open_pool(settings)
    try:
        yield engine
    finally:
        await close_pool(engine)


async def open_pool(settings: Settings) -> PostgresEngine:
    engine = get_engine()
    await engine.start_connection_pool(
        min_size=settings.db_pool_min,
        max_size=settings.db_pool_max,
        # a server that is down must not hang a request: fail fast; /readyz reports it
        timeout=5,
        command_timeout=30,
    )
    return engine


async def close_pool(engine: PostgresEngine) -> None:
    await engine.close_connection_pool()


async def database_answers(engine: PostgresEngine, timeout: float = 2.0) -> bool:
    """True when PostgreSQL runs a trivial query within `timeout` seconds."""
    try:
        async with asyncio.timeout(timeout):
            rows = await engine.run_ddl("SELECT 1 AS ok", in_pool=engine.pool is not None)
    except Exception:  # noqa: BLE001 - whatever the failure, the answer is "not ready"
        return False
    return bool(rows) and rows[0]["ok"] == 1
