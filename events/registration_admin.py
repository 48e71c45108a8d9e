"""The organizers' tools for an event's registrations: the counts and the list (searchable,
in keyset pages), the CSV export, and cancelling a person's registration.

Only members of the event's organization and admins see any of it (`events.access`, asked of
the database): names and emails are theirs to see, nobody else's. A draft event is "not found"
for anyone else, a public one "not a member".

Decided where the issue is silent: the list is in arrival order (the order the waitlist keeps,
and the order of the event's registration index), oldest first; the counts follow the
`occurrence` and `session` filters (the sitting being looked at) but not `status` or `q`, so that
they stay the totals beside a narrowed list; a ticket code is shown for confirmed registrations
only (as the person's own view shows a ticket: no other admits anyone); times in the CSV are
wall-clock times in the event's zone, which its header names, and statuses are their API values.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.querystring import QueryString

from events import access
from events.errors import EventNotFound
from events.registration_admin_schemas import (
    AttendeePage,
    AttendeeRegistration,
    RegistrationCounts,
)
from events.registration_errors import RegistrationNotFound
from events.registration_tables import Registration as RegistrationRow
from year2026 import seats
from year2026.db import all_of, get_engine, like_pattern
from year2026.i18n import Language, localized, text_in
from year2026.paging import DEFAULT_LIMIT, KeyColumn, Keyset
from year2026.seats_enums import ClaimStatus, EndedReason
from year2026.spreadsheets import CsvExport, csv_file, local_time

#: an event's registrations in arrival order (`event_registration_listing_idx`)
ATTENDEES = Keyset(
    "event-registrations",
    (KeyColumn("r.created_at", dt.datetime), KeyColumn("r.id", uuid.UUID)),
)

_ATTENDEE_SQL = (
    "SELECT r.id, r.person, r.occurrence, r.session, r.ticket_code, r.created_at,"
    " p.display_name, p.email, c.status, c.offer_expires_at, c.ended_reason, c.confirmed_at,"
    " c.ended_at, o.starts_at AS occurrence_starts_at, s.title_kk AS session_title_kk,"
    " s.title_ru AS session_title_ru, s.title_en AS session_title_en, ci.checked_in_at,"
    " CASE WHEN c.status = 'waitlisted' THEN (SELECT count(*) FROM seat_claim w"
    "  WHERE w.pool = c.pool AND w.status = 'waitlisted' AND w.position <= c.position)"
    " END AS waitlist_position"
    " FROM event_registration r JOIN seat_claim c ON c.id = r.id"
    " JOIN person p ON p.id = r.person JOIN event_occurrence o ON o.id = r.occurrence"
    " LEFT JOIN event_session s ON s.id = r.session"
    " LEFT JOIN event_check_in ci ON ci.registration = r.id"
)

_COUNTS_SQL = (
    "SELECT count(*) FILTER (WHERE c.status = 'confirmed') AS confirmed,"
    " count(*) FILTER (WHERE c.status = 'waitlisted') AS waitlisted,"
    " count(*) FILTER (WHERE c.status = 'offered') AS offered,"
    " count(*) FILTER (WHERE c.status = 'cancelled') AS cancelled,"
    " count(ci.registration) AS checked_in"
    " FROM event_registration r JOIN seat_claim c ON c.id = r.id"
    " LEFT JOIN event_check_in ci ON ci.registration = r.id WHERE {}"
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class AttendeeFilters:
    """What the organizers' list is narrowed to."""

    status: ClaimStatus | None = None
    occurrence_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    #: a part of the person's name or email, in any case
    q: str | None = None


def _sitting_conditions(event_id: uuid.UUID, filters: AttendeeFilters) -> list[QueryString]:
    conditions = [QueryString("r.event = {}", event_id)]
    if filters.occurrence_id is not None:
        conditions.append(QueryString("r.occurrence = {}", filters.occurrence_id))
    if filters.session_id is not None:
        conditions.append(QueryString("r.session = {}", filters.session_id))
    return conditions


def _listing_conditions(event_id: uuid.UUID, filters: AttendeeFilters) -> QueryString:
    conditions = _sitting_conditions(event_id, filters)
    if filters.status is not None:
        conditions.append(QueryString("c.status = {}", filters.status.value))
    if filters.q:
        pattern = like_pattern(filters.q)
        conditions.append(
            QueryString(
                "(p.display_name ILIKE {} ESCAPE '\\' OR p.email ILIKE {} ESCAPE '\\')",
                pattern,
                pattern,
            )
        )
    return all_of(conditions)


async def _organized_event(actor_id: uuid.UUID, reference: str) -> dict[str, Any]:
    """The event, if the actor is one of its organizers (or an admin)."""
    row = await access.event_row(reference)
    if row is None:
        raise EventNotFound
    await access.require_organizer_of(actor_id, row)
    return row


