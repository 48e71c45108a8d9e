"""The API bodies of cohorts, their instructors and their class schedules (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec

from courses.enums import ClassStatus, CohortStatus, CourseFormat
from year2026.i18n import LocalizedText
from year2026.people.enums import Region
from year2026.text_types import Address, Link, RuleText, Title, VenueName, ZoneName

ExDates = Annotated[list[dt.datetime], msgspec.Meta(max_length=400)]
Capacity = Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]


class CohortCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new cohort of a cohort-taught course. Times without an offset are wall-clock times in
    `time_zone`; with one, they are converted to it. An in-person cohort needs its region, an
    online one its link."""

    time_zone: ZoneName = "Asia/Almaty"
    starts_at: dt.datetime
    ends_at: dt.datetime
    region: Region | None = None
    venue_name_kk: VenueName = ""
    venue_name_ru: VenueName = ""
    venue_name_en: VenueName = ""
    venue_address_kk: Address = ""
    venue_address_ru: Address = ""
    venue_address_en: Address = ""
    online_url: Link = ""
    #: seats; null: no limit
    capacity: Capacity | None = None
    #: when full, newcomers wait in order (else they are refused)
    waitlist: bool = True
    #: null: enrolment opens at once
    enrolment_opens_at: dt.datetime | None = None
    #: null: when the cohort starts (never later than its end)
    enrolment_closes_at: dt.datetime | None = None


class CohortUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change: absent fields stay as they are (`null` clears an optional one)."""

    time_zone: ZoneName | msgspec.UnsetType = msgspec.UNSET
    starts_at: dt.datetime | msgspec.UnsetType = msgspec.UNSET
    ends_at: dt.datetime | msgspec.UnsetType = msgspec.UNSET
    region: Region | msgspec.UnsetType | None = msgspec.UNSET
    venue_name_kk: VenueName | msgspec.UnsetType = msgspec.UNSET
    venue_name_ru: VenueName | msgspec.UnsetType = msgspec.UNSET
    venue_name_en: VenueName | msgspec.UnsetType = msgspec.UNSET
    venue_address_kk: Address | msgspec.UnsetType = msgspec.UNSET
    venue_address_ru: Address | msgspec.UnsetType = msgspec.UNSET
    venue_address_en: Address | msgspec.UnsetType = msgspec.UNSET
    online_url: Link | msgspec.UnsetType = msgspec.UNSET
    capacity: Capacity | msgspec.UnsetType | None = msgspec.UNSET
    waitlist: bool | msgspec.UnsetType = msgspec.UNSET
    enrolment_opens_at: dt.datetime | msgspec.UnsetType | None = msgspec.UNSET
    enrolment_closes_at: dt.datetime | msgspec.UnsetType | None = msgspec.UNSET


class CohortRecord(msgspec.Struct, kw_only=True):
    """A cohort as its provider manages it: every field, every language, times in its zone."""

    id: uuid.UUID
    course_id: uuid.UUID
    status: CohortStatus
    time_zone: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    region: Region | None
    venue_name_kk: str
    venue_name_ru: str
    venue_name_en: str
    venue_address_kk: str
    venue_address_ru: str
    venue_address_en: str
    online_url: str
    capacity: int | None
    waitlist: bool
    enrolment_opens_at: dt.datetime | None
    enrolment_closes_at: dt.datetime | None
    sequence: int
    created_at: dt.datetime
    updated_at: dt.datetime


class CohortSeats(msgspec.Struct, kw_only=True):
    """A cohort's seats as anyone may see them (counts only, never who)."""

    #: null: no limit
    capacity: int | None
    #: null when there is no limit
    left: int | None
    waitlisted: int
    #: whether an enrolment now would be taken (as confirmed or waitlisted)
    open: bool
    #: when a new enrolment would join the waitlist
    waitlist: bool
    opens_at: dt.datetime | None
    closes_at: dt.datetime


