"""Each person's private feed: the address (a random token, only its hash kept), its rotation and
revocation, the reminder preference, and the feed itself (what the domains' parts list for them).

The token is 128 random bits in base64url (22 characters, so the whole address stays far under
256 characters); it says nothing about the person and does not change with the password. A new
address replaces the old one in the same row: the old one stops working as soon as the change
is committed, because its cached feed is deleted then (and, were Redis away at that moment, the
person's change mark has the publisher delete it when Redis is back; while Redis is away every
private feed is checked against the database).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from redis.exceptions import RedisError

from year2026.audit import record_change
from year2026.calendar.building import FeedHeader, items_calendar
from year2026.calendar.parts import CalendarParts
from year2026.calendar.publishing import EPOCH, calendar_context
from year2026.calendar.store import (
    Built,
    FeedStore,
    StoredFeed,
    owner_dependents,
    person_dependents,
)
from year2026.db import fetch, get_engine
from year2026.i18n import Language
from year2026.settings import Settings

logger = logging.getLogger(__name__)

TOKEN_BYTES = 16
#: what a token looks like; anything else is not looked up at all
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")
PRIVATE_NAME = {
    Language.KK: "Менің күнтізбем: 2026 жыл",
    Language.RU: "Мой календарь: Год 2026",
    Language.EN: "My calendar: the Year 2026",
}


def new_token() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(TOKEN_BYTES)).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class FeedAddress:
    """A private feed as its owner sees it; `token` only when it was just made."""

    token: str | None
    reminder_minutes: int | None
    created_at: dt.datetime


async def _mark(person_id: uuid.UUID) -> None:
    await fetch("SELECT calendar_mark_people(ARRAY[{}]::uuid[])", person_id)


async def _forget(store: FeedStore, person_id: uuid.UUID) -> None:
    try:
        await store.forget([person_dependents(person_id)])
    except RedisError:
        logger.warning("private feed not forgotten at once; the publisher will")


async def calendar_feed_of(person_id: uuid.UUID) -> FeedAddress | None:
    rows = await fetch(
        "SELECT reminder_minutes, created_at FROM calendar_feed WHERE person = {}", person_id
    )
    if not rows:
        return None
    return FeedAddress(None, rows[0]["reminder_minutes"], rows[0]["created_at"])


async def new_calendar_feed(person_id: uuid.UUID, store: FeedStore) -> FeedAddress:
    """A new private feed address for the person; the previous one (if any) stops working."""
    token = new_token()
    async with get_engine().transaction():
        previous = await calendar_feed_of(person_id)
        rows = await fetch(
            "INSERT INTO calendar_feed (id, person, token_hash, reminder_minutes, created_at)"
            " VALUES ({}, {}, {}, NULL, now()) ON CONFLICT (person) DO UPDATE"
            " SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at"
            " RETURNING id, reminder_minutes, created_at",
            uuid.uuid4(),
            person_id,
            token_hash(token),
        )
        await _mark(person_id)
        await record_change(
            actor_id=person_id,
            action="calendar_feed.rotated" if previous else "calendar_feed.created",
            object_type="calendar_feed",
            object_id=rows[0]["id"],
            before=None if previous is None else {"created_at": previous.created_at},
            after={"created_at": rows[0]["created_at"]},
        )
    await _forget(store, person_id)
    return FeedAddress(token, rows[0]["reminder_minutes"], rows[0]["created_at"])


async def set_calendar_reminder(
    person_id: uuid.UUID, minutes: int | None, store: FeedStore
) -> FeedAddress | None:
    """The reminder before each item of the person's private feed (None: none); None when the
    person has no private feed."""
    async with get_engine().transaction():
        rows = await fetch(
            "UPDATE calendar_feed SET reminder_minutes = {} WHERE person = {}"
            " RETURNING reminder_minutes, created_at",
            minutes,
            person_id,
        )
        if not rows:
            return None
        await _mark(person_id)
    await _forget(store, person_id)
    return FeedAddress(None, rows[0]["reminder_minutes"], rows[0]["created_at"])


async def revoke_calendar_feed(person_id: uuid.UUID, store: FeedStore) -> bool:
    """The person's private feed address stops working; False when there was none."""
    async with get_engine().transaction():
        rows = await fetch(
            "DELETE FROM calendar_feed WHERE person = {} RETURNING id, created_at", person_id
        )
        if not rows:
            return False
        await _mark(person_id)
        await record_change(
            actor_id=person_id,
            action="calendar_feed.revoked",
            object_type="calendar_feed",
            object_id=rows[0]["id"],
            before={"created_at": rows[0]["created_at"]},
            after=None,
        )
    await _forget(store, person_id)
    return True


async def erase_calendar_feed(person_id: uuid.UUID, now: dt.datetime) -> None:
    """The erasure step: the address goes with the person (its cache with the next publishing)."""
    del now
    await fetch("DELETE FROM calendar_feed WHERE person = {}", person_id)
    await _mark(person_id)


async def export_calendar_feed(person_id: uuid.UUID) -> dict[str, Any] | None:
    feed = await calendar_feed_of(person_id)
    if feed is None:
        return None
    return {"created_at": feed.created_at, "reminder_minutes": feed.reminder_minutes}


async def private_feed(
    token: str,
    language: Language | None,
    *,
    parts: CalendarParts,
    settings: Settings,
    store: FeedStore,
) -> StoredFeed | None:
    """The feed at a private address; None for an unknown or revoked one (nothing says which,
    or whether a person is behind it)."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    hashed = token_hash(token)

    async def build() -> Built | None:
        rows = await fetch(
            "SELECT f.person, f.reminder_minutes, f.created_at, p.preferred_language"
            " FROM calendar_feed f JOIN person p ON p.id = f.person"
            " WHERE f.token_hash = {} AND p.erased_at IS NULL",
            hashed,
        )
        if not rows:
            return None
        row = rows[0]
        shown_in = language or Language(row["preferred_language"])
        context = calendar_context(settings)
        items = []
        owners: set[uuid.UUID] = set()
        for source in parts.private:
            found, depends_on = await source(
                row["person"], shown_in, row["reminder_minutes"], context
            )
            items.extend(found)
            owners |= depends_on
        items.sort(key=lambda item: (item.starts_at, item.uid))
        header = FeedHeader(PRIVATE_NAME[shown_in], shown_in.value, context.refresh_minutes)
        body = items_calendar(header, items, context.organizer_address)
        modified = max([row["created_at"], *(item.updated_at for item in items)], default=EPOCH)
        dependents = (person_dependents(row["person"]), *map(owner_dependents, sorted(owners)))
        return Built(body, modified, dependents)

    key = f"private:{hashed}:{language.value if language else '-'}"
    return await store.get(key, build, private=True)
