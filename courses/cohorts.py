"""Cohorts of cohort-taught courses: made, changed and cancelled by the provider's members (and
admins), with their instructors; and the public page of one.

Every change locks the course and then the cohort (`courses.access.cohort_for_change`), writes
the cohort, brings its seat pool in line (`courses.seating.sync_cohort_pool`: more seats seat
the first people waiting at once, fewer than are held is refused) and writes its audit entry,
all in one transaction. A change a calendar shows (time, zone, place, link, status) raises the
cohort's `sequence`.

Decided where the issue was silent: a cohort lasts at most `MAX_COHORT_DAYS`; an online cohort
needs its link and has no region, an in-person one needs its region; a cancelled cohort changes
no more (its classes are cancelled with it, so calendars can say so); instructors must be members
of the provider itself (an admin who is not a member is not one).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from courses import access, seating
from courses.cohort_errors import (
    CohortCancelled,
    CohortEndsBeforeStart,
    CohortRegionRequired,
    CohortTooLong,
    EnrolmentWindowBackwards,
    InstructorNotAMember,
    OnlineCohortHasNoRegion,
    OnlineLinkRequired,
    SelfPacedHasNoCohorts,
)
from courses.cohort_schemas import (
    ClassView,
    CohortCreate,
    CohortDetail,
    CohortRecord,
    CohortSeats,
    Instructor,
)
from courses.enums import ClassStatus, CohortStatus, CourseFormat
from courses.errors import CohortNotFound, CourseNotFound
from courses.tables import Cohort, CohortClass, CohortInstructor
from year2026 import audit, recurrence, seats
from year2026.db import get_engine
from year2026.exceptions import InvalidInput
from year2026.i18n import Language, localized
from year2026.people import queries as people
from year2026.people.errors import PersonNotFound
from year2026.seats_enums import EndedReason

MAX_COHORT_DAYS = 366
_LANGUAGES = ("kk", "ru", "en")
#: the fields a provider edits (CohortCreate), as columns
EDITABLE_FIELDS: tuple[str, ...] = CohortCreate.__struct_fields__
#: fields whose change a calendar shows: each raises `sequence`
CALENDAR_FIELDS = frozenset(
    {
        "time_zone",
        "starts_at",
        "ends_at",
        "region",
        "online_url",
        "status",
        *(f"venue_name_{language}" for language in _LANGUAGES),
        *(f"venue_address_{language}" for language in _LANGUAGES),
    }
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def in_zone(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A wall-clock time (no offset) is in the cohort's zone; an instant is converted to it."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def zone_of(values: Mapping[str, Any]) -> ZoneInfo:
    try:
        return recurrence.parse_zone(values["time_zone"])
    except InvalidInput as error:
        raise error.at("time_zone") from None


def check_cohort(values: Mapping[str, Any], course_format: CourseFormat) -> dict[str, Any]:
    """The cohort's columns from its fields, or the error that names the field at fault."""
    zone = zone_of(values)
    starts_at, ends_at = in_zone(values["starts_at"], zone), in_zone(values["ends_at"], zone)
    if ends_at <= starts_at:
        raise CohortEndsBeforeStart("ends_at")
    if ends_at - starts_at > dt.timedelta(days=MAX_COHORT_DAYS):
        raise CohortTooLong("ends_at", days=MAX_COHORT_DAYS)
    region = getattr(values.get("region"), "value", values.get("region"))
    online_url = (values.get("online_url") or "").strip()
    if course_format is CourseFormat.IN_PERSON and region is None:
        raise CohortRegionRequired("region")
    if course_format is CourseFormat.COHORT_ONLINE:
        if region is not None:
            raise OnlineCohortHasNoRegion("region")
        if not online_url:
            raise OnlineLinkRequired("online_url")
    opens, closes = (
        None if values.get(name) is None else in_zone(values[name], zone)
        for name in ("enrolment_opens_at", "enrolment_closes_at")
    )
    if opens is not None and closes is not None and closes <= opens:
        raise EnrolmentWindowBackwards("enrolment_closes_at")
    texts = {
        name: (values.get(name) or "").strip()
        for language in _LANGUAGES
        for name in (f"venue_name_{language}", f"venue_address_{language}")
    }
    return {
        "time_zone": values["time_zone"],
        "starts_at": starts_at,
        "ends_at": ends_at,
        "region": region,
        **texts,
        "online_url": online_url,
        "capacity": values.get("capacity"),
        "waitlist": bool(values.get("waitlist", True)),
        "enrolment_opens_at": opens,
        "enrolment_closes_at": closes,
    }


