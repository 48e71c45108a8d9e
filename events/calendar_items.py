"""The event calendar's part of the calendars (`year2026.calendar.parts`): which items an event,
its occurrences and its programme make, which events a listing feed joins, and what a person's
registrations put in their private feed.

- An event is one VEVENT (`event-<id>`), a series when it recurs (RRULE, EXDATE), with one
  override (same UID, RECURRENCE-ID) for each occurrence moved or cancelled on its own.
- A programme session is its own VEVENT (`session-<id>`), RELATED-TO its event.
- In a private feed a registration shows what it is for: a one-off event by the event's own UID,
  one occurrence of a series as `occurrence-<id>` (a calendar cannot hold one instance of a
  series without the series), a session by the session's UID. Its status follows the
  registration: confirmed, tentative while waitlisted or offered, cancelled when it ends.
- Cancelled events, occurrences and sessions stay (STATUS:CANCELLED) until the context's
  `keep_from`; so do ended ones, and cancelled registrations.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from asyncpg import Record

from events.enums import PUBLIC_STATUSES, EventStatus
from events.programme_enums import SessionStatus
from year2026.calendar.building import FeedHeader
from year2026.calendar.items import CalendarItem, ItemStatus, uid_for
from year2026.calendar.parts import (
    PART_OWN,
    PART_SESSIONS,
    CalendarContext,
    Fragment,
    Items,
    Listing,
)
from year2026.db import fetch
from year2026.i18n import Language, text_in
from year2026.seats_enums import ClaimStatus

#: a row as asyncpg reads it (or a mapping of the same names)
Row = Mapping[str, Any] | Record

_PUBLIC = ", ".join(f"'{status.value}'" for status in sorted(PUBLIC_STATUSES))

#: what the calendars are called, in each language
LISTING_NAME = {
    Language.KK: "Цифрландыру және жасанды интеллект жылы 2026: іс-шаралар",
    Language.RU: "Год цифровизации и искусственного интеллекта 2026: мероприятия",
    Language.EN: "Year of Digitalization and Artificial Intelligence 2026: events",
}
#: the first line of a registered item's description: where the person stands
REGISTRATION_LINE = {
    ClaimStatus.CONFIRMED: {
        Language.KK: "Орныңыз расталды.",
        Language.RU: "Ваше место подтверждено.",
        Language.EN: "Your place is confirmed.",
    },
    ClaimStatus.WAITLISTED: {
        Language.KK: "Сіз күту тізіміндесіз.",
        Language.RU: "Вы в листе ожидания.",
        Language.EN: "You are on the waitlist.",
    },
    ClaimStatus.OFFERED: {
        Language.KK: "Сізге орын ұсынылды: оны іс-шара бетінде растаңыз.",
        Language.RU: "Вам предложено место: подтвердите его на странице мероприятия.",
        Language.EN: "A seat is offered to you: accept it on the event's page.",
    },
    ClaimStatus.CANCELLED: {
        Language.KK: "Тіркеуіңіздің күші жойылды.",
        Language.RU: "Ваша регистрация отменена.",
        Language.EN: "Your registration is cancelled.",
    },
}

_TEXTS = ("title", "summary", "description", "venue_name", "venue_address", "status_reason")
_EVENT_SQL = (
    "SELECT e.id, e.slug, e.status, e.category, e.tags, e.latitude, e.longitude, e.online_url,"  # noqa: S608
    " e.time_zone, e.all_day, e.start_date, e.end_date, e.starts_at, e.ends_at, e.rrule,"
    " e.exdates, e.sequence, e.updated_at, e.date_to_be_announced,"
    + "".join(f" e.{text}_{lang.value}," for text in _TEXTS for lang in Language)
    + " org.name_kk AS organization_kk, org.name_ru AS organization_ru,"
    " org.name_en AS organization_en"
    f" FROM event e JOIN organization org ON org.id = e.organization"
    f" WHERE e.status IN ({_PUBLIC}) AND {{}}"
)
_OVERRIDES_SQL = (
    "SELECT event, original_start, starts_at, ends_at, cancelled, sequence, updated_at"
    " FROM event_occurrence WHERE event = ANY({}) AND (overridden OR cancelled)"
    " ORDER BY event, original_start"
)
_SESSION_COLUMNS = (
    "s.id, s.event, s.starts_at, s.ends_at, s.format, s.status, s.sequence, s.updated_at,"  # noqa: S608
    + "".join(f" s.{text}_{lang.value}," for text in ("title", "abstract") for lang in Language)
    + "".join(f" r.name_{lang.value} AS room_{lang.value}," for lang in Language)
    + " (SELECT string_agg(sp.name, ', ' ORDER BY ss.position, sp.name)"
    " FROM event_session_speaker ss JOIN event_speaker sp ON sp.id = ss.speaker"
    " WHERE ss.session = s.id) AS speakers"
)
#: a session with its room's names and its speakers: {condition}
_SESSION_SQL = (
    f"SELECT {_SESSION_COLUMNS} FROM event_session s LEFT JOIN event_room r ON r.id = s.room"  # noqa: S608
    " WHERE {}"
)
#: the sessions a feed shows: {event condition} {keep from}
_SESSIONS_SQL = _SESSION_SQL.format(
    "{} AND (s.status <> 'cancelled' OR s.updated_at > {}) ORDER BY s.event, s.starts_at, s.id"
)


def _event_status(row: Row) -> ItemStatus:
    if row["status"] == EventStatus.CANCELLED:
        return ItemStatus.CANCELLED
    if row["status"] == EventStatus.POSTPONED:
        return ItemStatus.TENTATIVE
    return ItemStatus.CONFIRMED


def _location(row: Row, language: Language, room: str = "") -> str:
    parts = [room, text_in(row, "venue_name", language), text_in(row, "venue_address", language)]
    place = ", ".join(part for part in parts if part)
    return place or row["online_url"]


def _description(row: Row, language: Language, first_line: str = "") -> str:
    parts = [
        first_line,
        text_in(row, "status_reason", language) if row["status"] != EventStatus.PUBLISHED else "",
        text_in(row, "description", language) or text_in(row, "summary", language),
        row["online_url"],
    ]
    return "\n\n".join(part for part in parts if part)


def _event_url(row: Row, context: CalendarContext) -> str:
    return f"{context.public_url}/events/{row['slug']}"


def _base(row: Row, language: Language, context: CalendarContext) -> dict[str, Any]:
    """What every item of an event says of it."""
    geo = None
    if row["latitude"] is not None and row["longitude"] is not None:
        geo = (row["latitude"], row["longitude"])
    return {
        "time_zone": row["time_zone"],
        "summary": text_in(row, "title", language),
        "geo": geo,
        "url": _event_url(row, context),
        "organizer": text_in(row, "organization", language),
        "categories": (row["category"], *row["tags"]),
    }


def _dates(row: Row) -> tuple[Any, Any] | None:
    return (row["start_date"], row["end_date"]) if row["all_day"] else None


def event_items(
    row: Row,
    overrides: Sequence[Row],
    language: Language,
    context: CalendarContext,
) -> list[CalendarItem]:
    """An event's VEVENT, and one for each of its occurrences changed on its own."""
    uid = uid_for("event", row["id"])
    base = _base(row, language, context)
    status = _event_status(row)
    master = CalendarItem(
        uid=uid,
        sequence=row["sequence"],
        updated_at=row["updated_at"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        dates=_dates(row),
        status=status,
        description=_description(row, language),
        location=_location(row, language),
        rrule=row["rrule"],
        exdates=tuple(sorted(row["exdates"] or ())),
        **base,
    )
    if not row["rrule"]:
        return [master]
    items = [master]
    for occurrence in overrides:
        dates = None
        if row["all_day"]:
            length = row["end_date"] - row["start_date"]
            first = occurrence["starts_at"].astimezone(ZoneInfo(row["time_zone"])).date()
            dates = (first, first + length)
        items.append(
            CalendarItem(
                uid=uid,
                sequence=row["sequence"] + occurrence["sequence"],
                updated_at=max(row["updated_at"], occurrence["updated_at"]),
                starts_at=occurrence["starts_at"],
                ends_at=occurrence["ends_at"],
                dates=dates,
                recurrence_id=occurrence["original_start"],
                status=ItemStatus.CANCELLED if occurrence["cancelled"] else status,
                description=_description(row, language),
                location=_location(row, language),
                **base,
            )
        )
    return items


def session_item(
    session: Row,
    event: Row,
    language: Language,
    context: CalendarContext,
) -> CalendarItem:
    cancelled = (
        session["status"] == SessionStatus.CANCELLED or event["status"] == EventStatus.CANCELLED
    )
    status = ItemStatus.CANCELLED if cancelled else _event_status(event)
    texts = [text_in(session, "abstract", language), session["speakers"] or ""]
    return CalendarItem(
        uid=uid_for("session", session["id"]),
        sequence=event["sequence"] + session["sequence"],
        updated_at=max(event["updated_at"], session["updated_at"]),
        starts_at=session["starts_at"],
        ends_at=session["ends_at"],
        status=status,
        description="\n\n".join(text for text in texts if text),
        location=_location(event, language, text_in(session, "room", language)),
        related_to=uid_for("event", event["id"]),
        **{
            **_base(event, language, context),
            "summary": text_in(session, "title", language),
            "url": f"{_event_url(event, context)}#session-{session['id']}",
            "categories": (event["category"], session["format"]),
        },
    )


async def _events(condition: str, *args: Any) -> list[Any]:
    return await fetch(_EVENT_SQL.format(condition), *args)


def _by_event(rows: Sequence[Any]) -> dict[uuid.UUID, list[Any]]:
    grouped: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row["event"]].append(row)
    return grouped


