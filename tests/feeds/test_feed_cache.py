"""The feeds' cache across processes: a write from data older than a published change never
lands; a person's address goes with their erasure; the export says they had one."""

from __future__ import annotations

import datetime as dt

import httpx

from tests.support import people
from tests.support.feeds import publish
from tests.support.organizers import Organizer
from tests.support.registrations import open_event, register
from year2026.calendar.store import GENERATION, Built, FeedStore, feed_key
from year2026.redis import open_redis
from year2026.settings import Settings

WRITTEN = Built(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", dt.datetime(2026, 12, 1, tzinfo=dt.UTC))


async def test_a_write_begun_before_a_publishing_is_not_stored(clean_state: Settings) -> None:
    redis = await open_redis(clean_state)
    try:
        store = FeedStore(redis)
        generation = (await redis.get(GENERATION) or b"").decode()
        await store.forget([])  # a publishing happens while the write is being made
        await store.store("probe", WRITTEN, generation=generation)
        refused = await redis.exists(feed_key("probe"))
        # the control: the same write, begun after the publishing, is stored
        current = (await redis.get(GENERATION) or b"").decode()
        stored = await store.store("probe", WRITTEN, generation=current)
        assert (refused, await redis.exists(feed_key("probe"))) == (0, 1)
        assert stored.body == WRITTEN.body
    finally:
        await redis.aclose()


async def test_last_modified_rises_when_the_bytes_change_without_a_newer_item(
    clean_state: Settings,
) -> None:
    redis = await open_redis(clean_state)
    try:
        store = FeedStore(redis)
        first = await store.store("probe", WRITTEN, generation=None)
        same = await store.store("probe", WRITTEN, generation=None)
        # an item left the feed: other bytes, but no item is newer
        shorter = Built(b"BEGIN:VCALENDAR\r\nX:1\r\nEND:VCALENDAR\r\n", WRITTEN.modified)
        changed = await store.store("probe", shorter, generation=None)
        assert (same.modified, changed.modified) == (first.modified, first.modified + 1)
    finally:
        await redis.aclose()


async def test_erasure_ends_the_private_address_and_export_shows_it(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    event = await open_event(client, organizer)
    person = await people.signed_in_person(clean_state)
    await register(client, person, event)
    made = (await client.post("/me/calendar-feed", headers=person.headers)).json()
    path = "/" + made["https_url"].split("://", 1)[1].split("/", 1)[1]
    assert (await client.get(path)).status_code == 200
    exported = (await client.get("/me/export", headers=person.headers)).json()
    assert exported["calendar_feed"] == {"created_at": made["created_at"], "reminder_minutes": None}

    erased = await client.delete("/me", headers=person.headers)
    assert erased.status_code == 204, erased.text
    await publish(clean_state)
    assert (await client.get(path)).status_code == 404
