"""The providers' views of who enrolled: a cohort's (or a course's) enrolments with their counts,
searchable, in keyset pages, and as a CSV file; and a cohort's attendance sheet.

Only members of the course's provider and admins see any of it (asked of the database): names and
emails are theirs to see, nobody else's. A draft's are "not found" for anyone else, a public
course's "not a member".

Decided where the issue was silent: lists are in arrival order, oldest first (the waitlist's
order); the counts ignore `q`, so they stay the totals beside a narrowed list; a course's list
(`GET /courses/{course}/enrolments`) holds all of its enrolments, self-paced or of any cohort; the
attendance sheet's rows are the confirmed learners not ended, its columns the meetings of the
classes that are not cancelled; times in CSV files are wall-clock times in the cohort's zone (a
course's: Asia/Almaty), which the header names.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.querystring import QueryString

from courses import access
from courses.classes import meetings_of
from courses.cohorts import classes_of, provided_cohort
from courses.errors import CourseNotFound
from courses.provider_schemas import (
    AttendanceLearner,
    AttendanceMeeting,
    AttendanceSheet,
    EnrolmentCounts,
    EnrolmentPage,
    ProviderEnrolment,
)
from courses.tables import DEFAULT_TIME_ZONE, Enrolment
from year2026.db import like_pattern
from year2026.i18n import Language, localized
from year2026.paging import DEFAULT_LIMIT, KeyColumn, Keyset
from year2026.seats_enums import ClaimStatus
from year2026.spreadsheets import CsvExport, csv_file, local_time

#: a cohort's or course's enrolments in arrival order
ENROLMENTS = Keyset(
    "course-enrolments",
    (KeyColumn("e.created_at", dt.datetime), KeyColumn("e.id", uuid.UUID)),
)
#: the learners of an attendance sheet, in arrival order
LEARNERS = Keyset(
    "cohort-attendance",
    (KeyColumn("e.created_at", dt.datetime), KeyColumn("e.id", uuid.UUID)),
)

_ENROLMENT_SQL = (
    "SELECT e.id, e.person, e.cohort, e.created_at, e.completed_at, e.ended_at,"
    " p.display_name, p.email, c.status, c.ended_reason,"
    " CASE WHEN c.status = 'waitlisted' THEN (SELECT count(*) FROM seat_claim w"
    "  WHERE w.pool = c.pool AND w.status = 'waitlisted' AND w.position <= c.position)"
    " END AS waitlist_position"
    " FROM course_enrolment e JOIN seat_claim c ON c.id = e.id JOIN person p ON p.id = e.person"
)
_COUNTS_SQL = (
    "SELECT count(*) FILTER (WHERE e.ended_at IS NULL AND c.status IN ('confirmed', 'offered'))"
    " AS confirmed,"
    " count(*) FILTER (WHERE e.ended_at IS NULL AND c.status = 'waitlisted') AS waitlisted,"
    " count(*) FILTER (WHERE e.ended_at IS NOT NULL) AS withdrawn,"
    " count(*) FILTER (WHERE e.completed_at IS NOT NULL) AS completed"
    " FROM course_enrolment e JOIN seat_claim c ON c.id = e.id WHERE {}"
)
_CONFIRMED = "c.status = 'confirmed' AND e.ended_at IS NULL"


@dataclass(frozen=True)
class Scope:
    """Whose enrolments: a cohort's or a whole course's, with the zone its times are shown in
    and the name its files get."""

    condition: QueryString
    time_zone: str
    filename: str


def _listing_condition(scope: Scope, q: str | None) -> QueryString:
    if not q:
        return scope.condition
    pattern = like_pattern(q)
    return QueryString(
        "{} AND (p.display_name ILIKE {} ESCAPE '\\' OR p.email ILIKE {} ESCAPE '\\')",
        scope.condition,
        pattern,
        pattern,
    )


async def cohort_scope(actor_id: uuid.UUID, cohort_id: uuid.UUID) -> Scope:
    cohort, course = await provided_cohort(actor_id, cohort_id)
    day = cohort["starts_at"].astimezone(ZoneInfo(cohort["time_zone"])).date().isoformat()
    return Scope(
        QueryString("e.cohort = {}", cohort_id),
        cohort["time_zone"],
        f"{course['slug']}-{day}-enrolments.csv",
    )


async def course_scope(actor_id: uuid.UUID, reference: str) -> Scope:
    course = await access.course_row(reference)
    if course is None:
        raise CourseNotFound
    await access.require_provider_of(actor_id, course)
    return Scope(
        QueryString("e.course = {}", course["id"]),
        DEFAULT_TIME_ZONE,
        f"{course['slug']}-enrolments.csv",
    )


def _enrolment(row: Mapping[str, Any]) -> ProviderEnrolment:
    return ProviderEnrolment(
        id=row["id"],
        person_id=row["person"],
        cohort_id=row["cohort"],
        name=row["display_name"],
        email=row["email"],
        status=ClaimStatus(row["status"]),
        waitlist_position=row["waitlist_position"],
        ended_reason=row["ended_reason"],
        created_at=row["created_at"],
        completed_at=row["completed_at"],
        ended_at=row["ended_at"],
    )


async def enrolment_page(
    scope: Scope, q: str | None, cursor: str | None, limit: int = DEFAULT_LIMIT
) -> EnrolmentPage:
    """The counts (in one statement) and one page of the scope's enrolments."""
    counts = await Enrolment.raw(_COUNTS_SQL, scope.condition)
    rows = await Enrolment.raw(
        _ENROLMENT_SQL + " WHERE {} AND {} {}",
        _listing_condition(scope, q),
        ENROLMENTS.after(cursor),
        ENROLMENTS.order_and_limit(limit),
    )
    page = ENROLMENTS.page([dict(row) for row in rows], limit)
    return EnrolmentPage(
        counts=EnrolmentCounts(**counts[0]),
        items=[_enrolment(row) for row in page.rows],
        next_cursor=page.next_cursor,
    )


