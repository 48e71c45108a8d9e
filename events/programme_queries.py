"""The public reads of an event's programme: its sessions (one statement a page, with their room,
track and speakers), one session, and the programme at a glance (days, tracks, rooms, speakers).

Anyone may read the programme of a public event; a draft's exists only for its organization's
members and admins (`access.visible_event`), and so do its sessions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from piccolo.querystring import QueryString

from events import access
from events.errors import EventNotFound
from events.programme_enums import SessionFormat, SessionStatus
from events.programme_errors import SessionNotFound
from events.programme_schemas import (
    Programme,
    RoomView,
    SessionPage,
    SessionSpeakerView,
    SessionView,
    SpeakerView,
    TrackView,
)
from events.programme_tables import Session
from year2026.db import all_of
from year2026.i18n import Language, localized
from year2026.paging import DEFAULT_LIMIT, KeyColumn, Keyset

#: an event's sessions in start order, then by id
SESSIONS_KEYSET = Keyset(
    "sessions", (KeyColumn("s.starts_at", dt.datetime), KeyColumn("s.id", uuid.UUID))
)

#: a session with its room, track and speakers (in the session's order), in one row
_SESSION_SQL = (
    "SELECT s.id, s.event, s.title_kk, s.title_ru, s.title_en,"
    " s.abstract_kk, s.abstract_ru, s.abstract_en, s.starts_at, s.ends_at, s.format, s.capacity,"
    " s.status, s.sequence, s.updated_at,"
    " r.id AS room_id, r.name_kk AS room_name_kk, r.name_ru AS room_name_ru,"
    " r.name_en AS room_name_en, r.capacity AS room_capacity, r.position AS room_position,"
    " t.id AS track_id, t.name_kk AS track_name_kk, t.name_ru AS track_name_ru,"
    " t.name_en AS track_name_en, t.position AS track_position,"
    " (SELECT coalesce(json_agg(json_build_object('id', sp.id, 'name', sp.name,"
    " 'affiliation_kk', sp.affiliation_kk, 'affiliation_ru', sp.affiliation_ru,"
    " 'affiliation_en', sp.affiliation_en, 'photo_url', sp.photo_url)"
    " ORDER BY ss.position, ss.id), '[]'::json)"
    " FROM event_session_speaker ss JOIN event_speaker sp ON sp.id = ss.speaker"
    " WHERE ss.session = s.id) AS speakers"
    " FROM event_session s"
    " LEFT JOIN event_room r ON r.id = s.room"
    " LEFT JOIN event_track t ON t.id = s.track"
)


class _SpeakerOfSession(msgspec.Struct):
    """A speaker as `_SESSION_SQL` aggregates them."""

    id: uuid.UUID
    name: str
    affiliation_kk: str
    affiliation_ru: str
    affiliation_en: str
    photo_url: str


_speakers_decoder = msgspec.json.Decoder(list[_SpeakerOfSession])


@dataclass(frozen=True)
class SessionFilters:
    """What the sessions listing is narrowed to: a day (a date in the event's zone), a track, a
    room."""

    day: dt.date | None = None
    track_id: uuid.UUID | None = None
    room_id: uuid.UUID | None = None


def day_bounds(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The instants a day of the zone begins and ends at (23 or 25 hours long on a DST change)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def _conditions(event_id: uuid.UUID, zone: ZoneInfo, filters: SessionFilters) -> QueryString:
    conditions = [QueryString("s.event = {}", event_id)]
    if filters.day is not None:
        try:
            start, end = (bound.astimezone(dt.UTC) for bound in day_bounds(filters.day, zone))
        except OverflowError:  # the first or last day Python has: no session is on it
            conditions.append(QueryString("FALSE"))
        else:
            conditions.append(QueryString("s.starts_at >= {} AND s.starts_at < {}", start, end))
    if filters.track_id is not None:
        conditions.append(QueryString("s.track = {}", filters.track_id))
    if filters.room_id is not None:
        conditions.append(QueryString("s.room = {}", filters.room_id))
    return all_of(conditions)


def _track_view(row: Mapping[str, Any], language: Language, prefix: str = "") -> TrackView:
    return TrackView(
        id=row[f"{prefix}id"],
        name=localized(row, f"{prefix}name", language),
        position=row[f"{prefix}position"],
    )


def _room_view(row: Mapping[str, Any], language: Language, prefix: str = "") -> RoomView:
    return RoomView(
        id=row[f"{prefix}id"],
        name=localized(row, f"{prefix}name", language),
        capacity=row[f"{prefix}capacity"],
        position=row[f"{prefix}position"],
    )


def session_view(row: Mapping[str, Any], zone: ZoneInfo, language: Language) -> SessionView:
    starts_at = row["starts_at"].astimezone(zone)
    speakers = _speakers_decoder.decode(row["speakers"])
    return SessionView(
        id=row["id"],
        event_id=row["event"],
        title=localized(row, "title", language),
        abstract=localized(row, "abstract", language),
        starts_at=starts_at,
        ends_at=row["ends_at"].astimezone(zone),
        day=starts_at.date(),
        format=SessionFormat(row["format"]),
        capacity=row["capacity"],
        status=SessionStatus(row["status"]),
        sequence=row["sequence"],
        updated_at=row["updated_at"],
        room=_room_view(row, language, "room_") if row["room_id"] else None,
        track=_track_view(row, language, "track_") if row["track_id"] else None,
        speakers=[
            SessionSpeakerView(
                id=speaker.id,
                name=speaker.name,
                affiliation=localized(msgspec.structs.asdict(speaker), "affiliation", language),
                photo_url=speaker.photo_url,
            )
            for speaker in speakers
        ],
    )


async def list_sessions(
    reference: str,
    viewer_id: uuid.UUID | None,
    language: Language,
    filters: SessionFilters,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> SessionPage:
    """An event's sessions in start order, cancelled ones included, one keyset page."""
    event = await access.visible_event(reference, viewer_id)
    zone = ZoneInfo(event["time_zone"])
    rows = await Session.raw(
        f"{_SESSION_SQL} WHERE {{}} AND {{}} {{}}",
        _conditions(event["id"], zone, filters),
        SESSIONS_KEYSET.after(cursor),
        SESSIONS_KEYSET.order_and_limit(limit),
    )
    page = SESSIONS_KEYSET.page(rows, limit)
    return SessionPage(
        items=[session_view(row, zone, language) for row in page.rows],
        next_cursor=page.next_cursor,
    )


async def view_session(
    session_id: uuid.UUID, viewer_id: uuid.UUID | None, language: Language
) -> SessionView:
    rows = await Session.raw(f"{_SESSION_SQL} WHERE s.id = {{}}", session_id)
    if not rows:
        raise SessionNotFound
    try:
        event = await access.visible_event(str(rows[0]["event"]), viewer_id)
    except EventNotFound:
        raise SessionNotFound from None
    return session_view(rows[0], ZoneInfo(event["time_zone"]), language)


async def view_programme(
    reference: str, viewer_id: uuid.UUID | None, language: Language
) -> Programme:
    """The event's days, tracks, rooms and speakers: five statements, whatever their number."""
    return await programme_of(await access.visible_event(reference, viewer_id), language)


async def programme_of(event: Mapping[str, Any], language: Language) -> Programme:
    """The programme of an event row the caller may see: four statements."""
    event_id = event["id"]
    tracks = await Session.raw(
        "SELECT id, name_kk, name_ru, name_en, position FROM event_track"
        " WHERE event = {} ORDER BY position, id",
        event_id,
    )
    rooms = await Session.raw(
        "SELECT id, name_kk, name_ru, name_en, capacity, position FROM event_room"
        " WHERE event = {} ORDER BY position, id",
        event_id,
    )
    speakers = await Session.raw(
        "SELECT id, name, affiliation_kk, affiliation_ru, affiliation_en, bio_kk, bio_ru, bio_en,"
        " photo_url FROM event_speaker WHERE event = {} ORDER BY name, id",
        event_id,
    )
    days = await Session.raw(
        "SELECT DISTINCT (starts_at AT TIME ZONE {})::date AS day FROM event_session"
        " WHERE event = {} ORDER BY day",
        event["time_zone"],
        event_id,
    )
    return Programme(
        event_id=event_id,
        time_zone=event["time_zone"],
        days=[row["day"] for row in days],
        tracks=[_track_view(row, language) for row in tracks],
        rooms=[_room_view(row, language) for row in rooms],
        speakers=[
            SpeakerView(
                id=row["id"],
                name=row["name"],
                affiliation=localized(row, "affiliation", language),
                bio=localized(row, "bio", language),
                photo_url=row["photo_url"],
            )
            for row in speakers
        ],
    )


__all__ = [
    "SESSIONS_KEYSET",
    "SessionFilters",
    "day_bounds",
    "list_sessions",
    "session_view",
    "view_programme",
    "view_session",
]