async def build_fragments(owners: Sequence[uuid.UUID], context: CalendarContext) -> list[Fragment]:
    """Every fragment of the public events among `owners`: their own items and their sessions,
    in each language."""
    ids = list(owners)
    events = await _events("e.id = ANY({})", ids)
    if not events:
        return []
    public = [row["id"] for row in events]
    overrides = _by_event(await fetch(_OVERRIDES_SQL, public))
    sessions = _by_event(
        await fetch(_SESSIONS_SQL.format("s.event = ANY({})", "{}"), public, context.keep_from)
    )
    fragments = []
    for row in events:
        for language in Language:
            own = event_items(row, overrides.get(row["id"], []), language, context)
            fragments.append(Fragment(row["id"], PART_OWN, language, own))
            programme = [
                session_item(session, row, language, context)
                for session in sessions.get(row["id"], [])
            ]
            fragments.append(Fragment(row["id"], PART_SESSIONS, language, programme))
    return fragments


#: the listing feed's query parameters, each naming an event column (`tag` and `language` aside)
LISTING_FILTERS = ("category", "region", "organization", "format", "tag", "language", "sessions")


async def listing(
    query: Mapping[str, str], language: Language, context: CalendarContext
) -> Listing:
    """The events of a listing feed (`GET /feeds/events.ics?…`), in start order; `query` holds
    only validated, normalized filters."""
    conditions = [
        f"e.status IN ({_PUBLIC})",
        "COALESCE(e.series_ends_at, 'infinity') > {}",
        "(e.status <> 'cancelled' OR e.updated_at > {})",
    ]
    args: list[Any] = [context.keep_from, context.keep_from]
    for column in ("category", "region", "format"):
        if column in query:
            conditions.append(f"e.{column} = {{}}")
            args.append(query[column])
    if "organization" in query:  # compared as a uuid, so that its index serves
        conditions.append("e.organization = {}")
        args.append(uuid.UUID(query["organization"]))
    if "tag" in query:
        conditions.append("e.tags @> ARRAY[{}]::varchar[]")
        args.append(query["tag"])
    if "language" in query:
        conditions.append(f"e.title_{Language(query['language']).value} <> ''")
    rows = await fetch(
        f"SELECT e.id FROM event e WHERE {' AND '.join(conditions)} ORDER BY e.starts_at, e.id",  # noqa: S608
        *args,
    )
    parts = (PART_OWN, PART_SESSIONS) if query.get("sessions") == "true" else (PART_OWN,)
    members = [(row["id"], part) for row in rows for part in parts]
    header = FeedHeader(LISTING_NAME[language], language.value, context.refresh_minutes)
    return Listing(members=members, header=header)


