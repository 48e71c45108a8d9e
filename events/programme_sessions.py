"""The organizers' changes to an event's sessions: add, change, cancel.

A session lies within its event's days: the dates from the event's start to its end in the
event's time zone, whole days (a breakfast before the opening talk is in). For a recurring event
they are its first occurrence's days (the event's own start and end); a programme is for one
gathering, and a weekly meetup's sessions belong to its occurrences, which this does not model.
Its room, track and speakers are its event's own.

Every change a calendar shows of a session (its time, room, title or status) raises its
`sequence` and sets `updated_at`; other changes (abstract, track, format, capacity, speakers)
set `updated_at` only. Like every programme change, each locks the event first
(`events.programme`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from events import access, seating
from events.programme import audited, item_of, require_capacity, stored, utc_now
from events.programme_enums import SessionStatus
from events.programme_errors import (
    RoomOfAnotherEvent,
    SessionAlreadyCancelled,
    SessionEndsBeforeStart,
    SessionNotFound,
    SessionOutsideEventDays,
    SessionTimeWithoutOffset,
    SessionTitleRequired,
    SpeakerNamedTwice,
    SpeakerOfAnotherEvent,
    TrackOfAnotherEvent,
)
from events.programme_queries import day_bounds
from events.programme_schemas import SessionCreate, SessionRecord
from events.programme_tables import Room, Session, SessionSpeaker, Speaker, Track
from year2026.db import get_engine

_LANGUAGES = ("kk", "ru", "en")
_TITLES = tuple(f"title_{language}" for language in _LANGUAGES)

#: a session's columns an organizer sets (the API's `room_id` and `track_id` are `room`, `track`)
SESSION_FIELDS = (
    *_TITLES,
    *(f"abstract_{language}" for language in _LANGUAGES),
    "starts_at",
    "ends_at",
    "room",
    "track",
    "format",
    "capacity",
)
#: what a calendar shows of a session: a change to any raises its sequence
CALENDAR_FIELDS = frozenset({*_TITLES, "starts_at", "ends_at", "room", "status"})


def event_days(event: Mapping[str, Any]) -> tuple[dt.date, dt.date]:
    """The first and last day of the event (of its first occurrence), in its time zone."""
    if event["all_day"] and event["start_date"] and event["end_date"]:
        return event["start_date"], event["end_date"]
    zone = ZoneInfo(event["time_zone"])
    first = event["starts_at"].astimezone(zone).date()
    # an event that ends at midnight ends on the day before
    last = (event["ends_at"] - dt.timedelta(microseconds=1)).astimezone(zone).date()
    return first, max(first, last)


def _check_times(event: Mapping[str, Any], starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    for name, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if moment.tzinfo is None:
            raise SessionTimeWithoutOffset(name)
    if ends_at <= starts_at:
        raise SessionEndsBeforeStart("ends_at")
    first, last = event_days(event)
    zone = ZoneInfo(event["time_zone"])
    opens, closes = day_bounds(first, zone)[0], day_bounds(last, zone)[1]
    if not opens <= starts_at < closes:
        field = "starts_at"
    elif ends_at > closes:
        field = "ends_at"
    else:
        return
    raise SessionOutsideEventDays(field, first_day=first.isoformat(), last_day=last.isoformat())


async def _check_references(event_id: uuid.UUID, changed: Mapping[str, Any]) -> None:
    """The room and track, when given, are the event's own (also held by the database, whose
    refusal would be a 500 rather than a 422 naming the field)."""
    for column, table, error, field in (
        ("room", Room, RoomOfAnotherEvent, "room_id"),
        ("track", Track, TrackOfAnotherEvent, "track_id"),
    ):
        item_id = changed.get(column)
        if item_id is None:
            continue
        found = await table.exists().where(table.id == item_id, table.event == event_id)
        if not found:
            raise error(field)


async def _checked_speakers(
    event_id: uuid.UUID, speaker_ids: Iterable[uuid.UUID]
) -> list[uuid.UUID]:
    ordered = list(speaker_ids)
    if len(set(ordered)) != len(ordered):
        raise SpeakerNamedTwice("speaker_ids")
    if not ordered:
        return ordered
    found = await Speaker.raw(
        "SELECT count(*) AS n FROM event_speaker WHERE event = {} AND id = ANY({}::uuid[])",
        event_id,
        ordered,
    )
    if found[0]["n"] != len(ordered):
        raise SpeakerOfAnotherEvent("speaker_ids")
    return ordered


async def _speakers_of(session_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await SessionSpeaker.raw(
        "SELECT speaker FROM event_session_speaker WHERE session = {} ORDER BY position, id",
        session_id,
    )
    return [row["speaker"] for row in rows]


async def _set_speakers(
    event_id: uuid.UUID, session_id: uuid.UUID, speaker_ids: list[uuid.UUID]
) -> None:
    await SessionSpeaker.delete().where(SessionSpeaker.session == session_id)
    if speaker_ids:
        await SessionSpeaker.insert(
            *(
                SessionSpeaker(
                    id=uuid.uuid4(),
                    event=event_id,
                    session=session_id,
                    speaker=speaker_id,
                    position=position,
                )
                for position, speaker_id in enumerate(speaker_ids)
            )
        )


#: what a session's seat pool follows
_SEATING_FIELDS = frozenset({"capacity", "starts_at", "status"})


def _session_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The API's fields as the session's columns (`room_id` → `room`), stored form."""
    renamed = {"room_id": "room", "track_id": "track"}
    columns = {renamed.get(name, name): value for name, value in values.items()}
    return stored({name: value for name, value in columns.items() if name in SESSION_FIELDS})


