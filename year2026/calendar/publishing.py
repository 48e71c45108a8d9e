"""Publishing: writing again what changed, and only that.

A change to an event (or its programme, occurrences, organization) marks the event in
`calendar_stale_owner`, and a change to a person's registrations or feed marks them in
`calendar_stale_person`, by triggers in the same transaction as the change (so no code path
can forget, and a mark is never lost). The worker runs `publish_calendars` every few seconds:

1. the marks are read (not yet deleted);
2. the marked events' fragments (their VEVENTs in each language) are written again;
3. in Redis: the generation rises, every feed that depends on a marked event or person is
   deleted (the next request writes it), and every listing feed is joined again from the
   fragments (a SQL `string_agg`, so one changed event costs its own writing and one join);
4. the marks it saw are deleted, unless they were marked again meanwhile.

If anything fails before 4, the marks stay and the next run does it again: every step is
idempotent. One publisher runs at a time (a lock in Redis).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import urllib.parse
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from year2026.calendar.building import calendar_bytes, component_bytes, uses_zone
from year2026.calendar.parts import CalendarContext, CalendarParts, Fragment
from year2026.calendar.store import (
    LISTINGS,
    PREFIX,
    Built,
    FeedStore,
    owner_dependents,
    person_dependents,
)
from year2026.db import fetch, get_engine
from year2026.i18n import Language
from year2026.settings import Settings

#: what an empty listing says was its last change
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
#: listing feeds the publisher keeps written; past this many, another query is answered from
#: the database each time (its filters are free text: a tag nobody uses is not worth keeping)
MAX_LISTINGS = 2000
_LOCK = f"{PREFIX}publishing"
_LOCK_SECONDS = 300
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end"
#: owners and people handled in one run (the rest wait for the next)
BATCH = 2000


def calendar_context(settings: Settings, now: dt.datetime | None = None) -> CalendarContext:
    now = now or dt.datetime.now(dt.UTC)
    return CalendarContext(
        public_url=settings.effective_public_url,
        organizer_address=settings.mail_from,
        now=now,
        keep_from=now - dt.timedelta(days=settings.feed_keep_days),
        refresh_minutes=settings.feed_refresh_minutes,
    )


@dataclass(frozen=True, slots=True)
class Published:
    owners: int = 0
    people: int = 0
    fragments: int = 0
    listings: int = 0
    #: feeds deleted, to be written again on their next request
    forgotten: int = 0
    #: another publisher held the lock: nothing was done
    busy: bool = False


def listing_key(name: str, language: Language, query: Mapping[str, str]) -> str:
    return f"listing:{name}:{language.value}:{urllib.parse.urlencode(sorted(query.items()))}"


def _fragment_body(fragment: Fragment, organizer: str) -> bytes:
    return b"".join(component_bytes(item, organizer) for item in fragment.items)


async def write_fragments(
    owners: Sequence[uuid.UUID], fragments: Sequence[Fragment], context: CalendarContext
) -> None:
    """Replace every fragment of `owners` with `fragments`, in one transaction."""
    rows = [
        (
            fragment.owner,
            fragment.part,
            fragment.language.value,
            _fragment_body(fragment, context.organizer_address).decode(),
            " ".join(sorted({zone for zone in map(uses_zone, fragment.items) if zone})),
            max((item.updated_at for item in fragment.items), default=None),
        )
        for fragment in fragments
    ]
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [[]] * 6
    async with get_engine().transaction():
        await fetch("DELETE FROM calendar_fragment WHERE owner = ANY({})", list(owners))
        await fetch(
            "INSERT INTO calendar_fragment (id, owner, part, language, body, time_zones,"
            " modified, built_at) SELECT gen_random_uuid(), f.owner, f.part, f.language, f.body,"
            " string_to_array(f.zones, ' '), f.modified, now() FROM unnest({}::uuid[],"
            " {}::text[], {}::text[], {}::text[], {}::text[], {}::timestamptz[])"
            " AS f(owner, part, language, body, zones, modified)",
            *[list(column) for column in columns],
        )


async def build_listing(
    parts: CalendarParts,
    name: str,
    language: Language,
    query: Mapping[str, str],
    context: CalendarContext,
) -> Built:
    """A listing feed joined from its members' fragments (one statement)."""
    listing = await parts.listings[name](query, language, context)
    owners = [owner for owner, _ in listing.members]
    kinds = [part for _, part in listing.members]
    rows = await fetch(
        "WITH f AS (SELECT m.n, f.body, f.time_zones, f.modified"
        " FROM unnest({}::uuid[], {}::text[]) WITH ORDINALITY AS m(owner, part, n)"
        " JOIN calendar_fragment f ON f.owner = m.owner AND f.part = m.part"
        " AND f.language = {})"
        " SELECT (SELECT string_agg(body, '' ORDER BY n) FROM f) AS body,"
        " (SELECT max(modified) FROM f) AS modified,"
        " ARRAY(SELECT DISTINCT z FROM f, unnest(f.time_zones) AS z WHERE z <> '') AS zones",
        owners,
        kinds,
        language.value,
    )
    row = rows[0]
    body = (row["body"] or "").encode()
    return Built(calendar_bytes(listing.header, row["zones"], [body]), row["modified"] or EPOCH)