async def event_feed(
    reference: str, language: Language, with_sessions: bool, context: CalendarContext
) -> Items | None:
    """One public event's feed (by id or slug), with its sessions when asked; None when there is
    no such public event."""
    try:
        rows = await _events("e.id = {}", uuid.UUID(reference))
    except ValueError:
        rows = await _events("e.slug = {}", reference)
    if not rows:
        return None
    row = rows[0]
    event_id = row["id"]
    items = event_items(row, await fetch(_OVERRIDES_SQL, [event_id]), language, context)
    if with_sessions:
        sessions = await fetch(
            _SESSIONS_SQL.format("s.event = {}", "{}"), event_id, context.keep_from
        )
        items.extend(session_item(session, row, language, context) for session in sessions)
    header = FeedHeader(
        text_in(row, "title", language),
        language.value,
        context.refresh_minutes,
        _event_url(row, context),
    )
    return Items(header=header, items=items, owners=frozenset({event_id}))


async def session_feed(
    session_id: uuid.UUID, language: Language, context: CalendarContext
) -> Items | None:
    """One session of a public event; None when there is none (or its event is not public)."""
    sessions = await fetch(_SESSION_SQL.format("s.id = {}"), session_id)
    if not sessions:
        return None
    events = await _events("e.id = {}", sessions[0]["event"])
    if not events:
        return None
    item = session_item(sessions[0], events[0], language, context)
    header = FeedHeader(item.summary, language.value, context.refresh_minutes, item.url)
    return Items(header=header, items=[item], owners=frozenset({events[0]["id"]}))