def record_of(row: Mapping[str, Any]) -> CohortRecord:
    zone = ZoneInfo(row["time_zone"])
    fields = {name: row[name] for name in CohortRecord.__struct_fields__ if name in row}
    fields["course_id"] = row["course"]
    for name in ("starts_at", "ends_at", "enrolment_opens_at", "enrolment_closes_at"):
        fields[name] = None if row[name] is None else row[name].astimezone(zone)
    return msgspec.convert(fields, CohortRecord, from_attributes=False, strict=False)


def _audit_view(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in (*EDITABLE_FIELDS, "status", "sequence")}


async def create_cohort(
    actor_id: uuid.UUID, course_reference: str, data: CohortCreate, *, demo: bool = False
) -> CohortRecord:
    """A new cohort of the course, with its seat pool (open while the course is published and
    the enrolment window is); `demo` marks the demo content of `year2026 demo`."""
    async with get_engine().transaction():
        course = await access.course_for_change(actor_id, course_reference)
        course_format = CourseFormat(course["format"])
        if course_format is CourseFormat.SELF_PACED:
            raise SelfPacedHasNoCohorts
        columns = check_cohort(msgspec.structs.asdict(data), course_format)
        now = _now()
        inserted = await Cohort.insert(
            Cohort(
                **columns,
                id=uuid.uuid4(),
                course=course["id"],
                status=CohortStatus.SCHEDULED.value,
                is_demo=demo,
                created_at=now,
                updated_at=now,
            )
        ).returning(*Cohort.all_columns())
        created = dict(inserted[0])
        await seating.sync_cohort_pool(course, created, now, actor_id)
        await audit.record_change(
            actor_id=actor_id,
            action="cohort.create",
            object_type="cohort",
            object_id=created["id"],
            before=None,
            after={**_audit_view(created), "course": course["id"]},
        )
    return record_of(created)


async def _write(
    actor_id: uuid.UUID,
    action: str,
    course: Mapping[str, Any],
    row: Mapping[str, Any],
    new: Mapping[str, Any],
    now: dt.datetime,
) -> dict[str, Any]:
    """Write the changed columns of the cohort (locked), sync its pool, audit it; the new row."""
    changed = {name: value for name, value in new.items() if row[name] != value}
    if not changed:
        return dict(row)
    if CALENDAR_FIELDS & changed.keys():
        changed["sequence"] = row["sequence"] + 1
    changed["updated_at"] = now
    await Cohort.update({getattr(Cohort, name): value for name, value in changed.items()}).where(
        Cohort.id == row["id"]
    )
    new_row = {**row, **changed}
    await seating.sync_cohort_pool(course, new_row, now, actor_id)
    await audit.record_change(
        actor_id=actor_id,
        action=action,
        object_type="cohort",
        object_id=row["id"],
        before=_audit_view(row),
        after=_audit_view(new_row),
    )
    return new_row


async def update_cohort(
    actor_id: uuid.UUID, cohort_id: uuid.UUID, changes: Mapping[str, Any]
) -> CohortRecord:
    """Apply the given fields (absent ones stay). More seats seat the first people waiting at
    once; fewer than are held is refused (`CapacityBelowEnrolled`)."""
    async with get_engine().transaction():
        row, course = await access.cohort_for_change(actor_id, cohort_id)
        if row["status"] == CohortStatus.CANCELLED.value:
            raise CohortCancelled
        new = check_cohort({**row, **changes}, CourseFormat(course["format"]))
        written = await _write(actor_id, "cohort.update", course, row, new, _now())
    return record_of(written)


