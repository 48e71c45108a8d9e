"""The API bodies of the providers' views: enrolments with their counts, and attendance sheets."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from year2026.i18n import LocalizedText
from year2026.seats_enums import ClaimStatus


class EnrolmentCounts(msgspec.Struct, kw_only=True):
    """How many enrolments are in each state. `confirmed` and `waitlisted` count those not
    ended, by their seat claim; `withdrawn` those ended (withdrawn, cancelled with their cohort,
    or erased); `completed` those completed (which also count as confirmed while not ended)."""

    confirmed: int
    waitlisted: int
    withdrawn: int
    completed: int


class ProviderEnrolment(msgspec.Struct, kw_only=True):
    """One person's enrolment as the course's provider sees it."""

    id: uuid.UUID
    person_id: uuid.UUID
    #: null: self-paced
    cohort_id: uuid.UUID | None
    #: empty once the person has asked to be forgotten
    name: str
    email: str | None
    #: its seat claim's: confirmed, waitlisted, or cancelled once ended
    status: ClaimStatus
    #: 1 for the next person to get a seat (waitlisted only)
    waitlist_position: int | None
    #: why it ended (`withdrawn`, `cancelled-by-organizer`, `erased`); empty
    ended_reason: str
    created_at: dt.datetime
    completed_at: dt.datetime | None
    ended_at: dt.datetime | None


class EnrolmentPage(msgspec.Struct, kw_only=True):
    """The counts of the cohort (or course), and one page of its enrolments in arrival order."""

    counts: EnrolmentCounts
    items: list[ProviderEnrolment]
    next_cursor: str | None


class AttendanceMeeting(msgspec.Struct, kw_only=True):
    """A column of the sheet: one meeting of a class that is not cancelled, in the cohort's
    zone."""

    class_id: uuid.UUID
    title: LocalizedText
    #: what attendance is recorded against (the rule's own start of the meeting)
    original_start: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime


class AttendanceLearner(msgspec.Struct, kw_only=True):
    """A row of the sheet: a confirmed learner and what was recorded for each meeting."""

    enrolment_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    email: str | None
    #: one per meeting, in the sheet's order: attended, absent, or null (nothing recorded)
    attended: list[bool | None]
    #: how many of the sheet's meetings they attended
    attended_count: int


class AttendanceSheet(msgspec.Struct, kw_only=True):
    """Confirmed learners (one page, in arrival order) × the cohort's meetings."""

    time_zone: str
    meetings: list[AttendanceMeeting]
    learners: list[AttendanceLearner]
    next_cursor: str | None
