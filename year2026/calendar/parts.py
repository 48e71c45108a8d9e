"""What a domain hands the calendars (the plug-in point: events now, course classes later).

A domain says which items there are; the platform writes, caches, publishes and serves them. The
app factory and the worker compose the parts (`year2026.app.CALENDAR_PARTS`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from year2026.calendar.building import FeedHeader
from year2026.calendar.items import CalendarItem
from year2026.i18n import Language

#: the parts of an owner a fragment holds: its own items, or its programme's sessions
PART_OWN = "event"
PART_SESSIONS = "sessions"


@dataclass(frozen=True, slots=True)
class CalendarContext:
    """What item builders need from the settings and the clock."""

    public_url: str
    #: ORGANIZER's address (the platform's; organizations' own addresses are not published)
    organizer_address: str
    now: dt.datetime
    #: items that ended, or were cancelled, before this stay out of feeds
    keep_from: dt.datetime
    refresh_minutes: int


@dataclass(frozen=True, slots=True)
class Fragment:
    owner: uuid.UUID
    part: str
    language: Language
    items: Sequence[CalendarItem]


@dataclass(frozen=True, slots=True)
class Listing:
    """A listing feed: the (owner, part) fragments it joins, in order, and its header."""

    members: Sequence[tuple[uuid.UUID, str]]
    header: FeedHeader


@dataclass(frozen=True, slots=True)
class Items:
    """A small feed written from its items at once (one event, one session, one person), and the
    owners whose change must rebuild it."""

    header: FeedHeader
    items: Sequence[CalendarItem]
    owners: frozenset[uuid.UUID]


#: a listing of a domain: (its normalized query, language) → what it joins
ListingSource = Callable[[Mapping[str, str], Language, CalendarContext], Awaitable[Listing]]
#: a person's items of a domain (with `reminder_minutes`) → items and owners
PrivateSource = Callable[
    [uuid.UUID, Language, int | None, CalendarContext],
    Awaitable[tuple[list[CalendarItem], set[uuid.UUID]]],
]


@dataclass(frozen=True)
class CalendarParts:
    #: stale owners → all their fragments (every part and language); an owner that has none any
    #: more (deleted, or no longer public) is simply absent
    fragments: Callable[[Sequence[uuid.UUID], CalendarContext], Awaitable[list[Fragment]]]
    #: listing feeds by name ("events"); their queries are the domain's own
    listings: Mapping[str, ListingSource] = field(default_factory=dict)
    #: each domain's part of a person's private feed
    private: Sequence[PrivateSource] = ()