async def cancel_cohort(actor_id: uuid.UUID, cohort_id: uuid.UUID) -> CohortRecord:
    """Cancel the cohort: its pool closes first (so no seat that frees goes to anyone), then every
    enrolment not ended is ended (`cancelled-by-organizer`) and its classes are cancelled, in one
    transaction. Cancelling a cancelled cohort changes nothing."""
    async with get_engine().transaction():
        row, course = await access.cohort_for_change(actor_id, cohort_id)
        if row["status"] == CohortStatus.CANCELLED.value:
            return record_of(row)
        now = _now()
        written = await _write(
            actor_id, "cohort.cancel", course, row, {"status": CohortStatus.CANCELLED.value}, now
        )
        enrolments = await Cohort.raw(
            "SELECT id FROM course_enrolment WHERE cohort = {} AND ended_at IS NULL"
            " ORDER BY created_at, id",
            cohort_id,
        )
        for enrolment in enrolments:
            await seating.end_enrolment(
                enrolment["id"], EndedReason.CANCELLED_BY_ORGANIZER, now, actor_id
            )
        cancelled = await CohortClass.raw(
            "UPDATE course_class SET status = {}, sequence = sequence + 1, updated_at = {}"
            " WHERE cohort = {} AND status = {} RETURNING id",
            ClassStatus.CANCELLED.value,
            now,
            cohort_id,
            ClassStatus.SCHEDULED.value,
        )
        for item in cancelled:
            await audit.record_change(
                actor_id=actor_id,
                action="cohort_class.cancel",
                object_type="cohort_class",
                object_id=item["id"],
                before={"status": ClassStatus.SCHEDULED.value},
                after={"status": ClassStatus.CANCELLED.value},
            )
    return record_of(written)


