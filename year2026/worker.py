"""The arq worker: its typed context, lifecycle and the jobs it runs.

Jobs are thin: load by id, call a service. "Jobs may be called more than once", so each one is
idempotent, keyed in the database; job ids carry the task name and the business key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from arq.connections import ArqRedis
from arq.cron import cron
from arq.worker import Worker

from year2026.auth.sessions import purge_expired_refresh_tokens
from year2026.db import close_pool, get_engine, open_pool
from year2026.redis import redis_settings
from year2026.settings import Settings, get_settings

QUEUE_NAME = "year2026:queue"
HEARTBEAT_KEY = "year2026:worker:heartbeat"


class WorkerContext(TypedDict):
    redis: ArqRedis
    settings: Settings


async def record_heartbeat(ctx: WorkerContext) -> str:
    """Leave the time in Redis, so `year2026 check` can tell whether a worker is running."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    await ctx["redis"].set(HEARTBEAT_KEY, now, ex=180)
    return now


async def purge_expired_sessions(ctx: WorkerContext) -> int:
    """Housekeeping: refresh tokens past their expiry go (idempotent: a second run finds none)."""
    return await purge_expired_refresh_tokens()


async def _startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx.setdefault("settings", get_settings())
    await open_pool(settings)
    await record_heartbeat(ctx)  # type: ignore[arg-type]


async def _shutdown(ctx: dict[str, Any]) -> None:
    await close_pool(get_engine())


def build_worker(settings: Settings, **overrides: Any) -> Worker:
    """The worker for `settings`; tests pass `burst=True, handle_signals=False`."""
    options: dict[str, Any] = {
        "functions": [record_heartbeat, purge_expired_sessions],
        "cron_jobs": [
            cron(record_heartbeat, second=0, unique=True),  # type: ignore[arg-type]
            cron(purge_expired_sessions, minute=17, second=0, unique=True),  # type: ignore[arg-type]
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
