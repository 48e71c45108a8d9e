"""The event calendar's API bodies (msgspec Structs), in and out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec

from events.enums import EventCategory, EventFormat, EventStatus
from events.programme_schemas import Programme
from year2026.calendar.schemas import FeedLinks
from year2026.i18n import LocalizedText
from year2026.people.enums import Region
from year2026.text_types import (
    FREE_TEXT,
    Address,
    Description,
    Link,
    RuleText,
    Slug,
    Summary,
    Title,
    VenueName,
    ZoneName,
)

Reason = Annotated[str, msgspec.Meta(pattern=FREE_TEXT, max_length=1000)]
Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90)]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180)]
#: tags are checked one by one in the service (list item constraints do not reach the schema)
Tags = Annotated[list[str], msgspec.Meta(max_length=20)]
ExDates = Annotated[list[dt.datetime], msgspec.Meta(max_length=500)]
Capacity = Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
#: how long a person moved up from the waitlist has to accept the seat: an hour to two weeks
OfferHours = Annotated[int, msgspec.Meta(ge=1, le=336)]


class EventFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What an organizer says about an event. Times without an offset are wall-clock times in
    `time_zone`; with one, they are converted to it."""

    slug: Slug
    title_kk: Title = ""
    title_ru: Title = ""
    title_en: Title = ""
    summary_kk: Summary = ""
    summary_ru: Summary = ""
    summary_en: Summary = ""
    description_kk: Description = ""
    description_ru: Description = ""
    description_en: Description = ""
    category: EventCategory
    tags: Tags = msgspec.field(default_factory=list)
    format: EventFormat
    #: required unless the event is online
    region: Region | None = None
    venue_name_kk: VenueName = ""
    venue_name_ru: VenueName = ""
    venue_name_en: VenueName = ""
    venue_address_kk: Address = ""
    venue_address_ru: Address = ""
    venue_address_en: Address = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    online_url: Link = ""
    website: Link = ""
    cover_image_url: Link = ""
    time_zone: ZoneName = "Asia/Almaty"
    #: all-day: give start_date and end_date (inclusive); otherwise starts_at and ends_at
    all_day: bool = False
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    #: an RFC 5545 RRULE value, e.g. `FREQ=WEEKLY;BYDAY=TU` (without `RRULE:`)
    rrule: RuleText = ""
    #: original starts of occurrences that do not take place
    exdates: ExDates = msgspec.field(default_factory=list)
    #: seats at each occurrence; null: no limit
    capacity: Capacity | None = None
    #: when full, newcomers join a waitlist (else they are refused)
    waitlist: bool = True
    #: a person moved up from the waitlist must accept within this many hours; null: moving up
    #: confirms at once
    offer_hours: OfferHours | None = None
    #: null: registration opens on publication
    registration_opens_at: dt.datetime | None = None
    #: null: when an occurrence starts (never later than that)
    registration_closes_at: dt.datetime | None = None


class EventCreate(EventFields, kw_only=True, forbid_unknown_fields=True):
    organization_id: uuid.UUID


class EventUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change: absent fields stay as they are (`null` clears an optional one)."""

    slug: Slug | msgspec.UnsetType = msgspec.UNSET
    title_kk: Title | msgspec.UnsetType = msgspec.UNSET
    title_ru: Title | msgspec.UnsetType = msgspec.UNSET
    title_en: Title | msgspec.UnsetType = msgspec.UNSET
    summary_kk: Summary | msgspec.UnsetType = msgspec.UNSET
    summary_ru: Summary | msgspec.UnsetType = msgspec.UNSET
    summary_en: Summary | msgspec.UnsetType = msgspec.UNSET
    description_kk: Description | msgspec.UnsetType = msgspec.UNSET
    description_ru: Description | msgspec.UnsetType = msgspec.UNSET
    description_en: Description | msgspec.UnsetType = msgspec.UNSET
    category: EventCategory | msgspec.UnsetType = msgspec.UNSET
    tags: Tags | msgspec.UnsetType = msgspec.UNSET
    format: EventFormat | msgspec.UnsetType = msgspec.UNSET
    region: Region | msgspec.UnsetType | None = msgspec.UNSET
    venue_name_kk: VenueName | msgspec.UnsetType = msgspec.UNSET
    venue_name_ru: VenueName | msgspec.UnsetType = msgspec.UNSET
    venue_name_en: VenueName | msgspec.UnsetType = msgspec.UNSET
    venue_address_kk: Address | msgspec.UnsetType = msgspec.UNSET
    venue_address_ru: Address | msgspec.UnsetType = msgspec.UNSET
    venue_address_en: Address | msgspec.UnsetType = msgspec.UNSET
    latitude: Latitude | msgspec.UnsetType | None = msgspec.UNSET
    longitude: Longitude | msgspec.UnsetType | None = msgspec.UNSET
    online_url: Link | msgspec.UnsetType = msgspec.UNSET
    website: Link | msgspec.UnsetType = msgspec.UNSET
    cover_image_url: Link | msgspec.UnsetType = msgspec.UNSET
    time_zone: ZoneName | msgspec.UnsetType = msgspec.UNSET
    all_day: bool | msgspec.UnsetType = msgspec.UNSET
    starts_at: dt.datetime | msgspec.UnsetType | None = msgspec.UNSET
    ends_at: dt.datetime | msgspec.UnsetType | None = msgspec.UNSET
    start_date: dt.date | msgspec.UnsetType | None = msgspec.UNSET
    end_date: dt.date | msgspec.UnsetType | None = msgspec.UNSET
    rrule: RuleText | msgspec.UnsetType = msgspec.UNSET
    exdates: ExDates | msgspec.UnsetType = msgspec.UNSET
    capacity: Capacity | msgspec.UnsetType | None = msgspec.UNSET
    waitlist: bool | msgspec.UnsetType = msgspec.UNSET
    offer_hours: OfferHours | msgspec.UnsetType | None = msgspec.UNSET
    registration_opens_at: dt.datetime | msgspec.UnsetType | None = msgspec.UNSET
    registration_closes_at: dt.datetime | msgspec.UnsetType | None = msgspec.UNSET


class StatusReason(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Why an event is cancelled (in at least one language)."""

    reason_kk: Reason = ""
    reason_ru: Reason = ""
    reason_en: Reason = ""


