"""The API bodies of enrolment (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import msgspec

from year2026.i18n import LocalizedText


class EnrolmentStatus(enum.StrEnum):
    """What a learner's enrolment is now: its seat claim's state, or its completion."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    #: ended before completion (withdrawn, the cohort cancelled, the person erased):
    #: `ended_reason` says which
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"


class Enrolment(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    course_id: uuid.UUID
    course_slug: str
    course_title: LocalizedText
    #: null: self-paced
    cohort_id: uuid.UUID | None
    status: EnrolmentStatus
    #: 1 for the next person to get a seat (waitlisted only): how many wait ahead, itself
    #: included
    waitlist_position: int | None
    #: why it ended (`withdrawn`, `cancelled-by-organizer`, `erased`); empty while it has not
    ended_reason: str
    created_at: dt.datetime
    ended_at: dt.datetime | None
    completed_at: dt.datetime | None