async def provided_cohort(
    actor_id: uuid.UUID, cohort_id: uuid.UUID
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The cohort and its course, unlocked, if the actor is of its provider (or an admin): a
    draft's cohort is not found for anyone else, a public one's is refused (`NotAMember`)."""
    cohort = await access.cohort_row(cohort_id)
    if cohort is None:
        raise CohortNotFound
    course = await access.course_row(str(cohort["course"]))
    if course is None:
        raise CohortNotFound
    try:
        await access.require_provider_of(actor_id, course)
    except CourseNotFound:
        raise CohortNotFound from None
    return cohort, course


async def get_cohort_record(actor_id: uuid.UUID, cohort_id: uuid.UUID) -> CohortRecord:
    """The whole cohort in every language, for its provider."""
    cohort, _ = await provided_cohort(actor_id, cohort_id)
    return record_of(cohort)


# --- the public page ---------------------------------------------------------------------


def _seats(
    pool: Mapping[str, Any] | None, cohort: Mapping[str, Any], now: dt.datetime
) -> CohortSeats:
    closes_at = seating.cohort_closes_at(cohort)
    if pool is None:  # every cohort is made with its pool; this only keeps the page up
        pool = {"capacity": cohort["capacity"], "taken": 0, "waitlisted": 0, "open": False}
        pool |= {"waitlist": cohort["waitlist"], "opens_at": None, "closes_at": closes_at}
    opens_at = pool["opens_at"]
    capacity = pool["capacity"]
    return CohortSeats(
        capacity=capacity,
        left=None if capacity is None else max(capacity - pool["taken"], 0),
        waitlisted=pool["waitlisted"],
        open=bool(pool["open"]) and (opens_at is None or opens_at <= now) and now < closes_at,
        waitlist=pool["waitlist"],
        opens_at=opens_at,
        closes_at=pool["closes_at"],
    )


def class_view(row: Mapping[str, Any], zone: ZoneInfo, language: Language) -> ClassView:
    return ClassView(
        id=row["id"],
        status=ClassStatus(row["status"]),
        title=localized(row, "title", language),
        starts_at=row["starts_at"].astimezone(zone),
        ends_at=row["ends_at"].astimezone(zone),
        rrule=row["rrule"],
        exdates=[moment.astimezone(zone) for moment in row["exdates"]],
        place=localized(row, "place", language),
        online_url=row["online_url"],
        sequence=row["sequence"],
    )


async def classes_of(cohort_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await CohortClass.raw(
        "SELECT * FROM course_class WHERE cohort = {} ORDER BY starts_at, id", cohort_id
    )
    return [dict(row) for row in rows]


async def view_cohort(
    cohort_id: uuid.UUID, viewer_id: uuid.UUID | None, language: Language
) -> CohortDetail:
    """The cohort's page, if the viewer may see its course: its dates and place in its zone, its
    seats, its instructors' names and its classes."""
    cohort, course = await access.visible_cohort(cohort_id, viewer_id)
    zone = ZoneInfo(cohort["time_zone"])
    pool = await seats.pool_row(cohort_id)
    names = await CohortInstructor.raw(
        "SELECT p.display_name FROM course_cohort_instructor i JOIN person p ON p.id = i.person"
        " WHERE i.cohort = {} ORDER BY p.display_name, p.id",
        cohort_id,
    )
    classes = await classes_of(cohort_id)
    return CohortDetail(
        id=cohort["id"],
        course_id=course["id"],
        course_format=CourseFormat(course["format"]),
        status=CohortStatus(cohort["status"]),
        time_zone=cohort["time_zone"],
        starts_at=cohort["starts_at"].astimezone(zone),
        ends_at=cohort["ends_at"].astimezone(zone),
        region=cohort["region"],
        venue_name=localized(cohort, "venue_name", language),
        venue_address=localized(cohort, "venue_address", language),
        online_url=cohort["online_url"],
        seats=_seats(pool, cohort, _now()),
        instructors=[row["display_name"] for row in names],
        classes=[class_view(row, zone, language) for row in classes],
        sequence=cohort["sequence"],
    )


# --- instructors -------------------------------------------------------------------------


async def _instructors(cohort_id: uuid.UUID) -> list[Instructor]:
    rows = await CohortInstructor.raw(
        "SELECT p.id, p.display_name, p.email FROM course_cohort_instructor i"
        " JOIN person p ON p.id = i.person WHERE i.cohort = {} ORDER BY p.display_name, p.id",
        cohort_id,
    )
    return [
        Instructor(person_id=row["id"], name=row["display_name"], email=row["email"])
        for row in rows
    ]


async def list_instructors(actor_id: uuid.UUID, cohort_id: uuid.UUID) -> list[Instructor]:
    """Who teaches the cohort, for its provider."""
    await provided_cohort(actor_id, cohort_id)
    return await _instructors(cohort_id)


async def add_instructor(
    actor_id: uuid.UUID, cohort_id: uuid.UUID, person_id: uuid.UUID
) -> list[Instructor]:
    """Make a member of the provider an instructor of the cohort (again: nothing changes); the
    cohort's instructors."""
    async with get_engine().transaction():
        cohort, course = await access.cohort_for_change(actor_id, cohort_id)
        if cohort["status"] == CohortStatus.CANCELLED.value:
            raise CohortCancelled
        if await people.person_row(person_id) is None:
            raise PersonNotFound
        if not await people.is_member(person_id, course["organization"]):
            raise InstructorNotAMember
        added = await CohortInstructor.raw(
            "INSERT INTO course_cohort_instructor (id, cohort, person) VALUES ({}, {}, {})"
            " ON CONFLICT (cohort, person) DO NOTHING RETURNING id",
            uuid.uuid4(),
            cohort_id,
            person_id,
        )
        if added:
            await audit.record_change(
                actor_id=actor_id,
                action="cohort.instructor_add",
                object_type="cohort",
                object_id=cohort_id,
                before=None,
                after={"instructor": person_id},
            )
    return await _instructors(cohort_id)


async def remove_instructor(
    actor_id: uuid.UUID, cohort_id: uuid.UUID, person_id: uuid.UUID
) -> list[Instructor]:
    """The person no longer teaches the cohort (one who did not: nothing changes); the cohort's
    instructors. What they recorded stays theirs."""
    async with get_engine().transaction():
        await access.cohort_for_change(actor_id, cohort_id)
        removed = await CohortInstructor.raw(
            "DELETE FROM course_cohort_instructor WHERE cohort = {} AND person = {} RETURNING id",
            cohort_id,
            person_id,
        )
        if removed:
            await audit.record_change(
                actor_id=actor_id,
                action="cohort.instructor_remove",
                object_type="cohort",
                object_id=cohort_id,
                before={"instructor": person_id},
                after=None,
            )
    return await _instructors(cohort_id)