def _check_session(
    event: Mapping[str, Any], new: Mapping[str, Any], changed: Iterable[str]
) -> None:
    changed = set(changed)
    if not any(new.get(name) for name in _TITLES):
        raise SessionTitleRequired("title_kk")
    if changed & {"starts_at", "ends_at"}:
        _check_times(event, new["starts_at"], new["ends_at"])
    require_capacity(new)


def _session_audit_view(row: Mapping[str, Any], speaker_ids: list[uuid.UUID]) -> dict[str, Any]:
    view = {name: row[name] for name in (*SESSION_FIELDS, "status", "sequence")}
    # one form for an instant, whatever offset it was given in
    view["starts_at"] = row["starts_at"].astimezone(dt.UTC)
    view["ends_at"] = row["ends_at"].astimezone(dt.UTC)
    return {"event": row["event"], **view, "speaker_ids": speaker_ids}


def _session_record(
    row: Mapping[str, Any], speaker_ids: list[uuid.UUID], event: Mapping[str, Any]
) -> SessionRecord:
    zone = ZoneInfo(event["time_zone"])
    return msgspec.convert(
        {
            **row,
            "event_id": row["event"],
            "room_id": row["room"],
            "track_id": row["track"],
            "starts_at": row["starts_at"].astimezone(zone),
            "ends_at": row["ends_at"].astimezone(zone),
            "speaker_ids": speaker_ids,
        },
        SessionRecord,
    )


async def create_session(actor_id: uuid.UUID, reference: str, data: SessionCreate) -> SessionRecord:
    columns = _session_columns(msgspec.structs.asdict(data))
    async with get_engine().transaction():
        event = await access.event_for_change(actor_id, reference)
        _check_session(event, columns, columns.keys())
        await _check_references(event["id"], columns)
        speaker_ids = await _checked_speakers(event["id"], data.speaker_ids)
        created_at = utc_now()
        inserted = await Session.insert(
            Session(
                id=uuid.uuid4(),
                event=event["id"],
                **columns,
                status=SessionStatus.SCHEDULED.value,
                sequence=0,
                created_at=created_at,
                updated_at=created_at,
            )
        ).returning(*Session.all_columns())
        row = dict(inserted[0])
        await _set_speakers(event["id"], row["id"], speaker_ids)
        await seating.sync_session_pool(event, row, created_at, actor_id)
        await audited(
            actor_id, "session.create", row["id"], None, _session_audit_view(row, speaker_ids)
        )
    return _session_record(row, speaker_ids, event)


async def _change_session(
    actor_id: uuid.UUID,
    reference: str,
    session_id: uuid.UUID,
    action: str,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    speaker_ids: list[uuid.UUID] | None = None,
) -> SessionRecord:
    """Lock the event, check the actor, find the session, apply `change(row)` (and the new
    speakers, when given), raise the sequence if a calendar would show the change, and audit;
    a change that changes nothing writes nothing."""
    async with get_engine().transaction():
        event = await access.event_for_change(actor_id, reference)
        current = await item_of(Session, event["id"], session_id, SessionNotFound)
        speakers = await _speakers_of(session_id)
        changed = {name: value for name, value in change(current).items() if current[name] != value}
        new_speakers = speakers
        if speaker_ids is not None and speaker_ids != speakers:
            new_speakers = await _checked_speakers(event["id"], speaker_ids)
        if not changed and new_speakers == speakers:
            return _session_record(current, speakers, event)
        new = {**current, **changed}
        _check_session(event, new, changed)
        await _check_references(event["id"], changed)
        if CALENDAR_FIELDS & changed.keys():
            changed["sequence"] = current["sequence"] + 1
        changed["updated_at"] = utc_now()
        new.update(changed)
        await Session.update(
            {getattr(Session, name): value for name, value in changed.items()}
        ).where(Session.id == session_id)
        if new_speakers != speakers:
            await _set_speakers(event["id"], session_id, new_speakers)
        if _SEATING_FIELDS & changed.keys():
            await seating.sync_session_pool(event, new, changed["updated_at"], actor_id)
        await audited(
            actor_id,
            action,
            session_id,
            _session_audit_view(current, speakers),
            _session_audit_view(new, new_speakers),
        )
    return _session_record(new, new_speakers, event)


async def update_session(
    actor_id: uuid.UUID, reference: str, session_id: uuid.UUID, changes: Mapping[str, Any]
) -> SessionRecord:
    """Apply the given fields (absent ones stay; `speaker_ids` replaces the speakers)."""
    columns = _session_columns(changes)
    speaker_ids = changes.get("speaker_ids")
    return await _change_session(
        actor_id,
        reference,
        session_id,
        "session.update",
        lambda current: columns,
        list(speaker_ids) if speaker_ids is not None else None,
    )


async def cancel_session(
    actor_id: uuid.UUID, reference: str, session_id: uuid.UUID
) -> SessionRecord:
    """The session stays in the programme, as cancelled (calendars that hold it learn so)."""

    def cancel(current: dict[str, Any]) -> dict[str, Any]:
        if current["status"] == SessionStatus.CANCELLED.value:
            raise SessionAlreadyCancelled
        return {"status": SessionStatus.CANCELLED.value}

    return await _change_session(actor_id, reference, session_id, "session.cancel", cancel)


__all__ = [
    "CALENDAR_FIELDS",
    "SESSION_FIELDS",
    "cancel_session",
    "create_session",
    "event_days",
    "update_session",
]
