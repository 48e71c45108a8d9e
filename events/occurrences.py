"""The occurrences of events, kept as rows so that listings are one SQL statement and a person can
register for one time of a recurring event.

A one-off event has one occurrence, whose row (and id) stays the same when the event moves. A
recurring event's rule is expanded by the platform (`year2026.recurrence`) up to a horizon,
`HORIZON_DAYS` ahead of today: a rule without an end is never expanded forever. Occurrences the
organizer moved or cancelled one by one (`overridden`) keep their changes when the rule is
expanded again; those the rule no longer makes go.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from events import access
from events.registration_errors import OccurrencesHaveRegistrations
from events.tables import Occurrence
from year2026 import recurrence, seats
from year2026.db import get_engine

#: how far ahead a recurring event's occurrences are kept as rows
HORIZON_DAYS = 550
#: the most occurrences one event keeps as rows (a daily rule over the horizon fits)
MAX_ROWS = 1000


def horizon(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=HORIZON_DAYS)


def as_instant(value: dt.datetime | dt.date, zone: ZoneInfo) -> dt.datetime:
    """An occurrence time as an instant (an all-day one's date at the zone's midnight)."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), zone)


def expand_schedule(
    row: Mapping[str, Any],
    overrides: Mapping[dt.datetime, recurrence.Override],
    until: dt.datetime,
    limit: int = MAX_ROWS,
) -> list[recurrence.Occurrence]:
    """The occurrences of an event row from its start until `until` (at most `limit`)."""
    zone = ZoneInfo(row["time_zone"])
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    if row["all_day"]:
        start, end = row["start_date"], row["end_date"] + dt.timedelta(days=1)
        exdates: list[dt.datetime | dt.date] = [
            value.astimezone(zone).date() for value in row["exdates"]
        ]
        keyed: dict[dt.datetime | dt.date, recurrence.Override] = {
            key.astimezone(zone).date(): value for key, value in overrides.items()
        }
    else:
        start, end = row["starts_at"].astimezone(zone), row["ends_at"].astimezone(zone)
        exdates = [value.astimezone(zone) for value in row["exdates"]]
        keyed = {key.astimezone(zone): value for key, value in overrides.items()}
    return recurrence.expand(
        start=start,
        end=end,
        zone=zone,
        rrule=row["rrule"] or None,
        exdates=exdates,
        overrides=keyed,
        window_start=row["starts_at"],
        window_end=until,
        limit=limit,
    )


async def refresh_occurrences(row: Mapping[str, Any], now: dt.datetime) -> None:
    """Bring the event's occurrence rows in line with its schedule; inside the transaction that
    changed the event (whose row it holds locked)."""
    event_id: uuid.UUID = row["id"]
    if not row["rrule"]:
        await _keep_single_occurrence(event_id, row["starts_at"], row["ends_at"])
        return
    zone = ZoneInfo(row["time_zone"])
    kept = await Occurrence.select().where(
        Occurrence.event == event_id, Occurrence.overridden.eq(True)
    )
    overrides = {
        item["original_start"]: recurrence.Override(
            start=item["starts_at"], end=item["ends_at"], cancelled=item["cancelled"]
        )
        for item in kept
    }
    occurrences = expand_schedule(row, overrides, horizon(now))
    originals = [as_instant(item.original_start, zone) for item in occurrences]
    await _delete_occurrences(
        "DELETE FROM event_occurrence WHERE event = {} AND NOT (original_start = ANY({}))"
        " RETURNING id",
        event_id,
        originals,
    )
    plain = [item for item in occurrences if not item.overridden]
    if plain:
        await Occurrence.raw(
            "INSERT INTO event_occurrence (id, event, original_start, starts_at, ends_at,"
            " overridden, cancelled, sequence, updated_at)"
            " SELECT gen_random_uuid(), {}, original_start, starts_at, ends_at, false, false, 0,"
            " now() FROM unnest({}::timestamptz[], {}::timestamptz[], {}::timestamptz[])"
            " AS t(original_start, starts_at, ends_at)"
            " ON CONFLICT (event, original_start) DO UPDATE"
            " SET starts_at = excluded.starts_at, ends_at = excluded.ends_at, updated_at = now()"
            " WHERE NOT event_occurrence.overridden AND (event_occurrence.starts_at,"
            " event_occurrence.ends_at) IS DISTINCT FROM (excluded.starts_at, excluded.ends_at)",
            event_id,
            [as_instant(item.original_start, zone) for item in plain],
            [as_instant(item.start, zone) for item in plain],
            [as_instant(item.end, zone) for item in plain],
        )


async def _delete_occurrences(sql: str, *args: object) -> None:
    """Remove occurrences (and their seat pools); one that people registered for is never
    removed by a schedule change: the change is refused (the organizer cancels the date)."""
    try:
        deleted = await Occurrence.raw(sql, *args)
    except asyncpg.ForeignKeyViolationError:
        raise OccurrencesHaveRegistrations from None
    await seats.delete_pools([row["id"] for row in deleted])


async def _keep_single_occurrence(
    event_id: uuid.UUID, starts_at: dt.datetime, ends_at: dt.datetime
) -> None:
    """A one-off event's occurrence follows the event: the same row, moved with it."""
    # once recurring and now not: only the first occurrence stays (its id too)
    await _delete_occurrences(
        "DELETE FROM event_occurrence WHERE event = {} AND id <> (SELECT id FROM"
        " event_occurrence WHERE event = {} ORDER BY original_start LIMIT 1) RETURNING id",
        event_id,
        event_id,
    )
    moved = await Occurrence.raw(
        "UPDATE event_occurrence SET original_start = {}, starts_at = {}, ends_at = {},"
        " overridden = false, cancelled = false, updated_at = now()"
        " WHERE event = {} RETURNING id",
        starts_at,
        starts_at,
        ends_at,
        event_id,
    )
    if not moved:
        await Occurrence.insert(
            Occurrence(
                id=uuid.uuid4(),
                event=event_id,
                original_start=starts_at,
                starts_at=starts_at,
                ends_at=ends_at,
            )
        )


async def extend_horizons(now: dt.datetime) -> int:
    """Expand the rules of recurring events whose series goes on past the stored horizon, so that
    their rows always reach `HORIZON_DAYS` ahead (a daily job; running it twice changes nothing
    the second time). How many events were looked at."""

    rows = await Occurrence.raw(
        "SELECT id FROM event WHERE rrule <> '' AND (series_ends_at IS NULL OR series_ends_at > {})"
        " ORDER BY id",
        now,
    )
    for item in rows:
        async with get_engine().transaction():
            locked = await access.event_row(str(item["id"]), lock=True)
            if locked is not None:
                await refresh_occurrences(locked, now)
    return len(rows)
