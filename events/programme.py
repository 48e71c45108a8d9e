"""The organizers' changes to an event's programme: its tracks, rooms and speakers (its sessions
are `events.programme_sessions`), and what changes of both share.

Every change locks its event first (`access.event_for_change`, which also checks that the actor
is a member of the event's organization or an admin), so changes to one programme are made one
at a time and "is this room still unused?" cannot be answered wrongly meanwhile. Each change and
its audit entry are one transaction.

A track, room or speaker that sessions use is not removed (409): the organizer moves the
sessions first. Renaming a room raises the sequence of its sessions, since their place is shown
by the room's name.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
from piccolo.table import Table

from events import access
from events.programme_errors import (
    CapacityNotPositive,
    InUseBySessions,
    NameRequired,
    RoomNotFound,
    SpeakerNotFound,
    TrackNotFound,
)
from events.programme_schemas import (
    RoomCreate,
    RoomRecord,
    SpeakerCreate,
    SpeakerRecord,
    TrackCreate,
    TrackRecord,
)
from events.programme_tables import Room, Session, Speaker, Track
from year2026 import audit
from year2026.db import get_engine
from year2026.exceptions import NotFound

_LANGUAGES = ("kk", "ru", "en")
_NAMES = tuple(f"name_{language}" for language in _LANGUAGES)


async def audited(
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


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def stored(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the columns hold them: texts trimmed, enums by value."""
    result: dict[str, Any] = {}
    for name, value in values.items():
        plain = getattr(value, "value", value)
        result[name] = plain.strip() if isinstance(plain, str) else plain
    return result


def require_capacity(values: Mapping[str, Any]) -> None:
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
    require_capacity(values)


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


async def item_of(
    table: type[Table], event_id: uuid.UUID, item_id: uuid.UUID, not_found: type[NotFound]
) -> dict[str, Any]:
    row: dict[str, Any] | None = (
        await table.select().where(table.id == item_id, table.event == event_id).first()  # type: ignore[attr-defined]
    )
    if row is None:
        raise not_found
    return row


async def _create(kind: _Kind, actor_id: uuid.UUID, reference: str, data: msgspec.Struct) -> Any:
    values = stored({name: getattr(data, name) for name in kind.fields})
    async with get_engine().transaction():
        event = await access.event_for_change(actor_id, reference)
        kind.check(values)
        inserted = await kind.table.insert(
            kind.table(id=uuid.uuid4(), event=event["id"], **values)
        ).returning(*kind.table.all_columns())
        row = dict(inserted[0])
        await audited(actor_id, f"{kind.name}.create", row["id"], None, _audit_view(kind, row))
    return _record(kind, row)


async def _update(
    kind: _Kind,
    actor_id: uuid.UUID,
    reference: str,
    item_id: uuid.UUID,
    changes: Mapping[str, Any],
) -> Any:
    given = stored({name: value for name, value in changes.items() if name in kind.fields})
    async with get_engine().transaction():
        event = await access.event_for_change(actor_id, reference)
        current = await item_of(kind.table, event["id"], item_id, kind.not_found)
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
                utc_now(),
                item_id,
            )
        await audited(
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
        current = await item_of(kind.table, event["id"], item_id, kind.not_found)
        usage = await kind.table.raw(kind.usage_sql, item_id)
        if usage[0]["n"]:
            raise InUseBySessions(sessions=usage[0]["n"])
        await kind.table.delete().where(kind.table.id == item_id)  # type: ignore[attr-defined]
        await audited(actor_id, f"{kind.name}.delete", item_id, _audit_view(kind, current), None)


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


__all__ = [
    "audited",
    "create_room",
    "create_speaker",
    "create_track",
    "delete_room",
    "delete_speaker",
    "delete_track",
    "item_of",
    "require_capacity",
    "stored",
    "update_room",
    "update_speaker",
    "update_track",
    "utc_now",
]
