"""Serving feeds from the store: a listing feed (joined from fragments, kept written by the
publisher) and a small feed written from its items (one event, one session)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping

from redis.exceptions import RedisError

from year2026.calendar.building import items_calendar
from year2026.calendar.parts import CalendarContext, CalendarParts, Items
from year2026.calendar.publishing import (
    EPOCH,
    build_listing,
    calendar_context,
    listing_key,
    remember_listing,
)
from year2026.calendar.store import (
    Built,
    FeedStore,
    StoredFeed,
    owner_dependents,
)
from year2026.i18n import Language
from year2026.settings import Settings

#: how long a listing past the publisher's `MAX_LISTINGS` is kept
UNKEPT_LISTING_SECONDS = 60


async def listing_feed(
    name: str,
    query: Mapping[str, str],
    language: Language,
    *,
    parts: CalendarParts,
    settings: Settings,
    store: FeedStore,
) -> StoredFeed:
    """The listing feed `name` for a normalized `query` (only its validated filters)."""
    key = listing_key(name, language, query)

    async def build() -> Built:
        built = await build_listing(parts, name, language, query, calendar_context(settings))
        try:
            kept = await remember_listing(store, key, name, language, query)
        except RedisError:
            kept = True  # not stored either: the store answers without Redis as it can
        # a listing the publisher does not keep written lives a minute: never staler than that
        return built if kept else dataclasses.replace(built, seconds=UNKEPT_LISTING_SECONDS)

    feed = await store.get(key, build)
    assert feed is not None  # a listing always exists (perhaps empty)
    return feed


async def items_feed(
    key: str,
    items: Callable[[CalendarContext], Awaitable[Items | None]],
    *,
    settings: Settings,
    store: FeedStore,
) -> StoredFeed | None:
    """A feed written from `items` (None: there is no such feed), cached under `key` until one
    of its owners changes."""

    async def build() -> Built | None:
        context = calendar_context(settings)
        found = await items(context)
        if found is None:
            return None
        body = items_calendar(found.header, found.items, context.organizer_address)
        modified = max((item.updated_at for item in found.items), default=EPOCH)
        return Built(body, modified, tuple(map(owner_dependents, sorted(found.owners))))

    return await store.get(key, build)
