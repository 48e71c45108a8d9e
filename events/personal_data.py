"""What the event calendar holds about a person, for their export and their erasure (handed to
`year2026.people` by the composition root as `PersonalDataParts`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from events.registration_tables import Registration
from year2026 import seats
from year2026.seats_enums import EndedReason


async def export_registrations(person_id: uuid.UUID) -> dict[str, Any]:
    """The person's registrations (every status) and check-ins."""
    registrations = await Registration.raw(
        "SELECT r.id, r.event AS event_id, e.slug AS event_slug, e.title_kk, e.title_ru,"
        " e.title_en, r.occurrence AS occurrence_id, r.session AS session_id,"
        " COALESCE(s.starts_at, o.starts_at) AS starts_at, c.status, c.position,"
        " c.offer_expires_at, c.ended_reason, r.ticket_code, r.created_at, c.confirmed_at,"
        " c.ended_at FROM event_registration r JOIN seat_claim c ON c.id = r.id"
        " JOIN event e ON e.id = r.event JOIN event_occurrence o ON o.id = r.occurrence"
        " LEFT JOIN event_session s ON s.id = r.session"
        " WHERE r.person = {} ORDER BY r.created_at, r.id",
        person_id,
    )
    check_ins = await Registration.raw(
        "SELECT ci.registration AS registration_id, ci.event AS event_id, ci.checked_in_at,"
        " ci.device FROM event_check_in ci JOIN event_registration r ON r.id = ci.registration"
        " WHERE r.person = {} ORDER BY ci.checked_in_at",
        person_id,
    )
    return {
        "registrations": [dict(row) for row in registrations],
        "check_ins": [dict(row) for row in check_ins],
    }


async def release_future_registrations(person_id: uuid.UUID, now: dt.datetime) -> None:
    """An erased person gives up every place at what has not started yet (the next waiting
    people move up); what they attended stays, as an anonymous person's, so that attendance
    counts do not change."""
    rows = await Registration.raw(
        "SELECT r.id FROM event_registration r JOIN seat_claim c ON c.id = r.id"
        " JOIN event_occurrence o ON o.id = r.occurrence"
        " LEFT JOIN event_session s ON s.id = r.session"
        " WHERE r.person = {} AND c.status IN ('confirmed', 'waitlisted', 'offered')"
        " AND COALESCE(s.starts_at, o.starts_at) > {} ORDER BY r.id",
        person_id,
        now,
    )
    for row in rows:
        await seats.release_claim(row["id"], EndedReason.ERASED, now, None)
