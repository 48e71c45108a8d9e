"""The API bodies of registration and check-in (msgspec Structs), in and out."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from year2026.i18n import LocalizedText
from year2026.seats_enums import ClaimStatus


class RegistrationRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A place at the event (for a recurring event: at one occurrence), or at one of its
    sessions with seats of their own."""

    #: required for a recurring event; a one-off event has one occurrence
    occurrence_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None


class Ticket(msgspec.Struct, kw_only=True):
    """What admits a person at the door: the QR code's content, and a code to type."""

    #: a signed token (JWS, ES256, `kid` of `/.well-known/jwks.json`): the QR code's content
    token: str
    #: `7KQ4-MX2P`: typed when the QR code cannot be read
    code: str


class Registration(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    event_id: uuid.UUID
    event_slug: str
    event_title: LocalizedText
    occurrence_id: uuid.UUID
    session_id: uuid.UUID | None
    session_title: LocalizedText | None
    #: the occurrence's (or the session's) time, in the event's zone
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: ClaimStatus
    #: 1 for the next person to get a seat (waitlisted only)
    waitlist_position: int | None
    #: an offered seat is the person's if accepted before then
    offer_expires_at: dt.datetime | None
    #: why it ended (`withdrawn`, `cancelled-by-organizer`, `offer-expired`, `erased`); empty
    ended_reason: str
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    ended_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    #: confirmed registrations only
    ticket: Ticket | None


class RegistrationPage(msgspec.Struct, kw_only=True):
    items: list[Registration]
    next_cursor: str | None
