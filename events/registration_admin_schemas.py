"""The API bodies of the organizers' view of an event's registrations (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from year2026.i18n import LocalizedText
from year2026.seats_enums import ClaimStatus


class RegistrationCounts(msgspec.Struct, kw_only=True):
    """How many registrations are in each state (`checked_in`: those with a check-in)."""

    confirmed: int
    waitlisted: int
    offered: int
    cancelled: int
    checked_in: int


class AttendeeRegistration(msgspec.Struct, kw_only=True):
    """One person's registration as the event's organizers see it."""

    id: uuid.UUID
    person_id: uuid.UUID
    #: empty once the person has asked to be forgotten
    name: str
    email: str | None
    status: ClaimStatus
    #: 1 for the next person to get a seat (waitlisted only)
    waitlist_position: int | None
    offer_expires_at: dt.datetime | None
    #: why it ended (`withdrawn`, `cancelled-by-organizer`, `offer-expired`, `erased`); empty
    ended_reason: str
    #: the ticket's typed code: confirmed registrations only (no other admits anyone)
    ticket_code: str | None
    occurrence_id: uuid.UUID
    #: the occurrence's start, in the event's zone
    occurrence_starts_at: dt.datetime
    session_id: uuid.UUID | None
    session_title: LocalizedText | None
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    ended_at: dt.datetime | None
    checked_in_at: dt.datetime | None


class AttendeePage(msgspec.Struct, kw_only=True):
    """The counts of the event (of the occurrence or session asked for), and one page of its
    registrations in arrival order."""

    counts: RegistrationCounts
    items: list[AttendeeRegistration]
    next_cursor: str | None
