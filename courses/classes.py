"""A cohort's class schedule: classes (one meeting, or a series by an RRULE with EXDATEs) added,
changed and cancelled by the provider, and their meetings, expanded by the platform's recurrence
(`year2026.recurrence`) in the cohort's zone, so that a weekly 18:00 class stays at 18:00 across
a change of the clocks.

Meetings are never stored: they are expanded when read, within the cohort's dates (at most
`MAX_MEETINGS` a class), so a changed rule or date is at once what every reader sees. A change a
calendar shows raises the class's `sequence`. Decided where the issue was silent: a class's
first meeting lies within the cohort's dates; one meeting lasts at most `MAX_MEETING_HOURS`; a
rule gives at most one meeting a day on average (`MAX_MEETINGS_PER_YEAR`); a cohort has at most
`MAX_CLASSES` classes; EXDATEs drop meetings (as in a calendar), while a cancelled class (or
cohort) keeps its meetings, marked cancelled.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from courses import access
from courses.cohort_errors import (
    ClassCancelled,
    ClassEndsBeforeStart,
    ClassNotFound,
    ClassOutsideCohort,
    ClassTitleRequired,
    ClassTooLong,
    CohortCancelled,
    TooManyClasses,
)
from courses.cohort_schemas import ClassCreate, ClassRecord, ClassSchedule, Meeting
from courses.cohorts import class_view, classes_of, in_zone, provided_cohort
from courses.enums import ClassStatus, CohortStatus
from courses.tables import CohortClass
from year2026 import audit, recurrence
from year2026.db import get_engine
from year2026.i18n import Language

MAX_CLASSES = 50
MAX_MEETING_HOURS = 24
MAX_MEETINGS_PER_YEAR = 366
#: the most meetings of one class read at once (a daily class over the longest cohort fits)
MAX_MEETINGS = 400
_LANGUAGES = ("kk", "ru", "en")
EDITABLE_FIELDS: tuple[str, ...] = ClassCreate.__struct_fields__
#: every field a provider edits shows in a calendar, and so does the status
CALENDAR_FIELDS = frozenset({*EDITABLE_FIELDS, "status"})


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_class(
    values: Mapping[str, Any], cohort: Mapping[str, Any], *, moved: bool = True
) -> dict[str, Any]:
    """The class's columns from its fields (times in the cohort's zone), or the error that names
    the field at fault. Only a class that is `moved` (or new) must start within the cohort's
    dates: one the cohort moved away from can still be renamed."""
    texts = {
        f"{name}_{language}": (values.get(f"{name}_{language}") or "").strip()
        for name in ("title", "place")
        for language in _LANGUAGES
    }
    if not any(texts[f"title_{language}"] for language in _LANGUAGES):
        raise ClassTitleRequired("title_kk")
    zone = ZoneInfo(cohort["time_zone"])
    starts_at, ends_at = in_zone(values["starts_at"], zone), in_zone(values["ends_at"], zone)
    if ends_at <= starts_at:
        raise ClassEndsBeforeStart("ends_at")
    if ends_at - starts_at > dt.timedelta(hours=MAX_MEETING_HOURS):
        raise ClassTooLong("ends_at", hours=MAX_MEETING_HOURS)
    if moved and not cohort["starts_at"] <= starts_at < cohort["ends_at"]:
        raise ClassOutsideCohort("starts_at")
    rule: str = (values.get("rrule") or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if rule:
        try:
            recurrence.validate_rule(rule, starts_at, max_per_year=MAX_MEETINGS_PER_YEAR)
        except recurrence.InvalidRecurrence as error:
            raise error.at("rrule") from None
    exdates = sorted({in_zone(moment, zone) for moment in values.get("exdates") or []})
    return {
        **texts,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "rrule": rule,
        "exdates": exdates if rule else [],
        "online_url": (values.get("online_url") or "").strip(),
    }


def record_of(row: Mapping[str, Any], zone: ZoneInfo) -> ClassRecord:
    fields = {name: row[name] for name in ClassRecord.__struct_fields__ if name in row}
    fields["cohort_id"] = row["cohort"]
    fields["starts_at"] = row["starts_at"].astimezone(zone)
    fields["ends_at"] = row["ends_at"].astimezone(zone)
    fields["exdates"] = [moment.astimezone(zone) for moment in row["exdates"]]
    return msgspec.convert(fields, ClassRecord, from_attributes=False, strict=False)


def _audit_view(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in (*EDITABLE_FIELDS, "status", "sequence")}


async def _cohort_for_change(actor_id: uuid.UUID, cohort_id: uuid.UUID) -> dict[str, Any]:
    cohort, _ = await access.cohort_for_change(actor_id, cohort_id)
    if cohort["status"] == CohortStatus.CANCELLED.value:
        raise CohortCancelled
    return cohort


async def create_class(actor_id: uuid.UUID, cohort_id: uuid.UUID, data: ClassCreate) -> ClassRecord:
    """A new class of the cohort (its provider's members and admins may)."""
    async with get_engine().transaction():
        cohort = await _cohort_for_change(actor_id, cohort_id)
        columns = check_class(msgspec.structs.asdict(data), cohort)
        count = await CohortClass.raw(
            "SELECT count(*) AS n FROM course_class WHERE cohort = {}", cohort_id
        )
        if count[0]["n"] >= MAX_CLASSES:
            raise TooManyClasses(limit=MAX_CLASSES)
        now = _now()
        inserted = await CohortClass.insert(
            CohortClass(
                **columns,
                id=uuid.uuid4(),
                cohort=cohort_id,
                status=ClassStatus.SCHEDULED.value,
                created_at=now,
                updated_at=now,
            )
        ).returning(*CohortClass.all_columns())
        created = dict(inserted[0])
        await audit.record_change(
            actor_id=actor_id,
            action="cohort_class.create",
            object_type="cohort_class",
            object_id=created["id"],
            before=None,
            after={**_audit_view(created), "cohort": cohort_id},
        )
    return record_of(created, ZoneInfo(cohort["time_zone"]))


async def _locked_class(cohort_id: uuid.UUID, class_id: uuid.UUID) -> dict[str, Any]:
    rows = await CohortClass.raw(
        "SELECT * FROM course_class WHERE id = {} AND cohort = {} FOR NO KEY UPDATE",
        class_id,
        cohort_id,
    )
    if not rows:
        raise ClassNotFound
    return dict(rows[0])


async def _change(
    actor_id: uuid.UUID,
    cohort_id: uuid.UUID,
    class_id: uuid.UUID,
    action: str,
    change: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]],
) -> ClassRecord:
    """Lock the cohort's course, the cohort and the class, compute the new columns with
    `change(row, cohort)`, write those that differ with the audit entry; a change that changes
    nothing writes nothing. A cancelled class changes no more."""
    async with get_engine().transaction():
        cohort = await _cohort_for_change(actor_id, cohort_id)
        zone = ZoneInfo(cohort["time_zone"])
        row = await _locked_class(cohort_id, class_id)
        if row["status"] == ClassStatus.CANCELLED.value:
            if action == "cohort_class.cancel":
                return record_of(row, zone)
            raise ClassCancelled
        new = change(row, cohort)
        changed = {name: value for name, value in new.items() if row[name] != value}
        if not changed:
            return record_of(row, zone)
        if CALENDAR_FIELDS & changed.keys():
            changed["sequence"] = row["sequence"] + 1
        changed["updated_at"] = _now()
        await CohortClass.update(
            {getattr(CohortClass, name): value for name, value in changed.items()}
        ).where(CohortClass.id == class_id)
        new_row = {**row, **changed}
        await audit.record_change(
            actor_id=actor_id,
            action=action,
            object_type="cohort_class",
            object_id=class_id,
            before=_audit_view(row),
            after=_audit_view(new_row),
        )
    return record_of(new_row, zone)