async def cohort_enrolments(
    actor_id: uuid.UUID,
    cohort_id: uuid.UUID,
    q: str | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> EnrolmentPage:
    """The cohort's counts and one page of its enrolments, for its provider."""
    return await enrolment_page(await cohort_scope(actor_id, cohort_id), q, cursor, limit)


async def course_enrolments(
    actor_id: uuid.UUID,
    reference: str,
    q: str | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> EnrolmentPage:
    """The course's counts and one page of all its enrolments (self-paced, or of any cohort)."""
    return await enrolment_page(await course_scope(actor_id, reference), q, cursor, limit)


# --- CSV files -------------------------------------------------------------------------------

_ENROLMENT_HEADERS: dict[Language, tuple[str, ...]] = {
    Language.KK: (
        "Аты-жөні",
        "Эл. пошта",
        "Күйі",
        "Кезектегі орны",
        "Жазылған уақыты ({zone})",
        "Аяқтаған уақыты ({zone})",
        "Тоқтатылған уақыты ({zone})",
    ),
    Language.RU: (
        "Имя",
        "Эл. почта",
        "Статус",
        "Место в очереди",
        "Время записи ({zone})",
        "Время завершения курса ({zone})",
        "Время прекращения ({zone})",
    ),
    Language.EN: (
        "Name",
        "Email",
        "Status",
        "Waitlist position",
        "Enrolled at ({zone})",
        "Completed at ({zone})",
        "Ended at ({zone})",
    ),
}
_ATTENDANCE_HEADERS: dict[Language, tuple[str, str, str]] = {
    Language.KK: ("Аты-жөні", "Эл. пошта", "Қатысқаны"),
    Language.RU: ("Имя", "Эл. почта", "Посещено"),
    Language.EN: ("Name", "Email", "Attended"),
}


async def enrolments_csv(scope: Scope, q: str | None, language: Language) -> CsvExport:
    """Every enrolment of the scope that `q` selects, in arrival order, its header in
    `language`."""
    rows = await Enrolment.raw(
        _ENROLMENT_SQL + " WHERE {} ORDER BY e.created_at, e.id", _listing_condition(scope, q)
    )
    zone = ZoneInfo(scope.time_zone)
    return csv_file(
        scope.filename,
        [header.format(zone=scope.time_zone) for header in _ENROLMENT_HEADERS[language]],
        (
            [
                row["display_name"],
                row["email"] or "",
                row["status"],
                "" if row["waitlist_position"] is None else str(row["waitlist_position"]),
                local_time(row["created_at"], zone),
                local_time(row["completed_at"], zone),
                local_time(row["ended_at"], zone),
            ]
            for row in rows
        ),
    )


async def cohort_enrolments_csv(
    actor_id: uuid.UUID, cohort_id: uuid.UUID, q: str | None, language: Language
) -> CsvExport:
    return await enrolments_csv(await cohort_scope(actor_id, cohort_id), q, language)


async def course_enrolments_csv(
    actor_id: uuid.UUID, reference: str, q: str | None, language: Language
) -> CsvExport:
    return await enrolments_csv(await course_scope(actor_id, reference), q, language)


# --- attendance --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sheet:
    cohort: dict[str, Any]
    course: dict[str, Any]
    meetings: list[AttendanceMeeting]


async def _sheet(actor_id: uuid.UUID, cohort_id: uuid.UUID, language: Language) -> _Sheet:
    cohort, course = await provided_cohort(actor_id, cohort_id)
    zone = ZoneInfo(cohort["time_zone"])
    classes = await classes_of(cohort_id)
    by_id = {row["id"]: row for row in classes}
    meetings = [
        AttendanceMeeting(
            class_id=meeting.class_id,
            title=localized(by_id[meeting.class_id], "title", language),
            original_start=meeting.original_start.astimezone(zone),
            starts_at=meeting.starts_at.astimezone(zone),
            ends_at=meeting.ends_at.astimezone(zone),
        )
        for meeting in meetings_of(classes, cohort)
        if not meeting.cancelled
    ]
    return _Sheet(cohort, course, meetings)


async def _learners(
    rows: Sequence[Mapping[str, Any]], meetings: Sequence[AttendanceMeeting]
) -> list[AttendanceLearner]:
    """The rows of the sheet: each learner's recorded attendance (one statement for all)."""
    recorded = await Enrolment.raw(
        "SELECT enrolment, cohort_class, meeting_start, attended FROM course_class_attendance"
        " WHERE enrolment = ANY({})",
        [row["id"] for row in rows],
    )
    marks = {
        (item["enrolment"], item["cohort_class"], item["meeting_start"]): item["attended"]
        for item in recorded
    }
    learners = []
    for row in rows:
        attended = [
            marks.get((row["id"], meeting.class_id, meeting.original_start)) for meeting in meetings
        ]
        learners.append(
            AttendanceLearner(
                enrolment_id=row["id"],
                person_id=row["person"],
                name=row["display_name"],
                email=row["email"],
                attended=attended,
                attended_count=sum(1 for mark in attended if mark),
            )
        )
    return learners


async def attendance_sheet(
    actor_id: uuid.UUID,
    cohort_id: uuid.UUID,
    language: Language,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> AttendanceSheet:
    """The cohort's confirmed learners (one page) × its meetings, for its provider."""
    sheet = await _sheet(actor_id, cohort_id, language)
    rows = await Enrolment.raw(
        "SELECT e.id, e.person, e.created_at, p.display_name, p.email FROM course_enrolment e"  # noqa: S608
        f" JOIN seat_claim c ON c.id = e.id JOIN person p ON p.id = e.person"
        f" WHERE e.cohort = {{}} AND {_CONFIRMED} AND {{}} {{}}",
        cohort_id,
        LEARNERS.after(cursor),
        LEARNERS.order_and_limit(limit),
    )
    page = LEARNERS.page([dict(row) for row in rows], limit)
    return AttendanceSheet(
        time_zone=sheet.cohort["time_zone"],
        meetings=sheet.meetings,
        learners=await _learners(page.rows, sheet.meetings),
        next_cursor=page.next_cursor,
    )


async def attendance_csv(
    actor_id: uuid.UUID, cohort_id: uuid.UUID, language: Language
) -> CsvExport:
    """The whole sheet as a CSV file: a column per meeting (its title and start in the cohort's
    zone; 1 attended, 0 absent, empty not recorded), and each learner's count."""
    sheet = await _sheet(actor_id, cohort_id, language)
    rows = await Enrolment.raw(
        "SELECT e.id, e.person, e.created_at, p.display_name, p.email FROM course_enrolment e"  # noqa: S608
        f" JOIN seat_claim c ON c.id = e.id JOIN person p ON p.id = e.person"
        f" WHERE e.cohort = {{}} AND {_CONFIRMED} ORDER BY e.created_at, e.id",
        cohort_id,
    )
    learners = await _learners([dict(row) for row in rows], sheet.meetings)
    name, email, attended = _ATTENDANCE_HEADERS[language]
    header = [
        name,
        email,
        *(
            f"{meeting.title.text} {meeting.starts_at.strftime('%Y-%m-%d %H:%M')}"
            for meeting in sheet.meetings
        ),
        attended,
    ]
    marks = {True: "1", False: "0", None: ""}
    zone = sheet.cohort["time_zone"]
    day = sheet.cohort["starts_at"].astimezone(ZoneInfo(zone)).date().isoformat()
    return csv_file(
        f"{sheet.course['slug']}-{day}-attendance.csv",
        header,
        (
            [
                learner.name,
                learner.email or "",
                *(marks[mark] for mark in learner.attended),
                str(learner.attended_count),
            ]
            for learner in learners
        ),
    )
