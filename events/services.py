"""The event calendar's rules: organizations publish events, and change, postpone or cancel them.

Every function that changes an event takes the acting person's id and checks, in the database,
that they belong to the event's organization (or are an admin); the change, its occurrences and
its audit entry are one transaction. A change a calendar shows (time, place, title, status) raises
the event's `sequence` (RFC 5545 SEQUENCE), so feeds and invitations can tell a newer version.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import msgspec

from events import access, occurrences, seating
from events.enums import EventFormat, EventStatus
from events.errors import (
    CoordinatesIncomplete,
    EndsBeforeStart,
    EventNotFound,
    InvalidTag,
    NotRecurring,
    OccurrenceNotFound,
    OnlineHasNoRegion,
    ReasonRequired,
    RegionRequired,
    RegistrationWindowBackwards,
    SlugTaken,
    StatusChangeRefused,
    TimeRequired,
    TitleRequired,
    TooLong,
)
from events.schemas import (
    EventCreate,
    EventRecord,
    OccurrenceChange,
    OccurrenceView,
    Postponement,
    StatusReason,
)
from events.tables import Event, Occurrence
from year2026 import audit, recurrence
from year2026.db import get_engine
from year2026.exceptions import InvalidInput
from year2026.people import organizations

#: the longest a single occurrence may last
MAX_EVENT_DAYS = 92
_TAG = re.compile(r"^[\w-]{1,40}$")
_LANGUAGES = ("kk", "ru", "en")

#: fields whose change a calendar shows: each raises `sequence`
CALENDAR_FIELDS = frozenset(
    {
        *(f"title_{language}" for language in _LANGUAGES),
        *(f"venue_name_{language}" for language in _LANGUAGES),
        *(f"venue_address_{language}" for language in _LANGUAGES),
        "summary_kk",
        "summary_ru",
        "summary_en",
        "format",
        "region",
        "latitude",
        "longitude",
        "online_url",
        "time_zone",
        "all_day",
        "starts_at",
        "ends_at",
        "start_date",
        "end_date",
        "rrule",
        "exdates",
        "status",
        "date_to_be_announced",
    }
)
#: fields that decide when the event takes place (its occurrences follow them)
SCHEDULE_FIELDS = frozenset(
    {"time_zone", "all_day", "starts_at", "ends_at", "start_date", "end_date", "rrule", "exdates"}
)
#: fields the event's seat pools follow (`events.seating`)
SEATING_FIELDS = SCHEDULE_FIELDS | seating.REGISTRATION_FIELDS | {"status", "date_to_be_announced"}
#: the fields an organizer edits (EventFields), as columns
EDITABLE_FIELDS: tuple[str, ...] = tuple(
    name for name in EventCreate.__struct_fields__ if name != "organization_id"
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Schedule:
    """When an event takes place, checked and in the columns' terms."""

    time_zone: str
    all_day: bool
    starts_at: dt.datetime
    ends_at: dt.datetime
    start_date: dt.date | None
    end_date: dt.date | None
    rrule: str
    exdates: list[dt.datetime]

    def columns(self) -> dict[str, Any]:
        return {
            "time_zone": self.time_zone,
            "all_day": self.all_day,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "rrule": self.rrule,
            "exdates": self.exdates,
        }