async def update_class(
    actor_id: uuid.UUID, cohort_id: uuid.UUID, class_id: uuid.UUID, changes: Mapping[str, Any]
) -> ClassRecord:
    """Apply the given fields (absent ones stay)."""
    return await _change(
        actor_id,
        cohort_id,
        class_id,
        "cohort_class.update",
        lambda row, cohort: check_class(
            {**row, **changes}, cohort, moved=bool({"starts_at", "ends_at"} & changes.keys())
        ),
    )


async def cancel_class(
    actor_id: uuid.UUID, cohort_id: uuid.UUID, class_id: uuid.UUID
) -> ClassRecord:
    """Cancel the class: its meetings stay listed, marked cancelled. Cancelling a cancelled class
    changes nothing."""
    return await _change(
        actor_id,
        cohort_id,
        class_id,
        "cohort_class.cancel",
        lambda row, cohort: {"status": ClassStatus.CANCELLED.value},
    )


# --- meetings ------------------------------------------------------------------------------


def expand_class(
    row: Mapping[str, Any],
    cohort: Mapping[str, Any],
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> list[recurrence.Occurrence]:
    """The class's meetings that overlap the window and the cohort's dates, in start order (at
    most `MAX_MEETINGS`), in the cohort's zone."""
    zone = ZoneInfo(cohort["time_zone"])
    start, end = max(window_start, cohort["starts_at"]), min(window_end, cohort["ends_at"])
    if end <= start:
        return []
    return recurrence.expand(
        start=row["starts_at"].astimezone(zone),
        end=row["ends_at"].astimezone(zone),
        zone=zone,
        rrule=row["rrule"] or None,
        exdates=[moment.astimezone(zone) for moment in row["exdates"]],
        window_start=start,
        window_end=end,
        limit=MAX_MEETINGS,
    )


def _is_cancelled(row: Mapping[str, Any], cohort: Mapping[str, Any]) -> bool:
    class_cancelled: bool = row["status"] == ClassStatus.CANCELLED.value
    return class_cancelled or cohort["status"] == CohortStatus.CANCELLED.value


def meetings_of(classes: Sequence[Mapping[str, Any]], cohort: Mapping[str, Any]) -> list[Meeting]:
    """Every meeting of the classes within the cohort's dates, in start order."""
    meetings = [
        Meeting(
            class_id=row["id"],
            original_start=_instant(item.original_start),
            starts_at=_instant(item.start),
            ends_at=_instant(item.end),
            cancelled=_is_cancelled(row, cohort),
        )
        for row in classes
        for item in expand_class(row, cohort, cohort["starts_at"], cohort["ends_at"])
    ]
    meetings.sort(key=lambda meeting: (meeting.starts_at, str(meeting.class_id)))
    return meetings


def _instant(value: dt.datetime | dt.date) -> dt.datetime:
    assert isinstance(value, dt.datetime)  # classes are timed, never all-day
    return value


async def class_schedule(
    cohort_id: uuid.UUID, viewer_id: uuid.UUID | None, language: Language
) -> ClassSchedule:
    """The cohort's classes and their meetings within its dates (in its zone), for whoever may
    see its course."""
    cohort, _ = await access.visible_cohort(cohort_id, viewer_id)
    zone = ZoneInfo(cohort["time_zone"])
    classes = await classes_of(cohort_id)
    return ClassSchedule(
        time_zone=cohort["time_zone"],
        classes=[class_view(row, zone, language) for row in classes],
        meetings=meetings_of(classes, cohort),
    )


async def get_class(actor_id: uuid.UUID, cohort_id: uuid.UUID, class_id: uuid.UUID) -> ClassRecord:
    """The whole class in every language, for the cohort's provider."""
    cohort, _ = await provided_cohort(actor_id, cohort_id)
    rows = await CohortClass.raw(
        "SELECT * FROM course_class WHERE id = {} AND cohort = {}", class_id, cohort_id
    )
    if not rows:
        raise ClassNotFound
    return record_of(dict(rows[0]), ZoneInfo(cohort["time_zone"]))
