"""Redis: the arq pool that the API enqueues jobs with and that holds shared counters."""

from __future__ import annotations

import asyncio

from arq.connections import ArqRedis, RedisSettings

from year2026.settings import Settings


def redis_settings(settings: Settings) -> RedisSettings:
    # Always from our URL: arq's default RedisSettings() would quietly use any Redis on localhost.
    return RedisSettings.from_dsn(settings.effective_redis_url)


async def open_redis(settings: Settings) -> ArqRedis:
    """A client that connects on first use, so that the API starts (and /readyz says 503) while
    Redis is down, instead of failing at start-up as arq's `create_pool` does."""
    return ArqRedis.from_url(  # type: ignore[no-any-return]
        settings.effective_redis_url,
        socket_connect_timeout=2,
        socket_timeout=5,
        health_check_interval=30,
    )


async def redis_answers(redis: ArqRedis, timeout: float = 2.0) -> bool:
    try:
        async with asyncio.timeout(timeout):
            return bool(await redis.ping())
    except Exception:  # noqa: BLE001 - whatever the failure, the answer is "not ready"
        return False
