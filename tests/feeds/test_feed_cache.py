"""The feeds' cache across processes: a write from data older than a published change never
lands; a person's address goes with their erasure; the export says they had one."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx
from icalendar import Calendar
from redis.asyncio import Redis

from tests.support import people
from tests.support.feeds import private_feed_of, publish
from tests.support.organizers import Organizer
from tests.support.registrations import open_event, register
from year2026.calendar.parts import CalendarContext, Fragment
from year2026.calendar.publishing import publish_calendars
from year2026.calendar.store import (
    GENERATION,
    PREFIX,
    Built,
    FeedStore,
    StoredFeed,
    feed_key,
    owner_dependents,
)
from year2026.domains import CALENDAR_PARTS
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
    made, path = await private_feed_of(client, person)
    assert (await client.get(path)).status_code == 200
    exported = (await client.get("/me/export", headers=person.headers)).json()
    assert exported["calendar_feed"] == {"created_at": made["created_at"], "reminder_minutes": None}

    erased = await client.delete("/me", headers=person.headers)
    assert erased.status_code == 204, erased.text
    await publish(clean_state)
    assert (await client.get(path)).status_code == 404


async def test_a_change_made_while_publishing_is_published_by_the_next_run(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    event = await open_event(client, organizer, title_en="Before")
    await publish(clean_state)
    await client.get("/feeds/events.ics?lang=en")  # subscribed: kept written

    async def fragments_then_a_change(
        owners: Sequence[uuid.UUID], context: CalendarContext
    ) -> list[Fragment]:
        written = await CALENDAR_PARTS.fragments(owners, context)
        changed = await client.patch(
            f"/events/{event['id']}", json={"title_en": "Meanwhile"}, headers=organizer.headers
        )
        assert changed.status_code == 200, changed.text
        return written

    renamed = await client.patch(
        f"/events/{event['id']}", json={"title_en": "First"}, headers=organizer.headers
    )
    assert renamed.status_code == 200, renamed.text
    redis = await open_redis(clean_state)
    try:
        racing = dataclasses.replace(CALENDAR_PARTS, fragments=fragments_then_a_change)
        during = await publish_calendars(racing, clean_state, FeedStore(redis))
    finally:
        await redis.aclose()
    shown_then = await summaries(client)
    after = await publish(clean_state)

    # the mark the change made while its event was being written again has a newer version: the
    # first run leaves it (deleting by owner alone would lose the change until the next one)
    assert (during.owners, shown_then) == (1, ["First"])
    assert (after.owners, await summaries(client)) == (1, ["Meanwhile"])


async def summaries(client: httpx.AsyncClient) -> list[str]:
    body = (await client.get("/feeds/events.ics?lang=en")).content
    return [str(event["SUMMARY"]) for event in Calendar.from_ical(body).walk("VEVENT")]


async def test_one_publisher_at_a_time(clean_state: Settings) -> None:
    redis = await open_redis(clean_state)
    try:
        await redis.set(f"{PREFIX}publishing", "another publisher", ex=60)
        busy = await publish(clean_state)
        await redis.delete(f"{PREFIX}publishing")
        free = await publish(clean_state)
    finally:
        await redis.aclose()
    assert (busy.busy, free.busy) == (True, False)


async def test_without_redis_feeds_are_written_from_the_database(
    clean_state: Settings, tmp_path: Path
) -> None:
    away = Redis.from_url(f"unix://{tmp_path}/nothing-listens.sock", socket_connect_timeout=1)
    store = FeedStore(away)
    builds: list[str] = []

    async def build() -> Built:
        builds.append("built")
        return WRITTEN

    held = StoredFeed("held-etag", 1, b"held", b"held-gzip")
    store.local.put("public", held)
    store.local.put("private", held)
    try:
        public = await store.get("public", build)
        private = await store.get("private", build, private=True)
    finally:
        await away.aclose()
    # a public feed from the process's copy; a private one never (its address may be revoked)
    assert (public, builds) == (held, ["built"])
    assert private is not None
    assert private.body == WRITTEN.body


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not within 2 s")


async def test_a_listening_process_serves_its_copy_without_redis_until_a_change_is_announced(
    clean_state: Settings,
) -> None:
    clients = [await open_redis(clean_state) for _ in range(3)]
    publisher, listening, deaf = (FeedStore(client) for client in clients)
    follower = asyncio.create_task(listening.listen())
    owner = uuid.uuid4()
    builds: list[str] = []

    async def build() -> Built:
        builds.append("built")
        return dataclasses.replace(WRITTEN, dependents=(owner_dependents(owner),))

    async def commands_for(store: FeedStore) -> int:
        before = (await clients[0].info("stats"))["total_commands_processed"]
        for _ in range(10):
            await store.get("probe", build)
        after = (await clients[0].info("stats"))["total_commands_processed"]
        return int(after) - int(before) - 1  # the second INFO counts itself

    try:
        await _until(lambda: listening.listening)
        await listening.get("probe", build)
        await deaf.get("probe", build)  # (read from Redis: written already)
        # the control: a process that does not listen asks Redis each time (one HGET)
        asked = (await commands_for(listening), await commands_for(deaf))
        await publisher.forget([owner_dependents(owner)])
        await _until(lambda: "probe" not in listening.local.entries)
        await listening.get("probe", build)
    finally:
        follower.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await follower
        for client in clients:
            await client.aclose()
    assert (asked, builds) == ((0, 10), ["built", "built"])