_REGISTERED_SQL = (
    "SELECT DISTINCT ON (r.occurrence, r.session) r.id, r.event, r.occurrence, r.session,"
    " c.status AS claim_status, c.updated_at AS claim_updated_at,"
    " count(*) OVER (PARTITION BY r.occurrence, r.session) AS registrations,"
    " o.original_start, o.starts_at AS occurrence_starts_at, o.ends_at AS occurrence_ends_at,"
    " o.cancelled AS occurrence_cancelled, o.sequence AS occurrence_sequence,"
    " o.updated_at AS occurrence_updated_at"
    " FROM event_registration r JOIN seat_claim c ON c.id = r.id"
    " JOIN event_occurrence o ON o.id = r.occurrence"
    " WHERE r.person = {} ORDER BY r.occurrence, r.session, r.created_at DESC"
)


def _registered_status(claim: ClaimStatus, shown: ItemStatus) -> ItemStatus:
    if claim is ClaimStatus.CANCELLED or shown is ItemStatus.CANCELLED:
        return ItemStatus.CANCELLED
    if claim is not ClaimStatus.CONFIRMED:
        return ItemStatus.TENTATIVE
    return shown


def _registered_item(
    registration: Row,
    event: Row,
    session: Row | None,
    language: Language,
    reminder: int | None,
    context: CalendarContext,
) -> CalendarItem:
    claim = ClaimStatus(registration["claim_status"])
    line = REGISTRATION_LINE[claim][language]
    if session is not None:
        shown = session_item(session, event, language, context)
        shown_description = "\n\n".join(part for part in (line, shown.description) if part)
    elif not event["rrule"]:
        shown = event_items(event, [], language, context)[0]
        shown_description = _description(event, language, line)
    else:
        status = _event_status(event)
        shown = CalendarItem(
            uid=uid_for("occurrence", registration["occurrence"]),
            sequence=event["sequence"] + registration["occurrence_sequence"],
            updated_at=max(event["updated_at"], registration["occurrence_updated_at"]),
            starts_at=registration["occurrence_starts_at"],
            ends_at=registration["occurrence_ends_at"],
            status=ItemStatus.CANCELLED if registration["occurrence_cancelled"] else status,
            location=_location(event, language),
            **_base(event, language, context),
        )
        shown_description = _description(event, language, line)
    # each registration after the first, and each cancellation, is a change the calendar must
    # take: SEQUENCE rises with them as with the object's own changes
    changes = 2 * (registration["registrations"] - 1) + (claim is ClaimStatus.CANCELLED)
    return dataclasses.replace(
        shown,
        sequence=shown.sequence + changes,
        updated_at=max(shown.updated_at, registration["claim_updated_at"]),
        status=_registered_status(claim, shown.status),
        description=shown_description,
        alarm_minutes=reminder,
    )


async def person_items(
    person_id: uuid.UUID, language: Language, reminder: int | None, context: CalendarContext
) -> tuple[list[CalendarItem], set[uuid.UUID]]:
    """What `person_id` registered for (and, for a while, what they cancelled), and the events
    those items are written from."""
    registrations = [
        row
        for row in await fetch(_REGISTERED_SQL, person_id)
        if row["occurrence_ends_at"] > context.keep_from
    ]
    if not registrations:
        return [], set()
    event_ids = list({row["event"] for row in registrations})
    events = {row["id"]: row for row in await _events("e.id = ANY({})", event_ids)}
    session_ids = [row["session"] for row in registrations if row["session"] is not None]
    sessions = {}
    if session_ids:
        rows = await fetch(_SESSION_SQL.format("s.id = ANY({})"), session_ids)
        sessions = {row["id"]: row for row in rows}
    items = []
    for registration in registrations:
        event = events.get(registration["event"])
        if event is None:
            continue
        ended = registration["claim_status"] == ClaimStatus.CANCELLED
        if ended and registration["claim_updated_at"] <= context.keep_from:
            continue
        session = sessions.get(registration["session"]) if registration["session"] else None
        items.append(_registered_item(registration, event, session, language, reminder, context))
    items.sort(key=lambda item: (item.starts_at, item.uid))
    return items, set(event_ids)
