"""Registration: a signed-in person takes a place at an event (one occurrence of a recurring
event) or at a programme session with seats of its own.

The seat is claimed by `year2026.seats` (one conditional statement on the pool's row, in a short
transaction with a lock timeout, behind a per-pool gate); this module finds the pool, writes the
registration beside the claim and says every refusal in the calendar's words. A person holds at
most one active registration per occurrence or session: asking again answers the one they have.

Decided where the issue is silent: each occurrence of a recurring event is its own sitting with
its own seats (a person may hold a place at several); a session's seats are claimed on their own
(a place at the event is not required first, nor cancelled with it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import asyncpg

from events import access, tickets
from events.enums import PUBLIC_STATUSES, EventStatus
from events.errors import EventNotFound, OccurrenceNotFound
from events.programme_errors import SessionNotFound
from events.registration_errors import (
    EventCancelledForRegistration,
    NoOpenOffer,
    NoSeatsLeft,
    OccurrenceRequired,
    RegistrationClosed,
    RegistrationNotFound,
    RegistrationNotOpen,
    RegistrationNotYetOpen,
    SessionWithoutSeats,
)
from events.registration_schemas import (
    Registration,
    RegistrationPage,
    RegistrationRequest,
    Ticket,
)
from events.registration_tables import Registration as RegistrationRow
from year2026 import db, seats
from year2026.auth.keys import SigningKeys
from year2026.db import get_engine
from year2026.exceptions import DomainError
from year2026.i18n import Language, localized
from year2026.paging import DEFAULT_LIMIT, KeyColumn, Keyset
from year2026.seats_enums import ClaimStatus, EndedReason

#: the constraint that keeps one active claim per person and pool
ONE_ACTIVE_CLAIM = "seat_claim_one_active"
_TICKET_CODE_ONCE = "event_registration_ticket_code_once"


class TicketSigner(Protocol):
    """What signs tickets: the process's signing keys and the issuer's public URL."""

    @property
    def keys(self) -> SigningKeys: ...

    @property
    def issuer(self) -> str: ...


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Target:
    """What a registration request asks for: the event, its occurrence, maybe a session (the
    columns of `_TARGET_SQL`)."""

    row: dict[str, Any]

    @property
    def occurrence_id(self) -> uuid.UUID:
        occurrence: uuid.UUID = self.row["occurrence_id"]
        return occurrence

    @property
    def session_id(self) -> uuid.UUID | None:
        session: uuid.UUID | None = self.row["session_id"]
        return session

    @property
    def pool_id(self) -> uuid.UUID:
        return self.session_id or self.occurrence_id


#: the event, the asked occurrence (for a session: the one it takes place in; else the first),
#: and the asked session with whether it has seats of its own: one statement
_TARGET_SQL = (
    "SELECT e.id, e.organization, e.status, e.rrule, e.time_zone, e.slug, e.title_kk,"
    " e.title_ru, e.title_en, o.id AS occurrence_id, o.starts_at AS occurrence_starts_at,"
    " o.ends_at AS occurrence_ends_at, s.id AS session_id, s.starts_at AS session_starts_at,"
    " s.ends_at AS session_ends_at, s.title_kk AS session_title_kk,"
    " s.title_ru AS session_title_ru, s.title_en AS session_title_en,"
    " (sp.id IS NOT NULL) AS session_has_seats"
    " FROM event e LEFT JOIN event_session s ON s.event = e.id AND s.id = {}"
    " LEFT JOIN seat_pool sp ON sp.id = s.id"
    " LEFT JOIN LATERAL (SELECT id, starts_at, ends_at FROM event_occurrence"
    "  WHERE event = e.id AND ({}::uuid IS NULL OR id = {})"
    "  ORDER BY (s.id IS NOT NULL AND starts_at <= s.starts_at AND s.starts_at < ends_at) DESC,"
    "  original_start LIMIT 1) o ON true"
    " WHERE {condition}"
)


async def _target(person_id: uuid.UUID, reference: str, request: RegistrationRequest) -> Target:
    condition, value = access.reference_clause(reference, "e")
    rows = await db.fetch(
        _TARGET_SQL.replace("{condition}", condition),
        request.session_id,
        request.occurrence_id,
        request.occurrence_id,
        value,
    )
    if not rows:
        raise EventNotFound
    row = dict(rows[0])
    if EventStatus(row["status"]) not in PUBLIC_STATUSES and not await access.may_see_drafts_of(
        person_id, row["organization"]
    ):
        raise EventNotFound
    if request.session_id is not None:
        if row["session_id"] is None:
            raise SessionNotFound
        if not row["session_has_seats"]:
            raise SessionWithoutSeats
    elif request.occurrence_id is None and row["rrule"]:
        raise OccurrenceRequired().at("occurrence_id")
    if row["occurrence_id"] is None:
        raise OccurrenceNotFound
    return Target(row)


def _refused(refusal: seats.Refusal, target: Target) -> DomainError:
    event = target.row
    if refusal.reason == seats.Refusal.NOT_OPEN:
        if event["status"] == EventStatus.CANCELLED.value:
            return EventCancelledForRegistration()
        return RegistrationNotOpen()
    if refusal.reason == seats.Refusal.NOT_YET and refusal.pool is not None:
        zone = ZoneInfo(event["time_zone"])
        opens_at = refusal.pool["opens_at"].astimezone(zone)
        return RegistrationNotYetOpen(opens_at=opens_at.isoformat(timespec="minutes"))
    if refusal.reason == seats.Refusal.CLOSED:
        return RegistrationClosed()
    if refusal.reason == seats.Refusal.FULL:
        return NoSeatsLeft()
    return RegistrationNotOpen()


async def register(
    person_id: uuid.UUID,
    reference: str,
    request: RegistrationRequest,
    signer: TicketSigner,
    language: Language,
    gate: seats.ClaimGate = seats.OPEN_GATE,
) -> tuple[Registration, bool]:
    """The person's registration for the event (or session): a new one, confirmed while seats
    last and then waitlisted, or the one they already have (`created` False)."""
    target = await _target(person_id, reference, request)
    async with gate.admit(target.pool_id):
        try:
            claimed, code = await _claim(person_id, target)
        except asyncpg.UniqueViolationError as error:
            if error.constraint_name != ONE_ACTIVE_CLAIM:
                raise
            # the same person's other request took the place a moment ago
            existing = await seats.active_claim(target.pool_id, person_id)
            if existing is None:
                raise
            claimed, code = seats.Claimed(existing, created=False), ""
        except seats.Refusal as refusal:
            raise _refused(refusal, target) from None
        except asyncpg.LockNotAvailableError:
            raise seats.SeatsBusy from None
    if not claimed.created:
        return await registration_view(claimed.claim.id, signer, language), False
    return view_of(_new_registration_row(target, claimed, code), signer, language), True


async def _claim(person_id: uuid.UUID, target: Target) -> tuple[seats.Claimed, str]:
    """The person's claim in the target's pool, with the registration written by the claim's
    own statement (`seats.claim_seat`'s companion): no transaction, and the pool's row held for
    that one statement. Returns the claim and the new registration's ticket code."""
    now = _now()
    for _attempt in range(3):
        code = tickets.new_ticket_code()
        registration = (
            "INSERT INTO event_registration"
            " (id, event, occurrence, session, person, ticket_code, created_at)"
            " SELECT id, {}, {}, {}, person, {}, created_at FROM claim",
            (target.row["id"], target.occurrence_id, target.session_id, code),
        )
        try:
            claimed = await seats.claim_seat(target.pool_id, person_id, now, companion=registration)
        except asyncpg.UniqueViolationError as error:
            if error.constraint_name != _TICKET_CODE_ONCE:
                raise
            # one chance in a trillion: another ticket of the event has this code; draw again
        else:
            return claimed, code
    raise RuntimeError("no free ticket code after three draws")


def _new_registration_row(target: Target, claimed: seats.Claimed, code: str) -> dict[str, Any]:
    """A new registration as `_VIEW_SQL` would read it, from what the claim already knows."""
    claim, row = claimed.claim, target.row
    session = row["session_id"] is not None
    return {
        "id": claim.id,
        "event": row["id"],
        "occurrence": row["occurrence_id"],
        "session": row["session_id"],
        "ticket_code": code,
        "created_at": claim.created_at,
        "person": claim.person_id,
        "status": claim.status.value,
        "pool": claim.pool_id,
        "position": claim.position,
        "offer_expires_at": claim.offer_expires_at,
        "ended_reason": claim.ended_reason,
        "confirmed_at": claim.confirmed_at,
        "ended_at": claim.ended_at,
        "slug": row["slug"],
        "title_kk": row["title_kk"],
        "title_ru": row["title_ru"],
        "title_en": row["title_en"],
        "time_zone": row["time_zone"],
        "starts_at": row["session_starts_at" if session else "occurrence_starts_at"],
        "ends_at": row["session_ends_at" if session else "occurrence_ends_at"],
        "session_title_kk": row["session_title_kk"],
        "session_title_ru": row["session_title_ru"],
        "session_title_en": row["session_title_en"],
        "checked_in_at": None,
        "waitlist_position": claimed.waiting,
    }


# --- reading registrations -----------------------------------------------------------------

_VIEW_SQL = (
    "SELECT r.id, r.event, r.occurrence, r.session, r.ticket_code, r.created_at, r.person,"
    " c.status, c.pool, c.position, c.offer_expires_at, c.ended_reason, c.confirmed_at,"
    " c.ended_at, e.slug, e.title_kk, e.title_ru, e.title_en, e.time_zone,"
    " COALESCE(s.starts_at, o.starts_at) AS starts_at,"
    " COALESCE(s.ends_at, o.ends_at) AS ends_at,"
    " s.title_kk AS session_title_kk, s.title_ru AS session_title_ru,"
    " s.title_en AS session_title_en, ci.checked_in_at,"
    " CASE WHEN c.status = 'waitlisted' THEN (SELECT count(*) FROM seat_claim w"
    "  WHERE w.pool = c.pool AND w.status = 'waitlisted' AND w.position <= c.position)"
    " END AS waitlist_position"
    " FROM event_registration r JOIN seat_claim c ON c.id = r.id"
    " JOIN event e ON e.id = r.event JOIN event_occurrence o ON o.id = r.occurrence"
    " LEFT JOIN event_session s ON s.id = r.session"
    " LEFT JOIN event_check_in ci ON ci.registration = r.id"
)

#: a person's registrations, newest first
MY_REGISTRATIONS = Keyset(
    "my-registrations",
    (KeyColumn("r.created_at", dt.datetime), KeyColumn("r.id", uuid.UUID)),
    descending=True,
)


def view_of(row: Mapping[str, Any], signer: TicketSigner, language: Language) -> Registration:
    zone = ZoneInfo(row["time_zone"])
    status = ClaimStatus(row["status"])
    ticket = None
    if status is ClaimStatus.CONFIRMED:
        claims = tickets.TicketClaims(
            registration_id=row["id"],
            event_id=row["event"],
            occurrence_id=row["occurrence"],
            session_id=row["session"],
        )
        ticket = Ticket(
            token=tickets.sign_ticket(signer.keys, signer.issuer, claims, row["created_at"]),
            code=row["ticket_code"],
        )
    session_title = None
    if row["session"] is not None:
        session_title = localized(row, "session_title", language)
    return Registration(
        id=row["id"],
        event_id=row["event"],
        event_slug=row["slug"],
        event_title=localized(row, "title", language),
        occurrence_id=row["occurrence"],
        session_id=row["session"],
        session_title=session_title,
        starts_at=row["starts_at"].astimezone(zone),
        ends_at=row["ends_at"].astimezone(zone),
        status=status,
        waitlist_position=row["waitlist_position"],
        offer_expires_at=row["offer_expires_at"],
        ended_reason=row["ended_reason"],
        created_at=row["created_at"],
        confirmed_at=row["confirmed_at"],
        ended_at=row["ended_at"],
        checked_in_at=row["checked_in_at"],
        ticket=ticket,
    )


async def registration_row(registration_id: uuid.UUID) -> dict[str, Any] | None:
    rows = await RegistrationRow.raw(_VIEW_SQL + " WHERE r.id = {}", registration_id)
    return dict(rows[0]) if rows else None


async def registration_view(
    registration_id: uuid.UUID, signer: TicketSigner, language: Language
) -> Registration:
    row = await registration_row(registration_id)
    if row is None:
        raise RegistrationNotFound
    return view_of(row, signer, language)


async def my_registrations(
    person_id: uuid.UUID,
    signer: TicketSigner,
    language: Language,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> RegistrationPage:
    rows = await RegistrationRow.raw(
        _VIEW_SQL + " WHERE r.person = {} AND {} {}",
        person_id,
        MY_REGISTRATIONS.after(cursor),
        MY_REGISTRATIONS.order_and_limit(limit),
    )
    page = MY_REGISTRATIONS.page([dict(row) for row in rows], limit)
    return RegistrationPage(
        items=[view_of(row, signer, language) for row in page.rows],
        next_cursor=page.next_cursor,
    )


async def _own_registration(person_id: uuid.UUID, registration_id: uuid.UUID) -> None:
    rows = await RegistrationRow.raw(
        "SELECT 1 FROM event_registration WHERE id = {} AND person = {}",
        registration_id,
        person_id,
    )
    if not rows:
        raise RegistrationNotFound  # another person's is not theirs to know of


async def my_registration(
    person_id: uuid.UUID, registration_id: uuid.UUID, signer: TicketSigner, language: Language
) -> Registration:
    row = await registration_row(registration_id)
    if row is None or row["person"] != person_id:
        raise RegistrationNotFound  # another person's is not theirs to know of
    return view_of(row, signer, language)


async def cancel_my_registration(
    person_id: uuid.UUID, registration_id: uuid.UUID, signer: TicketSigner, language: Language
) -> Registration:
    """The person gives up their place (or leaves the waitlist); the seat goes to the next
    waiting person in the same transaction. Cancelling a cancelled one changes nothing."""
    await _own_registration(person_id, registration_id)
    async with get_engine().transaction():
        await seats.release_claim(registration_id, EndedReason.WITHDRAWN, _now(), person_id)
    return await registration_view(registration_id, signer, language)


async def accept_my_offer(
    person_id: uuid.UUID, registration_id: uuid.UUID, signer: TicketSigner, language: Language
) -> Registration:
    """Take the seat offered from the waitlist, before the offer's deadline."""
    await _own_registration(person_id, registration_id)
    try:
        async with get_engine().transaction():
            await seats.accept_offer(registration_id, _now(), person_id)
    except seats.OfferNotOpen:
        raise NoOpenOffer from None
    return await registration_view(registration_id, signer, language)
