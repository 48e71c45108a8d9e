"""Calendar feeds in tests: publishing what changed (the worker's job, run here at once), and
fetching a feed as a calendar app does."""

from __future__ import annotations

import datetime as dt

import httpx

from year2026.calendar.publishing import Published, publish_calendars
from year2026.calendar.store import FeedStore
from year2026.domains import CALENDAR_PARTS
from year2026.redis import open_redis
from year2026.settings import Settings


async def publish(settings: Settings, now: dt.datetime | None = None, **options: bool) -> Published:
    """What the worker's publishing job does, once."""
    redis = await open_redis(settings)
    try:
        return await publish_calendars(
            CALENDAR_PARTS, settings, FeedStore(redis, local_bytes=0), now=now, **options
        )
    finally:
        await redis.aclose()


async def fetch_feed(client: httpx.AsyncClient, path: str, **headers: str) -> httpx.Response:
    """A calendar app's fetch of `path` (`If-None-Match=…` and the like as keyword headers)."""
    named = {name.replace("_", "-"): value for name, value in headers.items()}
    return await client.get(path, headers=named)