def _in_zone(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A wall-clock time (no offset) is in the event's zone; an instant is converted to it."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def check_schedule(values: Mapping[str, Any]) -> Schedule:
    """The event's times from its fields, or the error that names the field at fault."""
    zone_name: str = values["time_zone"]
    try:
        zone = recurrence.parse_zone(zone_name)
    except InvalidInput as error:
        raise error.at("time_zone") from None
    all_day = bool(values["all_day"])
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    if all_day:
        start_date, end_date = values.get("start_date"), values.get("end_date")
        if start_date is None or end_date is None:
            raise TimeRequired("start_date" if start_date is None else "end_date")
        if end_date < start_date:
            raise EndsBeforeStart("end_date")
        starts_at = dt.datetime.combine(start_date, dt.time(), zone)
        ends_at = dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time(), zone)
    else:
        start, end = values.get("starts_at"), values.get("ends_at")
        if start is None or end is None:
            raise TimeRequired("starts_at" if start is None else "ends_at")
        starts_at, ends_at = _in_zone(start, zone), _in_zone(end, zone)
        if ends_at <= starts_at:
            raise EndsBeforeStart("ends_at")
    if ends_at - starts_at > dt.timedelta(days=MAX_EVENT_DAYS):
        raise TooLong("end_date" if all_day else "ends_at", days=MAX_EVENT_DAYS)
    rule: str = (values.get("rrule") or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if rule:
        try:
            recurrence.validate_rule(rule, start_date if all_day and start_date else starts_at)
        except recurrence.InvalidRecurrence as error:
            raise error.at("rrule") from None
    exdates = sorted({_in_zone(moment, zone) for moment in values.get("exdates") or []})
    return Schedule(
        time_zone=zone_name,
        all_day=all_day,
        starts_at=starts_at,
        ends_at=ends_at,
        start_date=start_date,
        end_date=end_date,
        rrule=rule,
        exdates=exdates if rule else [],
    )


def _series_end(row: Mapping[str, Any]) -> dt.datetime | None:
    """When the last occurrence ends; None for a rule without an end."""
    if not row["rrule"]:
        return row["ends_at"]  # type: ignore[no-any-return]
    parts = {part.split("=", 1)[0].upper() for part in row["rrule"].split(";") if "=" in part}
    if not parts & {"COUNT", "UNTIL"}:
        return None
    # a finite rule may still run longer than anything is kept for: taken as endless then, so
    # that the daily job keeps carrying its rows forward
    far = row["starts_at"] + dt.timedelta(days=366 * 100)
    expanded = occurrences.expand_schedule(row, {}, far, limit=recurrence.MAX_COUNT + 1)
    zone = ZoneInfo(row["time_zone"])
    ends = [occurrences.as_instant(item.end, zone) for item in expanded]
    if len(expanded) > recurrence.MAX_COUNT or max(ends, default=far) > far - dt.timedelta(
        days=366
    ):
        return None
    return max(ends, default=row["ends_at"])


def check_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The event's non-time fields, checked and normalized (tags lower-cased, once each)."""
    if not any(values.get(f"title_{language}") for language in _LANGUAGES):
        raise TitleRequired("title_kk")
    event_format = EventFormat(values["format"])
    if event_format is EventFormat.ONLINE and values.get("region") is not None:
        raise OnlineHasNoRegion("region")
    if event_format is not EventFormat.ONLINE and values.get("region") is None:
        raise RegionRequired("region")
    if (values.get("latitude") is None) != (values.get("longitude") is None):
        raise CoordinatesIncomplete("longitude" if values.get("longitude") is None else "latitude")
    tags: list[str] = []
    for tag in values.get("tags") or []:
        normalized = tag.strip().lower()
        if not _TAG.fullmatch(normalized):
            raise InvalidTag("tags")
        if normalized not in tags:
            tags.append(normalized)
    zone = ZoneInfo(values["time_zone"])  # checked by check_schedule first
    window = {
        name: None if values.get(name) is None else _in_zone(values[name], zone)
        for name in ("registration_opens_at", "registration_closes_at")
    }
    opens, closes = window["registration_opens_at"], window["registration_closes_at"]
    if opens is not None and closes is not None and closes <= opens:
        raise RegistrationWindowBackwards("registration_closes_at")
    return {
        **{name: values[name] for name in values if name in EDITABLE_FIELDS},
        "tags": tags,
        "slug": values["slug"],
        **window,
    }


def _stored(values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values as Piccolo stores them (enums by value, texts trimmed)."""
    stored: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str) and name != "rrule":
            value = value.strip()
        stored[name] = getattr(value, "value", value)
    return stored


def record_of(row: Mapping[str, Any]) -> EventRecord:
    zone = ZoneInfo(row["time_zone"])
    fields = {name: row[name] for name in EventRecord.__struct_fields__ if name in row}
    fields["organization_id"] = row["organization"]
    fields["starts_at"] = row["starts_at"].astimezone(zone)
    fields["ends_at"] = row["ends_at"].astimezone(zone)
    fields["exdates"] = [moment.astimezone(zone) for moment in row["exdates"]]
    return msgspec.convert(fields, EventRecord, from_attributes=False, strict=False)


def _audit_view(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in (*EDITABLE_FIELDS, "status", "sequence") if name in row}


async def create_event(
    actor_id: uuid.UUID, data: EventCreate, *, demo: bool = False
) -> EventRecord:
    """A new draft event of the organization (its members and admins may); `demo` marks the
    demo content of `year2026 demo`."""
    values = msgspec.structs.asdict(data)
    schedule = check_schedule(values)
    fields = check_fields(values)
    now = _now()
    row: dict[str, Any] = {
        **_stored(fields),
        **schedule.columns(),
        "id": uuid.uuid4(),
        "organization": data.organization_id,
        "status": EventStatus.DRAFT.value,
        "is_demo": demo,
    }
    row["series_ends_at"] = _series_end(row)
    async with get_engine().transaction():
        await organizations.get_organization(data.organization_id)  # 404 rather than a bad row
        await organizations.require_member_or_admin(actor_id, data.organization_id)
        try:
            inserted = await Event.insert(Event(**row, created_at=now, updated_at=now)).returning(
                *Event.all_columns()
            )
        except asyncpg.UniqueViolationError as error:
            raise SlugTaken().at("slug") from error
        created = dict(inserted[0])
        await occurrences.refresh_occurrences(created, now)
        await seating.sync_event_pools(created, now, actor_id)
        await audit.record_change(
            actor_id=actor_id,
            action="event.create",
            object_type="event",
            object_id=created["id"],
            before=None,
            after=_audit_view(created),
        )
    return record_of(created)


async def _apply(
    actor_id: uuid.UUID,
    reference: str,
    action: str,
    change: Any,
) -> EventRecord:
    """Lock the event, check the actor, compute the new row with `change(row)`, write it with
    its occurrences and audit entry; a change that changes nothing writes nothing."""
    async with get_engine().transaction():
        row = await access.event_for_change(actor_id, reference)
        event_id: uuid.UUID = row["id"]
        changed: dict[str, Any] = change(row)
        changed = {name: value for name, value in changed.items() if row.get(name) != value}
        if not changed:
            return record_of(row)
        now = _now()
        if CALENDAR_FIELDS & changed.keys():
            changed["sequence"] = row["sequence"] + 1
        changed["updated_at"] = now
        if changed.get("status") == EventStatus.PUBLISHED.value and not row["published_at"]:
            changed["published_at"] = now
        new_row = {**row, **changed}
        if SCHEDULE_FIELDS & changed.keys():
            new_row["series_ends_at"] = changed["series_ends_at"] = _series_end(new_row)
        try:
            await Event.update(
                {getattr(Event, name): value for name, value in changed.items()}
            ).where(Event.id == event_id)
        except asyncpg.UniqueViolationError as error:
            raise SlugTaken().at("slug") from error
        if SCHEDULE_FIELDS & changed.keys():
            await occurrences.refresh_occurrences(new_row, now)
        if SEATING_FIELDS & changed.keys():
            await seating.sync_event_pools(new_row, now, actor_id)
        await audit.record_change(
            actor_id=actor_id,
            action=action,
            object_type="event",
            object_id=event_id,
            before=_audit_view(row),
            after=_audit_view(new_row),
        )
    return record_of(new_row)


async def update_event(
    actor_id: uuid.UUID, reference: str, changes: Mapping[str, Any]
) -> EventRecord:
    """Apply the given fields (absent ones stay). Giving a postponed event a time again clears
    "date to be announced"."""

    def change(row: dict[str, Any]) -> dict[str, Any]:
        merged = {**row, **changes}
        schedule = check_schedule(merged)
        fields = check_fields(merged)
        new = {**_stored(fields), **schedule.columns()}
        if row["date_to_be_announced"] and SCHEDULE_FIELDS & changes.keys():
            new["date_to_be_announced"] = False
        return new

    return await _apply(actor_id, reference, "event.update", change)


async def publish_event(actor_id: uuid.UUID, reference: str) -> EventRecord:
    """A draft (or a postponed event with its new time) becomes public; publishing a published
    event changes nothing."""

    def change(row: dict[str, Any]) -> dict[str, Any]:
        status = EventStatus(row["status"])
        if status is EventStatus.CANCELLED or (
            status is EventStatus.POSTPONED and row["date_to_be_announced"]
        ):
            raise StatusChangeRefused(current=status.value)
        return {"status": EventStatus.PUBLISHED.value}

    return await _apply(actor_id, reference, "event.publish", change)


def _reason(data: StatusReason) -> dict[str, str]:
    reasons = {
        f"status_reason_{language}": getattr(data, f"reason_{language}").strip()
        for language in _LANGUAGES
    }
    if not any(reasons.values()):
        raise ReasonRequired("reason_kk")
    return reasons


async def postpone_event(actor_id: uuid.UUID, reference: str, data: Postponement) -> EventRecord:
    """A public event moves to a new time, or to "date to be announced"; with a reason."""
    reasons = _reason(data)

    def change(row: dict[str, Any]) -> dict[str, Any]:
        status = EventStatus(row["status"])
        if status not in (EventStatus.PUBLISHED, EventStatus.POSTPONED):
            raise StatusChangeRefused(current=status.value)
        new: dict[str, Any] = {"status": EventStatus.POSTPONED.value, **reasons}
        if data.date_to_be_announced:
            new["date_to_be_announced"] = True
            return new
        times = {
            name: getattr(data, name)
            for name in ("starts_at", "ends_at", "start_date", "end_date")
            if getattr(data, name) is not None
        }
        if not times:
            raise TimeRequired("end_date" if row["all_day"] else "starts_at")
        schedule = check_schedule({**row, **times})
        return {**new, **schedule.columns(), "date_to_be_announced": False}

    return await _apply(actor_id, reference, "event.postpone", change)


async def cancel_event(actor_id: uuid.UUID, reference: str, data: StatusReason) -> EventRecord:
    """A public event is called off, with a reason; it stays visible (as cancelled), so that
    calendars that show it can say so."""
    reasons = _reason(data)

    def change(row: dict[str, Any]) -> dict[str, Any]:
        status = EventStatus(row["status"])
        if status is EventStatus.CANCELLED:
            return {}
        if status is EventStatus.DRAFT:
            raise StatusChangeRefused(current=status.value)
        return {"status": EventStatus.CANCELLED.value, **reasons}

    return await _apply(actor_id, reference, "event.cancel", change)


async def get_event_record(actor_id: uuid.UUID, reference: str) -> EventRecord:
    """The whole event, every language, for its organizer."""
    row = await access.event_row(reference)
    if row is None:
        raise EventNotFound
    await access.require_organizer_of(actor_id, row)
    return record_of(row)


async def change_occurrence(
    actor_id: uuid.UUID, reference: str, occurrence_id: uuid.UUID, data: OccurrenceChange
) -> OccurrenceView:
    """Move or cancel one occurrence of a recurring event (RECURRENCE-ID: its original start
    stays its key), or restore it to what the rule says. Raises the occurrence's sequence."""
    async with get_engine().transaction():
        row = await access.event_for_change(actor_id, reference)
        if not row["rrule"]:
            raise NotRecurring("starts_at")
        found = await Occurrence.raw(
            "SELECT id, original_start, starts_at, ends_at, overridden, cancelled, sequence"
            " FROM event_occurrence WHERE id = {} AND event = {} FOR NO KEY UPDATE",
            occurrence_id,
            row["id"],
        )
        if not found:
            raise OccurrenceNotFound
        current = dict(found[0])
        zone = ZoneInfo(row["time_zone"])
        if data.restore:
            length = row["ends_at"] - row["starts_at"]
            new = {
                "starts_at": current["original_start"],
                "ends_at": current["original_start"] + length,
                "cancelled": False,
                "overridden": False,
            }
        else:
            starts_at = (
                current["starts_at"] if data.starts_at is None else _in_zone(data.starts_at, zone)
            )
            ends_at = current["ends_at"] if data.ends_at is None else _in_zone(data.ends_at, zone)
            if data.starts_at is not None and data.ends_at is None:
                ends_at = starts_at + (current["ends_at"] - current["starts_at"])
            if ends_at <= starts_at:
                raise EndsBeforeStart("ends_at")
            if ends_at - starts_at > dt.timedelta(days=MAX_EVENT_DAYS):
                raise TooLong("ends_at", days=MAX_EVENT_DAYS)
            cancelled = current["cancelled"] if data.cancelled is None else data.cancelled
            new = {
                "starts_at": starts_at,
                "ends_at": ends_at,
                "cancelled": cancelled,
                "overridden": True,
            }
        changed = {name: value for name, value in new.items() if current[name] != value}
        if not changed:
            return _occurrence_view(current, zone)
        changed["sequence"] = current["sequence"] + 1
        changed["updated_at"] = _now()
        await Occurrence.update(
            {getattr(Occurrence, name): value for name, value in changed.items()}
        ).where(Occurrence.id == occurrence_id)
        updated = {**current, **changed}
        await seating.sync_event_pools(row, changed["updated_at"], actor_id)
        await audit.record_change(
            actor_id=actor_id,
            action="occurrence.restore" if data.restore else "occurrence.update",
            object_type="occurrence",
            object_id=occurrence_id,
            before=current,
            after=updated,
        )
    return _occurrence_view(updated, zone)


def _occurrence_view(row: Mapping[str, Any], zone: ZoneInfo) -> OccurrenceView:
    return OccurrenceView(
        id=row["id"],
        original_start=row["original_start"].astimezone(zone),
        starts_at=row["starts_at"].astimezone(zone),
        ends_at=row["ends_at"].astimezone(zone),
        cancelled=row["cancelled"],
        sequence=row["sequence"],
    )
