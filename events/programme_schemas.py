"""API bodies of an event's programme (msgspec Structs): what organizers send and get back, and
what anyone reads, in the reader's language."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec

from events.programme_enums import SessionFormat, SessionStatus
from year2026.i18n import LocalizedText
from year2026.text_types import FREE_TEXT, LINE_TEXT

#: a name that must be there: at least one visible character (written without \s and \S, whose
#: meaning differs between regex engines)
NAME_TEXT = r"^[^\x00-\x1f\x7f]*[^\x00-\x20\x7f][^\x00-\x1f\x7f]*$"
#: a web address people can open: http(s) only (no javascript:, data:, file:…), or empty
HTTP_URL = r"^(https?://[!-~]+)?$"
#: the most seats a session or room is given (and what fits the column)
MAX_CAPACITY = 100_000
#: the most speakers one session names
MAX_SPEAKERS = 30

Name = Annotated[str, msgspec.Meta(max_length=200, pattern=LINE_TEXT)]
Title = Annotated[str, msgspec.Meta(max_length=300, pattern=LINE_TEXT)]
Abstract = Annotated[str, msgspec.Meta(max_length=5000, pattern=FREE_TEXT)]
PersonName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=NAME_TEXT)]
Affiliation = Annotated[str, msgspec.Meta(max_length=300, pattern=LINE_TEXT)]
Bio = Annotated[str, msgspec.Meta(max_length=2000, pattern=FREE_TEXT)]
PhotoUrl = Annotated[str, msgspec.Meta(max_length=500, pattern=HTTP_URL)]
#: 0 or more, written as "more than -1": Litestar leaves a bound of 0 out of the schema of an
#: optional field (it tests the bound for truth), and clients would think negatives are accepted
Position = Annotated[int, msgspec.Meta(gt=-1, le=1_000_000)]
Capacity = Annotated[int, msgspec.Meta(ge=1, le=MAX_CAPACITY)]
#: an instant with its offset from UTC (`2026-06-01T10:00:00+05:00`)
Instant = Annotated[dt.datetime, msgspec.Meta(tz=True)]
SpeakerIds = Annotated[list[uuid.UUID], msgspec.Meta(max_length=MAX_SPEAKERS)]


class TrackCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A track, named in at least one language."""

    name_kk: Name = ""
    name_ru: Name = ""
    name_en: Name = ""
    #: the order tracks are shown in
    position: Position = 0


class TrackUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change: absent fields stay as they are."""

    name_kk: Name | msgspec.UnsetType = msgspec.UNSET
    name_ru: Name | msgspec.UnsetType = msgspec.UNSET
    name_en: Name | msgspec.UnsetType = msgspec.UNSET
    position: Position | msgspec.UnsetType = msgspec.UNSET


class RoomCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A room, named in at least one language."""

    name_kk: Name = ""
    name_ru: Name = ""
    name_en: Name = ""
    #: its seats, when known
    capacity: Capacity | None = None
    position: Position = 0


class RoomUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change: absent fields stay as they are (`null` clears the capacity). Renaming a
    room changes where its sessions take place: their `sequence` is raised."""

    name_kk: Name | msgspec.UnsetType = msgspec.UNSET
    name_ru: Name | msgspec.UnsetType = msgspec.UNSET
    name_en: Name | msgspec.UnsetType = msgspec.UNSET
    capacity: Capacity | msgspec.UnsetType | None = msgspec.UNSET
    position: Position | msgspec.UnsetType = msgspec.UNSET


class SpeakerCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: PersonName
    affiliation_kk: Affiliation = ""
    affiliation_ru: Affiliation = ""
    affiliation_en: Affiliation = ""
    bio_kk: Bio = ""
    bio_ru: Bio = ""
    bio_en: Bio = ""
    photo_url: PhotoUrl = ""


class SpeakerUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change: absent fields stay as they are."""

    name: PersonName | msgspec.UnsetType = msgspec.UNSET
    affiliation_kk: Affiliation | msgspec.UnsetType = msgspec.UNSET
    affiliation_ru: Affiliation | msgspec.UnsetType = msgspec.UNSET
    affiliation_en: Affiliation | msgspec.UnsetType = msgspec.UNSET
    bio_kk: Bio | msgspec.UnsetType = msgspec.UNSET
    bio_ru: Bio | msgspec.UnsetType = msgspec.UNSET
    bio_en: Bio | msgspec.UnsetType = msgspec.UNSET
    photo_url: PhotoUrl | msgspec.UnsetType = msgspec.UNSET


class SessionCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A session, titled in at least one language, within its event's days (the dates of the
    event in its time zone; for a recurring event, of its first occurrence). Its room, track and
    speakers are the event's own."""

    title_kk: Title = ""
    title_ru: Title = ""
    title_en: Title = ""
    abstract_kk: Abstract = ""
    abstract_ru: Abstract = ""
    abstract_en: Abstract = ""
    starts_at: Instant
    ends_at: Instant
    room_id: uuid.UUID | None = None
    track_id: uuid.UUID | None = None
    format: SessionFormat = SessionFormat.TALK
    #: seats of its own (a workshop), which registration counts; null: no limit of its own
    capacity: Capacity | None = None
    #: in the order the programme names them
    speaker_ids: SpeakerIds = msgspec.field(default_factory=list)


class SessionUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change: absent fields stay as they are (`null` clears an optional one). A change
    of time, room or title raises the session's `sequence`; other changes do not."""

    title_kk: Title | msgspec.UnsetType = msgspec.UNSET
    title_ru: Title | msgspec.UnsetType = msgspec.UNSET
    title_en: Title | msgspec.UnsetType = msgspec.UNSET
    abstract_kk: Abstract | msgspec.UnsetType = msgspec.UNSET
    abstract_ru: Abstract | msgspec.UnsetType = msgspec.UNSET
    abstract_en: Abstract | msgspec.UnsetType = msgspec.UNSET
    starts_at: Instant | msgspec.UnsetType = msgspec.UNSET
    ends_at: Instant | msgspec.UnsetType = msgspec.UNSET
    room_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET
    track_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET
    format: SessionFormat | msgspec.UnsetType = msgspec.UNSET
    capacity: Capacity | msgspec.UnsetType | None = msgspec.UNSET
    speaker_ids: SpeakerIds | msgspec.UnsetType = msgspec.UNSET


class TrackRecord(msgspec.Struct, kw_only=True):
    """A track as its organizer manages it, in every language."""

    id: uuid.UUID
    event_id: uuid.UUID
    name_kk: str
    name_ru: str
    name_en: str
    position: int


class RoomRecord(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    event_id: uuid.UUID
    name_kk: str
    name_ru: str
    name_en: str
    capacity: int | None
    position: int


class SpeakerRecord(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    event_id: uuid.UUID
    name: str
    affiliation_kk: str
    affiliation_ru: str
    affiliation_en: str
    bio_kk: str
    bio_ru: str
    bio_en: str
    photo_url: str


class SessionRecord(msgspec.Struct, kw_only=True):
    """A session as its organizer manages it, in every language; times in the event's zone."""

    id: uuid.UUID
    event_id: uuid.UUID
    title_kk: str
    title_ru: str
    title_en: str
    abstract_kk: str
    abstract_ru: str
    abstract_en: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_id: uuid.UUID | None
    track_id: uuid.UUID | None
    format: SessionFormat
    capacity: int | None
    status: SessionStatus
    sequence: int
    speaker_ids: list[uuid.UUID]
    created_at: dt.datetime
    updated_at: dt.datetime


class TrackView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: LocalizedText
    position: int


class RoomView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: LocalizedText
    capacity: int | None
    position: int


class SpeakerView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    affiliation: LocalizedText
    bio: LocalizedText
    photo_url: str


class SessionSpeakerView(msgspec.Struct, kw_only=True):
    """A speaker as a session names them (the bio is in the programme's speakers)."""

    id: uuid.UUID
    name: str
    affiliation: LocalizedText
    photo_url: str


class SessionView(msgspec.Struct, kw_only=True):
    """A session as the programme shows it, in the reader's language; times in the event's
    zone, and `day` the date it starts on there."""

    id: uuid.UUID
    event_id: uuid.UUID
    title: LocalizedText
    abstract: LocalizedText
    starts_at: dt.datetime
    ends_at: dt.datetime
    day: dt.date
    format: SessionFormat
    capacity: int | None
    status: SessionStatus
    sequence: int
    updated_at: dt.datetime
    room: RoomView | None
    track: TrackView | None
    speakers: list[SessionSpeakerView]


class SessionPage(msgspec.Struct, kw_only=True):
    items: list[SessionView]
    next_cursor: str | None


class Programme(msgspec.Struct, kw_only=True):
    """An event's programme at a glance: its days (the dates of its sessions in its zone), tracks
    and rooms in their order, speakers by name. The sessions are listed by
    `GET /events/{event}/sessions`."""

    event_id: uuid.UUID
    time_zone: str
    days: list[dt.date]
    tracks: list[TrackView]
    rooms: list[RoomView]
    speakers: list[SpeakerView]
