"""Piccolo tables of a large event's programme: its tracks, rooms, speakers and sessions.

Everything here belongs to one event. The raw-SQL migration (migrations/events) makes the
database hold that too: a session's room and track, and a session's speakers, are referenced
together with the event (`(event, room)` → `event_room (event, id)`), so a row of another event
cannot be referenced whatever the code does; and it adds the checks and the listing's index.
Days are not stored: they are the dates of the sessions in the event's time zone.
"""

from __future__ import annotations

from piccolo.columns import UUID, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events.programme_enums import SessionFormat, SessionStatus
from events.tables import Event


class Track(Table, tablename="event_track"):
    id = UUID(primary_key=True)
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    #: in three languages; an empty one is "not written in this language"
    name_kk = Varchar(length=200, default="")
    name_ru = Varchar(length=200, default="")
    name_en = Varchar(length=200, default="")
    #: the order tracks are shown in (then by id)
    position = Integer(default=0)


class Room(Table, tablename="event_room"):
    id = UUID(primary_key=True)
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    name_kk = Varchar(length=200, default="")
    name_ru = Varchar(length=200, default="")
    name_en = Varchar(length=200, default="")
    #: seats in the room, when known (a session's own `capacity` is what registration counts)
    capacity = Integer(null=True, default=None)
    position = Integer(default=0)


class Speaker(Table, tablename="event_speaker"):
    """A speaker of one event (the same person at two events is two rows: their affiliation and
    bio are as that event's programme gives them)."""

    id = UUID(primary_key=True)
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    name = Varchar(length=200)
    affiliation_kk = Varchar(length=300, default="")
    affiliation_ru = Varchar(length=300, default="")
    affiliation_en = Varchar(length=300, default="")
    bio_kk = Text(default="")
    bio_ru = Text(default="")
    bio_en = Text(default="")
    #: http(s) only, or empty
    photo_url = Varchar(length=500, default="")


class Session(Table, tablename="event_session"):
    id = UUID(primary_key=True)
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    title_kk = Varchar(length=300, default="")
    title_ru = Varchar(length=300, default="")
    title_en = Varchar(length=300, default="")
    abstract_kk = Text(default="")
    abstract_ru = Text(default="")
    abstract_en = Text(default="")
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    #: no action on delete: a room or track that sessions use is not removed (the service says
    #: so first; the check runs at the end of the statement, so deleting the event still works)
    room = ForeignKey(references=Room, on_delete=OnDelete.no_action, null=True, default=None)
    track = ForeignKey(references=Track, on_delete=OnDelete.no_action, null=True, default=None)
    format = Varchar(length=16, choices=SessionFormat, default=SessionFormat.TALK.value)
    #: seats of its own (a workshop), counted by registration; null: no limit of its own
    capacity = Integer(null=True, default=None)
    status = Varchar(length=16, choices=SessionStatus, default=SessionStatus.SCHEDULED.value)
    #: RFC 5545 SEQUENCE: raised by every change a calendar shows (time, room, title, status)
    sequence = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class SessionSpeaker(Table, tablename="event_session_speaker"):
    """Who speaks at a session, in the order the programme names them. `event` is the session's
    and the speaker's event: the database checks both against it."""

    id = UUID(primary_key=True)
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    session = ForeignKey(references=Session, on_delete=OnDelete.cascade, null=False)
    speaker = ForeignKey(references=Speaker, on_delete=OnDelete.no_action, null=False)
    position = Integer(default=0)


PROGRAMME_TABLES: list[type[Table]] = [Track, Room, Speaker, Session, SessionSpeaker]