def _attendee(row: Mapping[str, Any], zone: ZoneInfo, language: Language) -> AttendeeRegistration:
    session_title = None
    if row["session"] is not None:
        session_title = localized(row, "session_title", language)
    status = ClaimStatus(row["status"])
    return AttendeeRegistration(
        id=row["id"],
        person_id=row["person"],
        name=row["display_name"],
        email=row["email"],
        status=status,
        waitlist_position=row["waitlist_position"],
        offer_expires_at=row["offer_expires_at"],
        ended_reason=row["ended_reason"],
        ticket_code=row["ticket_code"] if status is ClaimStatus.CONFIRMED else None,
        occurrence_id=row["occurrence"],
        occurrence_starts_at=row["occurrence_starts_at"].astimezone(zone),
        session_id=row["session"],
        session_title=session_title,
        created_at=row["created_at"],
        confirmed_at=row["confirmed_at"],
        ended_at=row["ended_at"],
        checked_in_at=row["checked_in_at"],
    )


async def registration_counts(event_id: uuid.UUID, filters: AttendeeFilters) -> RegistrationCounts:
    """The event's registrations per state, in one statement."""
    rows = await RegistrationRow.raw(_COUNTS_SQL, all_of(_sitting_conditions(event_id, filters)))
    return RegistrationCounts(**rows[0])


async def event_registrations(
    actor_id: uuid.UUID,
    reference: str,
    filters: AttendeeFilters,
    language: Language,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> AttendeePage:
    """The event's counts and one page of its registrations, for its organizers."""
    event = await _organized_event(actor_id, reference)
    counts = await registration_counts(event["id"], filters)
    rows = await RegistrationRow.raw(
        _ATTENDEE_SQL + " WHERE {} AND {} {}",
        _listing_conditions(event["id"], filters),
        ATTENDEES.after(cursor),
        ATTENDEES.order_and_limit(limit),
    )
    page = ATTENDEES.page([dict(row) for row in rows], limit)
    zone = ZoneInfo(event["time_zone"])
    return AttendeePage(
        counts=counts,
        items=[_attendee(row, zone, language) for row in page.rows],
        next_cursor=page.next_cursor,
    )


async def cancel_registration(
    actor_id: uuid.UUID, reference: str, registration_id: uuid.UUID, language: Language
) -> AttendeeRegistration:
    """An organizer ends a person's registration; a seat it held goes to the next waiting person
    in the same transaction (the claim's change is audited by `year2026.seats`). Cancelling a
    cancelled one changes nothing. A registration of another event is not found."""
    async with get_engine().transaction():
        event = await access.event_for_change(actor_id, reference)
        owned = await RegistrationRow.raw(
            "SELECT 1 FROM event_registration WHERE id = {} AND event = {}",
            registration_id,
            event["id"],
        )
        if not owned:
            raise RegistrationNotFound
        await seats.release_claim(
            registration_id, EndedReason.CANCELLED_BY_ORGANIZER, _now(), actor_id
        )
    rows = await RegistrationRow.raw(_ATTENDEE_SQL + " WHERE r.id = {}", registration_id)
    return _attendee(dict(rows[0]), ZoneInfo(event["time_zone"]), language)


# --- the CSV export --------------------------------------------------------------------------

_HEADERS: dict[Language, tuple[str, ...]] = {
    Language.KK: (
        "Аты-жөні",
        "Эл. пошта",
        "Күйі",
        "Билет коды",
        "Басталуы ({zone})",
        "Сессия",
        "Тіркелген уақыты ({zone})",
        "Келген уақыты ({zone})",
    ),
    Language.RU: (
        "Имя",
        "Эл. почта",
        "Статус",
        "Код билета",
        "Начало ({zone})",
        "Сессия",
        "Время регистрации ({zone})",
        "Время прихода ({zone})",
    ),
    Language.EN: (
        "Name",
        "Email",
        "Status",
        "Ticket code",
        "Starts at ({zone})",
        "Session",
        "Registered at ({zone})",
        "Checked in at ({zone})",
    ),
}


def _csv_row(row: Mapping[str, Any], zone: ZoneInfo, language: Language) -> list[str]:
    session = ""
    if row["session"] is not None:
        session = text_in(row, "session_title", language)
    return [
        row["display_name"],
        row["email"] or "",
        row["status"],
        row["ticket_code"] if row["status"] == ClaimStatus.CONFIRMED.value else "",
        local_time(row["occurrence_starts_at"], zone),
        session,
        local_time(row["created_at"], zone),
        local_time(row["checked_in_at"], zone),
    ]


async def registrations_csv(
    actor_id: uuid.UUID, reference: str, filters: AttendeeFilters, language: Language
) -> CsvExport:
    """Every registration the filters select, in arrival order, as a CSV file that Excel opens
    as it is (UTF-8 with a byte order mark, CRLF line ends), its header in `language`."""
    event = await _organized_event(actor_id, reference)
    rows = await RegistrationRow.raw(
        _ATTENDEE_SQL + " WHERE {} ORDER BY r.created_at, r.id",
        _listing_conditions(event["id"], filters),
    )
    zone = ZoneInfo(event["time_zone"])
    return csv_file(
        f"{event['slug']}-registrations.csv",
        [header.format(zone=event["time_zone"]) for header in _HEADERS[language]],
        (_csv_row(row, zone, language) for row in rows),
    )
