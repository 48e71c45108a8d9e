"""The API's shapes of a person's private feed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

#: a reminder at most four weeks before, at least a minute (not 0: Litestar's schema drops a
#: minimum of 0, and the schema would then promise what the API refuses)
MAX_REMINDER_MINUTES = 4 * 7 * 24 * 60
ReminderMinutes = Annotated[
    int,
    msgspec.Meta(
        ge=1,
        le=MAX_REMINDER_MINUTES,
        description="Minutes before each item that calendar apps remind you (a VALARM).",
    ),
]


class FeedLinks(msgspec.Struct, kw_only=True):
    """A feed to subscribe to (or open once): the same address over https (or the public URL's
    scheme) and as `webcal:`, which calendar apps open as a subscription."""

    https_url: str
    webcal_url: str


def feed_links(public_url: str, path: str) -> FeedLinks:
    https_url = f"{public_url}{path}"
    return FeedLinks(https_url=https_url, webcal_url="webcal://" + https_url.split("://", 1)[1])


class CalendarFeedAddress(msgspec.Struct, kw_only=True):
    """A new private feed address: shown this once (only its hash is kept). Subscribe to it in
    a calendar app; asking for a new one stops this one."""

    https_url: str
    #: the same address for calendar apps that open `webcal:` links
    webcal_url: str
    reminder_minutes: int | None
    created_at: dt.datetime


class CalendarFeedState(msgspec.Struct, kw_only=True):
    """A private feed that exists (its address is not shown again: ask for a new one)."""

    reminder_minutes: int | None
    created_at: dt.datetime


class CalendarFeedUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    #: null: no reminders
    reminder_minutes: ReminderMinutes | None
