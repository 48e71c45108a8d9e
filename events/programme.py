"""The organizers' changes to an event's programme: tracks, rooms, speakers and sessions.

Every change locks its event first (`access.event_for_change`, which also checks that the actor
is a member of the event's organization or an admin), so changes to one programme are made one
at a time and "is this room still unused?" cannot be answered wrongly meanwhile. Each change and
its audit entry are one transaction.

A session lies within its event's days: the dates from the event's start to its end in the
event's time zone, whole days (a breakfast before the opening talk is in). For a recurring event
they are its first occurrence's days (the event's own start and end); a programme is for one
gathering, and a weekly meetup's sessions belong to its occurrences, which this does not model.

Every change a calendar shows of a session (its time, room, title or status) raises its
`sequence` and sets `updated_at`; renaming a room does so for the room's sessions, since their
place is shown by the room's name. Other changes (abstract, track, format, capacity, speakers)
set `updated_at` only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from piccolo.table import Table

from events import access
from events.programme_enums import SessionStatus
from events.programme_errors import (
    CapacityNotPositive,
    InUseBySessions,
    NameRequired,
    RoomNotFound,
    RoomOfAnotherEvent,
    SessionAlreadyCancelled,
    SessionEndsBeforeStart,
    SessionNotFound,
    SessionOutsideEventDays,
    SessionTimeWithoutOffset,
    SessionTitleRequired,
    SpeakerNamedTwice,
    SpeakerNotFound,
    SpeakerOfAnotherEvent,
    TrackNotFound,
    TrackOfAnotherEvent,
)
from events.programme_queries import day_bounds
from events.programme_schemas import (
    RoomCreate,
    RoomRecord,
    SessionCreate,
    SessionRecord,
    SpeakerCreate,
    SpeakerRecord,
    TrackCreate,
    TrackRecord,
)
from events.programme_tables import Room, Session, SessionSpeaker, Speaker, Track
from year2026 import audit
from year2026.db import get_engine
from year2026.exceptions import NotFound

_LANGUAGES = ("kk", "ru", "en")
_NAMES = tuple(f"name_{language}" for language in _LANGUAGES)
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


async def _audited(
    actor_id: uuid.UUID,
    action: str,
    object_id: uuid.UUID,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> None:
    """The programme's one way into the audit log, inside the change's transaction; the object
    type is the action's first word (`session.update` → `session`)."""
    await audit.record_change(
        actor_id=actor_id,
        action=action,
        object_type=action.partition(".")[0],
        object_id=object_id,
        before=before,
        after=after,
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stored(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the columns hold them: texts trimmed, enums by value."""
    stored: dict[str, Any] = {}
    for name, value in values.items():
        plain = getattr(value, "value", value)
        stored[name] = plain.strip() if isinstance(plain, str) else plain
    return stored


def _require_capacity(values: Mapping[str, Any]) -> None:
    capacity = values.get("capacity")
    if capacity is not None and capacity < 1:
        raise CapacityNotPositive("capacity")


def _require_name(values: Mapping[str, Any]) -> None:
    if not any(values.get(name) for name in _NAMES):
        raise NameRequired("name_kk")


def _check_track(values: Mapping[str, Any]) -> None:
    _require_name(values)


def _check_room(values: Mapping[str, Any]) -> None:
    _require_name(values)
    _require_capacity(values)


def _check_speaker(values: Mapping[str, Any]) -> None:
    """The API's schema already refuses an empty name and a link that is not http(s)."""


@dataclass(frozen=True)
class _Kind:
    """A track, a room or a speaker: the parts of a programme that sessions refer to."""

    name: str
    table: type[Table]
    #: the columns an organizer sets
    fields: tuple[str, ...]
    check: Callable[[Mapping[str, Any]], None]
    not_found: type[NotFound]
    record: type[msgspec.Struct]
    #: how many sessions use one (by its id)
    usage_sql: str


TRACK = _Kind(
    "track",
    Track,
    (*_NAMES, "position"),
    _check_track,
    TrackNotFound,
    TrackRecord,
    "SELECT count(*) AS n FROM event_session WHERE track = {}",
)
ROOM = _Kind(
    "room",
    Room,
    (*_NAMES, "capacity", "position"),
    _check_room,
    RoomNotFound,
    RoomRecord,
    "SELECT count(*) AS n FROM event_session WHERE room = {}",
)
SPEAKER = _Kind(
    "speaker",
    Speaker,
    (
        "name",
        *(f"affiliation_{language}" for language in _LANGUAGES),
        *(f"bio_{language}" for language in _LANGUAGES),
        "photo_url",
    ),
    _check_speaker,
    SpeakerNotFound,
    SpeakerRecord,
    "SELECT count(*) AS n FROM event_session_speaker WHERE speaker = {}",
)


def _record(kind: _Kind, row: Mapping[str, Any]) -> Any:
    return msgspec.convert({**row, "event_id": row["event"]}, kind.record)


def _audit_view(kind: _Kind, row: Mapping[str, Any]) -> dict[str, Any]:
    return {"event": row["event"], **{name: row[name] for name in kind.fields}}


async def _item_of(
    table: type[Table], event_id: uuid.UUID, item_id: uuid.UUID, not_found: type[NotFound]
) -> dict[str, Any]:
    row: dict[str, Any] | None = (
        await table.select().where(table.id == item_id, table.event == event_id).first()  # type: ignore[attr-defined]
    )
    if row is None:
        raise not_found
    return row


async def _create(kind: _Kind, actor_id: uuid.UUID, reference: str, data: msgspec.Struct) -> Any:
    values = _stored({name: getattr(data, name) for name in kind.fields})
    async with get_engine().transaction():
        event = await access.event_for_change(actor_id, reference)
        kind.check(values)
        inserted = await kind.table.insert(
            kind.table(id=uuid.uuid4(), event=event["id"], **values)
        ).returning(*kind.table.all_columns())
        row = dict(inserted[0])
        await _audited(actor_id, f"{kind.name}.create", row["id"], None, _audit_view(kind, row))
    return _record(kind, row)


async def _update(
    kind: _Kind,
    actor_id: uuid.UUID,
    reference: str,
    item_id: uuid.UUID,
    changes: Mapping[str, Any],
) -> Any:
    given = _stored({name: value for name, value in changes.items() if name in kind.fields})
    async with get_engine().transaction():
        event = await access.event_for_change(actor_id, reference)
        current = await _item_of(kind.table, event["id"], item_id, kind.not_found)
        changed = {name: value for name, value in given.items() if current[name] != value}
        if not changed:
            return _record(kind, current)
        new = {**current, **changed}
        kind.check(new)
        await kind.table.update(
            {getattr(kind.table, name): value for name, value in changed.items()}
        ).where(kind.table.id == item_id)  # type: ignore[attr-defined]
        if kind is ROOM and changed.keys() & set(_NAMES):
            # the place its sessions are shown at has changed
            await Session.raw(
                "UPDATE event_session SET sequence = sequence + 1, updated_at = {} WHERE room = {}",
                _now(),
                item_id,
            )
        await _audited(
            actor_id,
            f"{kind.name}.update",
            item_id,
            _audit_view(kind, current),
            _audit_view(kind, new),
        )
    return _record(kind, new)


async def _delete(kind: _Kind, actor_id: uuid.UUID, reference: str, item_id: uuid.UUID) -> None:
    async with get_engine().transaction():
        event = await access.event_for_change(actor_id, reference)
        current = await _item_of(kind.table, event["id"], item_id, kind.not_found)
        usage = await kind.table.raw(kind.usage_sql, item_id)
        if usage[0]["n"]:
            raise InUseBySessions(sessions=usage[0]["n"])
        await kind.table.delete().where(kind.table.id == item_id)  # type: ignore[attr-defined]
        await _audited(actor_id, f"{kind.name}.delete", item_id, _audit_view(kind, current), None)


async def create_track(actor_id: uuid.UUID, reference: str, data: TrackCreate) -> TrackRecord:
    record: TrackRecord = await _create(TRACK, actor_id, reference, data)
    return record


async def update_track(
    actor_id: uuid.UUID, reference: str, track_id: uuid.UUID, changes: Mapping[str, Any]
) -> TrackRecord:
    record: TrackRecord = await _update(TRACK, actor_id, reference, track_id, changes)
    return record


async def delete_track(actor_id: uuid.UUID, reference: str, track_id: uuid.UUID) -> None:
    """Only a track no session is in (move its sessions first)."""
    await _delete(TRACK, actor_id, reference, track_id)


async def create_room(actor_id: uuid.UUID, reference: str, data: RoomCreate) -> RoomRecord:
    record: RoomRecord = await _create(ROOM, actor_id, reference, data)
    return record


async def update_room(
    actor_id: uuid.UUID, reference: str, room_id: uuid.UUID, changes: Mapping[str, Any]
) -> RoomRecord:
    """A new name raises the sequence of the room's sessions (their place has changed)."""
    record: RoomRecord = await _update(ROOM, actor_id, reference, room_id, changes)
    return record


async def delete_room(actor_id: uuid.UUID, reference: str, room_id: uuid.UUID) -> None:
    """Only a room no session is in (move its sessions first)."""
    await _delete(ROOM, actor_id, reference, room_id)


async def create_speaker(actor_id: uuid.UUID, reference: str, data: SpeakerCreate) -> SpeakerRecord:
    record: SpeakerRecord = await _create(SPEAKER, actor_id, reference, data)
    return record


async def update_speaker(
    actor_id: uuid.UUID, reference: str, speaker_id: uuid.UUID, changes: Mapping[str, Any]
) -> SpeakerRecord:
    record: SpeakerRecord = await _update(SPEAKER, actor_id, reference, speaker_id, changes)
    return record


async def delete_speaker(actor_id: uuid.UUID, reference: str, speaker_id: uuid.UUID) -> None:
    """Only a speaker no session names (take them off their sessions first)."""
    await _delete(SPEAKER, actor_id, reference, speaker_id)


# Sessions


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


def _session_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The API's fields as the session's columns (`room_id` → `room`), stored form."""
    renamed = {"room_id": "room", "track_id": "track"}
    columns = {renamed.get(name, name): value for name, value in values.items()}
    return _stored({name: value for name, value in columns.items() if name in SESSION_FIELDS})


def _check_session(
    event: Mapping[str, Any], new: Mapping[str, Any], changed: Iterable[str]
) -> None:
    changed = set(changed)
    if not any(new.get(name) for name in _TITLES):
        raise SessionTitleRequired("title_kk")
    if changed & {"starts_at", "ends_at"}:
        _check_times(event, new["starts_at"], new["ends_at"])
    _require_capacity(new)


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
        now = _now()
        inserted = await Session.insert(
            Session(
                id=uuid.uuid4(),
                event=event["id"],
                **columns,
                status=SessionStatus.SCHEDULED.value,
                sequence=0,
                created_at=now,
                updated_at=now,
            )
        ).returning(*Session.all_columns())
        row = dict(inserted[0])
        await _set_speakers(event["id"], row["id"], speaker_ids)
        await _audited(
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
        current = await _item_of(Session, event["id"], session_id, SessionNotFound)
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
        changed["updated_at"] = _now()
        new.update(changed)
        await Session.update(
            {getattr(Session, name): value for name, value in changed.items()}
        ).where(Session.id == session_id)
        if new_speakers != speakers:
            await _set_speakers(event["id"], session_id, new_speakers)
        await _audited(
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
    "create_room",
    "create_session",
    "create_speaker",
    "create_track",
    "delete_room",
    "delete_speaker",
    "delete_track",
    "event_days",
    "update_room",
    "update_session",
    "update_speaker",
    "update_track",
]