async def remember_listing(
    store: FeedStore, key: str, name: str, language: Language, query: Mapping[str, str]
) -> bool:
    """Add a listing to those the publisher keeps written; False when there are too many."""
    recipe = json.dumps({"name": name, "language": language.value, "query": dict(query)})
    if await store.redis.hexists(LISTINGS, key):  # type: ignore[misc]
        return True
    if await store.redis.hlen(LISTINGS) >= MAX_LISTINGS:  # type: ignore[misc]
        return False
    await store.redis.hset(LISTINGS, key, recipe)  # type: ignore[misc]
    return True


async def _write_listings(parts: CalendarParts, store: FeedStore, context: CalendarContext) -> int:
    recipes = await store.redis.hgetall(LISTINGS)  # type: ignore[misc]
    for key, text in recipes.items():
        recipe = json.loads(text)
        if recipe["name"] not in parts.listings:
            await store.redis.hdel(LISTINGS, key)  # type: ignore[misc]
            continue
        built = await build_listing(
            parts, recipe["name"], Language(recipe["language"]), recipe["query"], context
        )
        await store.store(key.decode(), built, generation=None)
    return len(recipes)


async def publish_calendars(
    parts: CalendarParts,
    settings: Settings,
    store: FeedStore,
    *,
    now: dt.datetime | None = None,
    every_listing: bool = False,
) -> Published:
    """Write again what was marked as changed (see the module's docstring); `every_listing`
    joins every listing feed again even when nothing was marked (the hourly run: an item that
    ended long enough ago leaves them)."""
    token = secrets.token_hex(16)
    if not await store.redis.set(_LOCK, token, nx=True, ex=_LOCK_SECONDS):
        return Published(busy=True)
    try:
        context = calendar_context(settings, now)
        owners = await fetch(
            "SELECT owner, version FROM calendar_stale_owner ORDER BY marked_at LIMIT {}", BATCH
        )
        people = await fetch(
            "SELECT person, version FROM calendar_stale_person ORDER BY marked_at LIMIT {}", BATCH
        )
        if not (owners or people or every_listing):
            return Published()
        owner_ids = [row["owner"] for row in owners]
        fragments: list[Fragment] = []
        if owner_ids:
            fragments = await parts.fragments(owner_ids, context)
            await write_fragments(owner_ids, fragments, context)
        forgotten = await store.forget(
            [owner_dependents(owner) for owner in owner_ids]
            + [person_dependents(row["person"]) for row in people]
        )
        # people's marks touch only their private feeds; listings change with events (or time)
        listings = await _write_listings(parts, store, context) if owners or every_listing else 0
        await fetch(
            "DELETE FROM calendar_stale_owner s USING unnest({}::uuid[], {}::bigint[])"
            " AS seen(owner, version) WHERE s.owner = seen.owner AND s.version = seen.version",
            owner_ids,
            [row["version"] for row in owners],
        )
        await fetch(
            "DELETE FROM calendar_stale_person s USING unnest({}::uuid[], {}::bigint[])"
            " AS seen(person, version) WHERE s.person = seen.person AND s.version = seen.version",
            [row["person"] for row in people],
            [row["version"] for row in people],
        )
        return Published(
            owners=len(owners),
            people=len(people),
            fragments=len(fragments),
            listings=listings,
            forgotten=forgotten,
        )
    finally:
        await store.redis.eval(_RELEASE, 1, _LOCK, token)  # type: ignore[misc]
