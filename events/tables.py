"""Piccolo tables of the event calendar.

What Piccolo's columns cannot express is created by a raw-SQL migration (migrations/events): the
full-text search vector (a generated column over the three languages), the checks on times and
coordinates, and the indexes the public listing needs.
"""

from __future__ import annotations

from piccolo.columns import (
    UUID,
    Array,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events.enums import EventCategory, EventFormat, EventStatus
from year2026.people.enums import Region
from year2026.people.tables import Organization

DEFAULT_TIME_ZONE = "Asia/Almaty"


class Event(Table, tablename="event"):
    id = UUID(primary_key=True)
    organization = ForeignKey(references=Organization, on_delete=OnDelete.restrict, null=False)
    #: the address part of its page (`gitex-central-asia-2026`); unique
    slug = Varchar(length=120, unique=True)
    status = Varchar(length=16, choices=EventStatus, default=EventStatus.DRAFT.value)
    #: texts in three languages; an empty one is "not written in this language"
    title_kk = Varchar(length=300, default="")
    title_ru = Varchar(length=300, default="")
    title_en = Varchar(length=300, default="")
    summary_kk = Varchar(length=1000, default="")
    summary_ru = Varchar(length=1000, default="")
    summary_en = Varchar(length=1000, default="")
    description_kk = Text(default="")
    description_ru = Text(default="")
    description_en = Text(default="")
    category = Varchar(length=16, choices=EventCategory)
    tags = Array(base_column=Varchar(length=40), default=list)
    format = Varchar(length=8, choices=EventFormat)
    #: null for an online event
    region = Varchar(length=32, choices=Region, null=True, default=None)
    venue_name_kk = Varchar(length=300, default="")
    venue_name_ru = Varchar(length=300, default="")
    venue_name_en = Varchar(length=300, default="")
    venue_address_kk = Varchar(length=500, default="")
    venue_address_ru = Varchar(length=500, default="")
    venue_address_en = Varchar(length=500, default="")
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    online_url = Varchar(length=500, default="")
    website = Varchar(length=500, default="")
    cover_image_url = Varchar(length=500, default="")
    #: the IANA zone its times are given in (and its recurrence is expanded in)
    time_zone = Varchar(length=64, default=DEFAULT_TIME_ZONE)
    #: an all-day event has dates (start_date..end_date, inclusive); starts_at/ends_at then hold
    #: the zone's midnight at its start and after its last day, so that every event can be
    #: compared in instants
    all_day = Boolean(default=False)
    start_date = Date(null=True, default=None)
    end_date = Date(null=True, default=None)
    #: the first (or only) occurrence; for a postponed event, its new time
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    #: RFC 5545 RRULE value (without "RRULE:"), expanded in `time_zone`; empty: not recurring
    rrule = Varchar(length=500, default="")
    #: original starts of the occurrences the rule makes but that do not take place
    exdates = Array(base_column=Timestamptz(), default=list)
    #: when the last occurrence ends (null: the rule has no end); bounds range queries
    series_ends_at = Timestamptz(null=True, default=None)
    #: postponed with no new time yet
    date_to_be_announced = Boolean(default=False)
    #: why it was postponed or cancelled
    status_reason_kk = Varchar(length=1000, default="")
    status_reason_ru = Varchar(length=1000, default="")
    status_reason_en = Varchar(length=1000, default="")
    #: RFC 5545 SEQUENCE: raised by every change a calendar shows (time, place, title, status)
    sequence = Integer(default=0)
    #: seats at each occurrence; null: no limit (registration still counts people)
    capacity = Integer(null=True, default=None)
    #: when an occurrence is full, newcomers join its waitlist (else they are refused)
    waitlist = Boolean(default=True)
    #: a person moved up from the waitlist is offered the seat for this many hours and must
    #: accept it; null: moving up confirms the seat at once
    offer_hours = Integer(null=True, default=None)
    #: registration opens then (null: on publication) and closes then (null: when an
    #: occurrence starts; never later than that)
    registration_opens_at = Timestamptz(null=True, default=None)
    registration_closes_at = Timestamptz(null=True, default=None)
    #: demo content loaded by `year2026 demo`
    is_demo = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)


class Occurrence(Table, tablename="event_occurrence"):
    """One time an event takes place: a one-off event has one, a recurring event one for each time
    its rule makes (up to a horizon; see `events.occurrences`). Listings, and registration for
    one occurrence, read these rows. Keyed by the occurrence's original start (RECURRENCE-ID);
    (event, original_start) is unique."""

    id = UUID(primary_key=True)
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    original_start = Timestamptz()
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    #: changed on its own (moved or cancelled) by the organizer: kept when the rule is re-expanded
    overridden = Boolean(default=False)
    cancelled = Boolean(default=False)
    #: SEQUENCE of this occurrence's own override (RECURRENCE-ID), raised by each change to it
    sequence = Integer(default=0)
    updated_at = Timestamptz(default=TimestamptzNow())


ALL_TABLES: list[type[Table]] = [Event, Occurrence]
