"""What a calendar item is, whichever domain it comes from: the neutral form the domains hand to
the builder (`building.py`), and the UIDs that name them forever."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass

#: the UIDs' right-hand side: fixed, not the public URL's host, so that a UID never changes
UID_DOMAIN = "year2026.kz"


def uid_for(kind: str, object_id: uuid.UUID) -> str:
    """The UID of an object (`event`, `occurrence`, `session`, later `class`): the same in every
    feed and in every invitation, for as long as the object exists."""
    return f"{kind}-{object_id}@{UID_DOMAIN}"


class ItemStatus(enum.StrEnum):
    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarItem:
    """One VEVENT: an event (a series when `rrule` is set), one override of a series
    (`recurrence_id`), a programme session, a registered occurrence."""

    uid: str
    #: RFC 5545 SEQUENCE: raised by every change a calendar shows
    sequence: int
    #: DTSTAMP and LAST-MODIFIED: when the object last changed (never the clock: the bytes, and
    #: so the ETag, stay the same until something changes)
    updated_at: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime
    #: the IANA zone the times are written in (with a VTIMEZONE); "UTC" writes them in UTC
    time_zone: str
    #: an all-day item: its first and last day (inclusive) instead of times
    dates: tuple[dt.date, dt.date] | None = None
    status: ItemStatus = ItemStatus.CONFIRMED
    summary: str
    description: str = ""
    location: str = ""
    geo: tuple[float, float] | None = None
    url: str = ""
    #: the organizer's name (ORGANIZER;CN=…, at the platform's address)
    organizer: str = ""
    categories: tuple[str, ...] = ()
    #: RFC 5545 RRULE value, expanded in `time_zone`
    rrule: str = ""
    #: original starts the rule makes that do not take place
    exdates: tuple[dt.datetime, ...] = ()
    #: the original start of the series' occurrence this item overrides
    recurrence_id: dt.datetime | None = None
    #: the UID of the item this one belongs to (a session's event)
    related_to: str = ""
    #: a reminder this many minutes before the start (private feeds only)
    alarm_minutes: int | None = None
