"""The seat pools of an event: one per occurrence, and one per programme session with seats of
its own (`year2026.seats`; a pool's id is its occurrence's or session's).

Whatever decides who may take a seat (the event's status, capacity, waitlist, offer time and
registration window, an occurrence's time or cancellation, a session's capacity, time and status)
is copied onto the pools here, in the transaction that changes it and under the event's lock, so
that a claim, which locks only its pool, decides on the pool's row alone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from events.enums import EventStatus
from events.programme_enums import SessionStatus
from events.programme_tables import Session
from events.registration_errors import CapacityBelowConfirmed
from events.tables import Occurrence
from year2026 import seats

#: the event's fields a pool follows
REGISTRATION_FIELDS = frozenset(
    {"capacity", "waitlist", "offer_hours", "registration_opens_at", "registration_closes_at"}
)
#: statuses in which people may take seats
_OPEN_STATUSES = frozenset({EventStatus.PUBLISHED.value, EventStatus.POSTPONED.value})


def _event_open(event: Mapping[str, Any]) -> bool:
    return event["status"] in _OPEN_STATUSES and not event["date_to_be_announced"]


def _closes_at(event: Mapping[str, Any], starts_at: dt.datetime) -> dt.datetime:
    closes: dt.datetime | None = event["registration_closes_at"]
    return starts_at if closes is None else min(closes, starts_at)


def occurrence_terms(event: Mapping[str, Any], occurrence: Mapping[str, Any]) -> seats.PoolTerms:
    offer_hours = event["offer_hours"]
    return seats.PoolTerms(
        capacity=event["capacity"],
        waitlist=event["waitlist"],
        offer_minutes=None if offer_hours is None else offer_hours * 60,
        open=_event_open(event) and not occurrence["cancelled"],
        opens_at=event["registration_opens_at"],
        closes_at=_closes_at(event, occurrence["starts_at"]),
    )


def session_terms(event: Mapping[str, Any], session: Mapping[str, Any]) -> seats.PoolTerms:
    offer_hours = event["offer_hours"]
    return seats.PoolTerms(
        capacity=session["capacity"],
        waitlist=event["waitlist"],
        offer_minutes=None if offer_hours is None else offer_hours * 60,
        open=_event_open(event) and session["status"] == SessionStatus.SCHEDULED.value,
        opens_at=event["registration_opens_at"],
        closes_at=_closes_at(event, session["starts_at"]),
    )


async def sync_event_pools(
    event: Mapping[str, Any], now: dt.datetime, actor_id: uuid.UUID | None
) -> list[seats.Claim]:
    """Bring every pool of the event (the event's row locked by the caller) in line with it:
    pools for new occurrences and for sessions given seats, new terms for all. Returns the
    claims promoted by seats that opened up."""
    occurrences = await Occurrence.raw(
        "SELECT id, starts_at, cancelled FROM event_occurrence WHERE event = {}", event["id"]
    )
    sessions = await Session.raw(
        "SELECT s.id, s.starts_at, s.status, s.capacity, (p.id IS NOT NULL) AS has_pool"
        " FROM event_session s LEFT JOIN seat_pool p ON p.id = s.id WHERE s.event = {}",
        event["id"],
    )
    terms = {row["id"]: occurrence_terms(event, row) for row in occurrences}
    terms.update(
        {
            row["id"]: session_terms(event, row)
            for row in sessions
            if row["has_pool"] or row["capacity"] is not None
        }
    )
    return await _apply_terms(terms, now, actor_id)


async def sync_session_pool(
    event: Mapping[str, Any],
    session: Mapping[str, Any],
    now: dt.datetime,
    actor_id: uuid.UUID | None,
) -> list[seats.Claim]:
    """The pool of one session (created when it is first given seats of its own)."""
    if session["capacity"] is None and await seats.pool_row(session["id"]) is None:
        return []
    return await _apply_terms({session["id"]: session_terms(event, session)}, now, actor_id)


async def _apply_terms(
    terms: Mapping[uuid.UUID, seats.PoolTerms], now: dt.datetime, actor_id: uuid.UUID | None
) -> list[seats.Claim]:
    await seats.create_pools(terms)
    try:
        return await seats.set_terms(terms, now, actor_id)
    except seats.CapacityBelowTaken as error:
        raise CapacityBelowConfirmed(taken=error.taken).at("capacity") from None
