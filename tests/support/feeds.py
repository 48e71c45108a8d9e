"""Calendar feeds in tests: publishing what changed (the worker's job, run here at once), and
fetching a feed as a calendar app does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from tests.support.people import SignedIn
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


def path_of(address: str) -> str:
    """The path of a feed's address (`https://host/feeds/…` → `/feeds/…`), to ask the app."""
    return "/" + address.split("://", 1)[1].split("/", 1)[1]


async def private_feed_of(
    client: httpx.AsyncClient, person: SignedIn
) -> tuple[dict[str, Any], str]:
    """A new private feed address of the person: what `POST /me/calendar-feed` answered, and the
    feed's path."""
    made = await client.post("/me/calendar-feed", headers=person.headers)
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body, path_of(body["https_url"])
