"""The calendars' tables: written parts of feeds, what has changed since they were written, and
each person's private feed address.

The raw migrations (migrations/year2026, migrations/events) add what Piccolo cannot say: a
fragment is unique per (owner, part, language); the change marks' version sequence; and the
triggers that mark a change in the same transaction as the change itself, whichever code made it.
"""

from __future__ import annotations

from piccolo.columns import (
    UUID,
    Array,
    BigInt,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from year2026.people.tables import Person


class CalendarFragment(Table, tablename="calendar_fragment"):
    """The written VEVENTs of one part of an owner (an event's own items, or its programme's
    sessions) in one language, as the listing feeds join them."""

    id = UUID(primary_key=True)
    owner = UUID()
    #: which of the owner's items: "event" or "sessions"
    part = Varchar(length=16)
    language = Varchar(length=2)
    body = Text()
    #: the TZIDs its VEVENTs are written in (the feed carries a VTIMEZONE for each)
    time_zones = Array(base_column=Varchar(length=64), default=list)
    #: when what its items show last changed (the latest of their LAST-MODIFIED)
    modified = Timestamptz(null=True, default=None)
    built_at = Timestamptz(default=TimestamptzNow())


class CalendarStaleOwner(Table, tablename="calendar_stale_owner"):
    """An owner (an event) whose items changed since its fragments were written; the publisher
    writes them again and deletes the mark if it was not marked again meanwhile (`version`)."""

    owner = UUID(primary_key=True)
    version = BigInt()
    marked_at = Timestamptz(default=TimestamptzNow())


class CalendarStalePerson(Table, tablename="calendar_stale_person"):
    """A person whose private feed changed (a registration, a new address, a preference)."""

    person = UUID(primary_key=True)
    version = BigInt()
    marked_at = Timestamptz(default=TimestamptzNow())


class CalendarFeed(Table, tablename="calendar_feed"):
    """A person's private feed: the address's token (only its SHA-256 is kept) and the reminder
    they want before each item. One a person; a new address replaces the old one."""

    id = UUID(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, unique=True, null=False)
    token_hash = Varchar(length=64, unique=True)
    #: a VALARM this many minutes before each item; null: none
    reminder_minutes = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


CALENDAR_TABLES: list[type[Table]] = [
    CalendarFragment,
    CalendarStaleOwner,
    CalendarStalePerson,
    CalendarFeed,
]