class Postponement(StatusReason, kw_only=True, forbid_unknown_fields=True):
    """The new time (as in `EventFields`), or `date_to_be_announced`."""

    date_to_be_announced: bool = False
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class EventRecord(msgspec.Struct, kw_only=True):
    """An event as its organizer manages it: every field, every language."""

    id: uuid.UUID
    organization_id: uuid.UUID
    status: EventStatus
    slug: str
    title_kk: str
    title_ru: str
    title_en: str
    summary_kk: str
    summary_ru: str
    summary_en: str
    description_kk: str
    description_ru: str
    description_en: str
    category: EventCategory
    tags: list[str]
    format: EventFormat
    region: Region | None
    venue_name_kk: str
    venue_name_ru: str
    venue_name_en: str
    venue_address_kk: str
    venue_address_ru: str
    venue_address_en: str
    latitude: float | None
    longitude: float | None
    online_url: str
    website: str
    cover_image_url: str
    time_zone: str
    all_day: bool
    starts_at: dt.datetime
    ends_at: dt.datetime
    start_date: dt.date | None
    end_date: dt.date | None
    rrule: str
    exdates: list[dt.datetime]
    capacity: int | None
    waitlist: bool
    offer_hours: int | None
    registration_opens_at: dt.datetime | None
    registration_closes_at: dt.datetime | None
    date_to_be_announced: bool
    status_reason_kk: str
    status_reason_ru: str
    status_reason_en: str
    sequence: int
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None


class EventSummary(msgspec.Struct, kw_only=True):
    """An event as a listing shows it, in the reader's language."""

    id: uuid.UUID
    slug: str
    organization_id: uuid.UUID
    status: EventStatus
    title: LocalizedText
    summary: LocalizedText
    category: EventCategory
    tags: list[str]
    format: EventFormat
    region: Region | None
    venue_name: LocalizedText
    time_zone: str
    all_day: bool
    recurring: bool
    date_to_be_announced: bool
    cover_image_url: str
    sequence: int
    updated_at: dt.datetime


class EventListItem(msgspec.Struct, kw_only=True):
    """One occurrence in the calendar (a one-off event has exactly one)."""

    occurrence_id: uuid.UUID
    #: the occurrence's place in its series (RECURRENCE-ID); for a one-off event, its start
    original_start: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime
    cancelled: bool
    event: EventSummary


class EventPage(msgspec.Struct, kw_only=True):
    items: list[EventListItem]
    next_cursor: str | None


class Seats(msgspec.Struct, kw_only=True):
    """Registration for one occurrence, as anyone may see it (counts only, never who)."""

    #: null: no limit
    capacity: int | None
    #: null when there is no limit
    left: int | None
    waitlisted: int
    #: whether a registration now would be taken (as confirmed or waitlisted)
    open: bool
    #: when a new registration would join the waitlist
    waitlist: bool
    opens_at: dt.datetime | None
    closes_at: dt.datetime


class OccurrenceView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    original_start: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime
    cancelled: bool
    sequence: int


class UpcomingOccurrence(OccurrenceView, kw_only=True):
    """A coming date on an event's page, with its seats (null: registration not set up)."""

    seats: Seats | None


class EventDetail(EventSummary, kw_only=True):
    """One event's page: everything public about it, in the reader's language."""

    description: LocalizedText
    venue_address: LocalizedText
    status_reason: LocalizedText
    latitude: float | None
    longitude: float | None
    online_url: str
    website: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    start_date: dt.date | None
    end_date: dt.date | None
    rrule: str
    exdates: list[dt.datetime]
    #: the next occurrences (at most 50), cancelled ones included
    upcoming: list[UpcomingOccurrence]
    #: its days, tracks, rooms and speakers (the sessions: `GET /events/{event}/sessions`)
    programme: Programme
    #: its calendar (with its sessions), to add to a calendar app or subscribe to
    calendar: FeedLinks
    created_at: dt.datetime
    published_at: dt.datetime | None


class OccurrenceChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One occurrence of a recurring event moved (a new start and end, as in `EventFields`),
    cancelled, or both left as they are and `restore`d to what the rule says."""

    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    cancelled: bool | None = None
    restore: bool = False