class ClassView(msgspec.Struct, kw_only=True):
    """A class of a cohort in the reader's language, times in the cohort's zone."""

    id: uuid.UUID
    status: ClassStatus
    title: LocalizedText
    #: the first (or only) meeting
    starts_at: dt.datetime
    ends_at: dt.datetime
    rrule: str
    exdates: list[dt.datetime]
    #: empty: at the cohort's venue
    place: LocalizedText
    #: empty: the cohort's link
    online_url: str
    sequence: int


class CohortDetail(msgspec.Struct, kw_only=True):
    """One cohort's page: everything public about it, in the reader's language."""

    id: uuid.UUID
    course_id: uuid.UUID
    course_format: CourseFormat
    status: CohortStatus
    time_zone: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    region: Region | None
    venue_name: LocalizedText
    venue_address: LocalizedText
    online_url: str
    seats: CohortSeats
    #: the display names of those who teach it
    instructors: list[str]
    classes: list[ClassView]
    sequence: int


class Instructor(msgspec.Struct, kw_only=True):
    """A member of the provider who teaches the cohort, as its provider sees them."""

    person_id: uuid.UUID
    name: str
    email: str | None


class ClassCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A meeting of the cohort, or a series of them (`rrule`). Times without an offset are
    wall-clock times in the cohort's zone."""

    title_kk: Title = ""
    title_ru: Title = ""
    title_en: Title = ""
    starts_at: dt.datetime
    ends_at: dt.datetime
    #: an RFC 5545 RRULE value, e.g. `FREQ=WEEKLY;BYDAY=TU` (without `RRULE:`); the start must
    #: be one of its occurrences
    rrule: RuleText = ""
    #: original starts of meetings the rule makes that do not take place
    exdates: ExDates = msgspec.field(default_factory=list)
    #: a room or an address; empty: the cohort's venue
    place_kk: Address = ""
    place_ru: Address = ""
    place_en: Address = ""
    #: empty: the cohort's link
    online_url: Link = ""


class ClassUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change: absent fields stay as they are."""

    title_kk: Title | msgspec.UnsetType = msgspec.UNSET
    title_ru: Title | msgspec.UnsetType = msgspec.UNSET
    title_en: Title | msgspec.UnsetType = msgspec.UNSET
    starts_at: dt.datetime | msgspec.UnsetType = msgspec.UNSET
    ends_at: dt.datetime | msgspec.UnsetType = msgspec.UNSET
    rrule: RuleText | msgspec.UnsetType = msgspec.UNSET
    exdates: ExDates | msgspec.UnsetType = msgspec.UNSET
    place_kk: Address | msgspec.UnsetType = msgspec.UNSET
    place_ru: Address | msgspec.UnsetType = msgspec.UNSET
    place_en: Address | msgspec.UnsetType = msgspec.UNSET
    online_url: Link | msgspec.UnsetType = msgspec.UNSET


class ClassRecord(msgspec.Struct, kw_only=True):
    """A class as its provider manages it: every language, times in the cohort's zone."""

    id: uuid.UUID
    cohort_id: uuid.UUID
    status: ClassStatus
    title_kk: str
    title_ru: str
    title_en: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    rrule: str
    exdates: list[dt.datetime]
    place_kk: str
    place_ru: str
    place_en: str
    online_url: str
    sequence: int
    created_at: dt.datetime
    updated_at: dt.datetime


class Meeting(msgspec.Struct, kw_only=True):
    """One meeting of a class, in the cohort's zone."""

    class_id: uuid.UUID
    #: the rule's own start of it (RECURRENCE-ID; what attendance is recorded against)
    original_start: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime
    #: its class (or the cohort) is cancelled
    cancelled: bool


class ClassSchedule(msgspec.Struct, kw_only=True):
    """A cohort's classes and all their meetings within its dates, in start order."""

    time_zone: str
    classes: list[ClassView]
    meetings: list[Meeting]
