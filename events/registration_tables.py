"""Registrations for events and programme sessions, and check-ins at the door.

A registration is a person's seat claim (`year2026.seats_tables.SeatClaim`, same id) in the
seat pool of an occurrence or of a session, with what the calendar adds: which event, which
occurrence, which session, and the ticket's typed code. Its status lives on the claim.
"""

from __future__ import annotations

from piccolo.columns import UUID, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events.programme_tables import Session
from events.tables import Event, Occurrence
from year2026.people.tables import Person


class Registration(Table, tablename="event_registration"):
    #: the id of its seat claim (a foreign key, set by the raw migration)
    id = UUID(primary_key=True)
    event = ForeignKey(references=Event, on_delete=OnDelete.restrict, null=False)
    occurrence = ForeignKey(references=Occurrence, on_delete=OnDelete.restrict, null=False)
    #: null: a place at the event itself; else at one of its sessions with seats of their own
    session = ForeignKey(references=Session, on_delete=OnDelete.restrict, null=True, default=None)
    person = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=False)
    #: what is typed at the door when the QR code cannot be read; unique per event
    ticket_code = Varchar(length=16)
    created_at = Timestamptz(default=TimestamptzNow())


class CheckIn(Table, tablename="event_check_in"):
    """A registration's attendance, recorded once: the earliest scan wins."""

    id = UUID(primary_key=True)
    registration = ForeignKey(references=Registration, on_delete=OnDelete.restrict, unique=True)
    event = ForeignKey(references=Event, on_delete=OnDelete.restrict, null=False)
    #: when the ticket was scanned (an offline device says so when it uploads)
    checked_in_at = Timestamptz()
    #: the organizer member who scanned it
    checked_in_by = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=True)
    #: the scanning device, as it names itself
    device = Varchar(length=100, default="")
    recorded_at = Timestamptz(default=TimestamptzNow())


REGISTRATION_TABLES: list[type[Table]] = [Registration, CheckIn]
