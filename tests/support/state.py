"""Bringing the database and Redis back to empty between tests."""

from __future__ import annotations

from piccolo.conf.apps import Finder

from year2026.db import get_engine
from year2026.redis import open_redis
from year2026.settings import Settings


def table_names() -> list[str]:
    return [table._meta.tablename for table in Finder().get_table_classes()]


async def reset_state(settings: Settings) -> None:
    """Empty every table of our Piccolo apps (one statement) and the Redis database."""
    names = table_names()
    if names:
        quoted = ", ".join(f'"{name}"' for name in names)
        await get_engine().run_ddl(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    redis = await open_redis(settings)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()
