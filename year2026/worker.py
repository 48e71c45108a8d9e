"""The arq worker: its typed context, lifecycle and the jobs it runs.

Jobs are thin: load by id, call a service. "Jobs may be called more than once", so each one is
idempotent, keyed in the database; job ids carry the task name and the business key.

`run_worker` is the process: it outlives outages. arq's own `Worker.main` lets a Redis
`ConnectionError` escape from its poll loop (and `create_pool` gives up after five tries at
start-up), so each connection gets a fresh arq `Worker` on a pool we open ourselves; when Redis or
PostgreSQL goes away the worker is wound down without touching Redis and started again after a
backoff (0.5 s doubling to 10 s). Only SIGINT and SIGTERM end the process. A job that meets an
outage is run again later (arq's `Retry`) instead of being recorded as failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import signal
from collections.abc import Awaitable, Callable
from typing import Any, TypedDict

import redis.exceptions
import structlog
from arq.connections import ArqRedis
from arq.cron import cron
from arq.worker import Retry, Worker
from redis.asyncio.connection import AbstractConnection

from courses import tasks as course_tasks
from events import occurrences
from year2026 import seats
from year2026.auth.sessions import purge_expired_refresh_tokens
from year2026.calendar.publishing import Published, publish_calendars
from year2026.calendar.store import FeedStore
from year2026.db import CONNECTION_FAILURES, close_pool, get_engine, open_pool
from year2026.domains import CALENDAR_PARTS
from year2026.exceptions import DatabaseUnavailable
from year2026.redis import redis_settings
from year2026.settings import Settings

log = structlog.get_logger("year2026.worker")

QUEUE_NAME = "year2026:queue"
HEARTBEAT_KEY = "year2026:worker:heartbeat"
RECONNECT_FIRST_DELAY = 0.5  # seconds; doubled after each failed attempt
RECONNECT_MAX_DELAY = 10.0
#: Failures that mean a server is away for now, not that our code is wrong.
OUTAGES: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,  # also BusyLoadingError: Redis still loading its data
    redis.exceptions.TimeoutError,
    DatabaseUnavailable,  # what the engine makes of a failure to connect
    *CONNECTION_FAILURES,  # and a connection lost mid-query, as asyncpg raises it
)


class WorkerContext(TypedDict):
    redis: ArqRedis
    settings: Settings


JobFunction = Callable[..., Awaitable[Any]]


def retried_in_outages(job: JobFunction) -> JobFunction:
    """`job`, run again later (up to the worker's `max_tries`) when a server is away."""

    @functools.wraps(job)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await job(ctx, *args, **kwargs)
        except OUTAGES as error:
            attempt = int(ctx.get("job_try", 1))
            defer = min(5 * attempt, 30)
            log.warning(
                "job met an outage; it will run again",
                job=job.__name__,
                attempt=attempt,
                retry_in_seconds=defer,
                error=repr(error),
            )
            raise Retry(defer=defer) from error

    return run


HEARTBEAT_SECONDS = 180  # how long a heartbeat counts; the cron job renews it every minute


def _now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


async def record_heartbeat(ctx: WorkerContext) -> str:
    """Leave the time in Redis, so `year2026 check` can tell whether a worker is running."""
    now = _now_text()
    await ctx["redis"].set(HEARTBEAT_KEY, now, ex=HEARTBEAT_SECONDS)
    return now


async def purge_expired_sessions(ctx: WorkerContext) -> int:
    """Housekeeping: refresh tokens past their expiry go (idempotent: a second run finds none)."""
    return await purge_expired_refresh_tokens()


async def extend_event_occurrences(ctx: WorkerContext) -> int:
    """Daily: recurring events keep their occurrence rows a horizon ahead (idempotent)."""
    return await occurrences.extend_horizons(dt.datetime.now(dt.UTC))


async def expire_seat_offers(ctx: WorkerContext) -> int:
    """Every minute: offers past their deadline end and their seats pass on (idempotent: an
    offer ends once, however often or wherever this runs). Returns the seats passed on."""
    return len(await seats.expire_offers(dt.datetime.now(dt.UTC)))


async def publish_changed_calendars(ctx: WorkerContext) -> str:
    """Every ten seconds: feeds whose events, registrations or addresses changed are written
    again (idempotent: what it has published is no longer marked)."""
    return repr(await _publish(ctx, every_listing=False))


async def refresh_calendars(ctx: WorkerContext) -> str:
    """Hourly: every listing feed is joined again, changed or not (items that ended, or were
    cancelled, long enough ago leave them)."""
    return repr(await _publish(ctx, every_listing=True))


async def _publish(ctx: WorkerContext, *, every_listing: bool) -> Published:
    store = FeedStore(ctx["redis"], local_bytes=0)
    return await publish_calendars(
        CALENDAR_PARTS, ctx["settings"], store, every_listing=every_listing
    )


async def _startup(ctx: dict[str, Any]) -> None:
    await open_pool(ctx["settings"])
    await record_heartbeat(ctx)  # type: ignore[arg-type]


async def _shutdown(ctx: dict[str, Any]) -> None:
    await close_pool(get_engine())


def build_worker(settings: Settings, **overrides: Any) -> Worker:
    """The worker for `settings`; tests pass `burst=True, handle_signals=False`."""
    heartbeat_job = retried_in_outages(record_heartbeat)
    purge_job = retried_in_outages(purge_expired_sessions)
    horizon_job = retried_in_outages(extend_event_occurrences)
    offers_job = retried_in_outages(expire_seat_offers)
    publish_job = retried_in_outages(publish_changed_calendars)
    refresh_job = retried_in_outages(refresh_calendars)
    completions_job = retried_in_outages(course_tasks.recompute_course_completions)
    options: dict[str, Any] = {
        "functions": [
            heartbeat_job,
            purge_job,
            horizon_job,
            offers_job,
            publish_job,
            refresh_job,
            completions_job,
        ],
        "cron_jobs": [
            cron(heartbeat_job, second=0, unique=True),  # type: ignore[arg-type]
            cron(purge_job, minute=17, second=0, unique=True),  # type: ignore[arg-type]
            cron(horizon_job, hour=3, minute=41, second=0, unique=True),  # type: ignore[arg-type]
            cron(offers_job, second=30, unique=True),  # type: ignore[arg-type]
            cron(publish_job, second=set(range(5, 60, 10)), unique=True),  # type: ignore[arg-type]
            cron(refresh_job, minute=23, second=15, unique=True),  # type: ignore[arg-type]
            cron(completions_job, second=45, unique=True),  # type: ignore[arg-type]
        ],
        "redis_settings": redis_settings(settings),
        "queue_name": QUEUE_NAME,
        "on_startup": _startup,
        "on_shutdown": _shutdown,
        "ctx": {"settings": settings},
        "job_timeout": 300,
        "max_tries": 5,
        "keep_result": 3600,
    }
    options.update(overrides)
    return Worker(**options)


def run_worker(settings: Settings) -> None:
    """The `year2026 worker` process: works the queue until SIGINT or SIGTERM."""
    asyncio.run(_work_until_signalled(settings))


async def _work_until_signalled(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await work_through_outages(settings, stop)
    log.info("worker stopped")


async def work_through_outages(settings: Settings, stop: asyncio.Event) -> None:
    """Work the queue until `stop` is set, connecting again after every outage."""
    delay = RECONNECT_FIRST_DELAY
    while not stop.is_set():
        connected = asyncio.Event()
        try:
            await _work_while_connected(settings, stop, connected)
        except OUTAGES as error:
            if connected.is_set():
                delay = RECONNECT_FIRST_DELAY  # it worked for a while: start the backoff again
            log.warning(
                f"worker cannot reach {_server_of(error)}; connecting again",
                retry_in_seconds=delay,
                error=repr(error),
            )
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await stop.wait()
            delay = min(delay * 2, RECONNECT_MAX_DELAY)


async def _heartbeat_on_connect(connection: AbstractConnection) -> None:
    # redis-py opens a new connection by itself when it finds a pooled one dead, so a Redis that
    # was back within one poll is never seen as an outage here: each connection, new or renewed,
    # records a heartbeat at once instead of leaving it to the next minute's cron job.
    await connection.on_connect()  # what redis-py does without a callback: AUTH, SELECT
    await connection.send_command("SET", HEARTBEAT_KEY, _now_text(), "EX", HEARTBEAT_SECONDS)
    await connection.read_response()


def _worker_redis(settings: Settings) -> ArqRedis:
    """The worker's pool: socket timeouts, so a silent server cannot hang it, and a heartbeat on
    every connection it opens."""
    pool: ArqRedis = ArqRedis.from_url(
        settings.effective_redis_url,
        socket_connect_timeout=2,
        socket_timeout=5,
        health_check_interval=30,
        redis_connect_func=_heartbeat_on_connect,
    )
    pool.default_queue_name = QUEUE_NAME
    return pool


def _server_of(error: BaseException) -> str:
    # redis-py wraps every socket failure in its own errors; what is left came from asyncpg
    return "Redis" if isinstance(error, redis.exceptions.RedisError) else "PostgreSQL"


async def _work_while_connected(
    settings: Settings, stop: asyncio.Event, connected: asyncio.Event
) -> None:
    """One arq worker on one Redis pool: returns when `stop` is set, raises the outage that ended
    it otherwise."""
    pool = _worker_redis(settings)

    async def on_startup(ctx: dict[str, Any]) -> None:
        await _startup(ctx)  # opens the database pool and records a heartbeat at once
        connected.set()
        log.info("worker connected and recorded a heartbeat")

    try:
        await pool.ping()
    except BaseException:
        await pool.aclose(close_connection_pool=True)
        raise
    worker = build_worker(settings, redis_pool=pool, handle_signals=False, on_startup=on_startup)
    main = asyncio.create_task(worker.main())
    stopping = asyncio.create_task(stop.wait())
    try:
        done, _ = await asyncio.wait({main, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if main in done:
            main.result()  # the outage (or the bug) that ended it
    finally:
        for task in (main, stopping):
            task.cancel()
        await asyncio.gather(main, stopping, return_exceptions=True)
        await _wind_down(worker)


async def _wind_down(worker: Worker) -> None:
    """What arq's `Worker.close` does, without failing when Redis or PostgreSQL is away: running
    jobs are cancelled (arq runs them again), the database pool and the Redis pool are closed."""
    jobs = list(worker.tasks.values())
    for job in jobs:
        job.cancel()
    await asyncio.gather(*jobs, return_exceptions=True)
    with contextlib.suppress(*OUTAGES):
        async with asyncio.timeout(5):
            await worker.pool.delete(worker.health_check_key)
    if worker.on_shutdown is not None:
        with contextlib.suppress(*OUTAGES):
            async with asyncio.timeout(10):
                await worker.on_shutdown(worker.ctx)
    await worker.pool.aclose(close_connection_pool=True)
