"""Writing iCalendar (RFC 5545) with `icalendar`: one VEVENT's bytes from a `CalendarItem`, a
VTIMEZONE for each zone, and a whole VCALENDAR around already written VEVENTs.

Components are written once and kept as bytes (`publishing.py` stores them as fragments), so a
feed of 5,000 events is joined from its parts, not written again. icalendar folds lines at 75
octets without splitting a UTF-8 character and ends them with CRLF; the feed tests read the
bytes back to hold it to that.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
    vRecur,
    vText,
)

from year2026.calendar.items import CalendarItem, ItemStatus

PRODUCT_ID = "-//year2026//Year of Digitalization and Artificial Intelligence 2026//EN"
#: what VTIMEZONEs describe: from before the platform's first events to well past its last
#: (Asia/Almaty moved from UTC+6 to UTC+5 on 2024-03-01: both sides are in this window)
ZONE_WINDOW = (dt.date(2020, 1, 1), dt.date(2036, 1, 1))
UTC_NAMES = frozenset({"UTC", "Etc/UTC"})
_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True, slots=True)
class FeedHeader:
    """What a calendar says about itself."""

    #: X-WR-CALNAME and NAME (RFC 7986): what a calendar app calls the subscription
    name: str
    #: the language its texts are in (kk, ru, en)
    language: str
    #: REFRESH-INTERVAL and X-PUBLISHED-TTL: how often a client should fetch it again
    refresh_minutes: int
    #: the page the calendar is about (RFC 7986 URL), when there is one
    url: str = ""


def _local(instant: dt.datetime, zone_name: str) -> dt.datetime:
    if zone_name in UTC_NAMES:
        return instant.astimezone(dt.UTC)
    return instant.astimezone(ZoneInfo(zone_name))


def _date_in(instant: dt.datetime, zone_name: str) -> dt.date:
    return _local(instant, zone_name).date()


def uses_zone(item: CalendarItem) -> str | None:
    """The TZID `item` is written with (so that the calendar carries its VTIMEZONE), if any."""
    if item.dates is not None or item.time_zone in UTC_NAMES:
        return None
    return item.time_zone


def component(item: CalendarItem, organizer_address: str) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", item.updated_at.astimezone(dt.UTC))
    event.add("last-modified", item.updated_at.astimezone(dt.UTC))
    event.add("sequence", item.sequence)
    if item.dates is not None:
        first, last = item.dates
        event.add("dtstart", first)
        event.add("dtend", last + dt.timedelta(days=1))
    else:
        event.add("dtstart", _local(item.starts_at, item.time_zone))
        event.add("dtend", _local(item.ends_at, item.time_zone))
    if item.recurrence_id is not None:
        if item.dates is not None:
            event.add("recurrence-id", _date_in(item.recurrence_id, item.time_zone))
        else:
            event.add("recurrence-id", _local(item.recurrence_id, item.time_zone))
    if item.rrule:
        event.add("rrule", vRecur.from_ical(item.rrule))
        if item.exdates:
            if item.dates is not None:
                event.add("exdate", [_date_in(start, item.time_zone) for start in item.exdates])
            else:
                event.add("exdate", [_local(start, item.time_zone) for start in item.exdates])
    event.add("status", item.status.value)
    event.add("summary", item.summary)
    if item.description:
        event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    if item.geo is not None:
        event.add("geo", item.geo)
    if item.url:
        event.add("url", item.url)
    if item.organizer:
        organizer = vCalAddress(f"mailto:{organizer_address}")
        organizer.params["cn"] = vText(item.organizer)
        event.add("organizer", organizer)
    if item.categories:
        event.add("categories", list(item.categories))
    if item.related_to:
        event.add("related-to", item.related_to)
    if item.alarm_minutes is not None and item.status is not ItemStatus.CANCELLED:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.summary)
        alarm.add("trigger", dt.timedelta(minutes=-item.alarm_minutes))
        event.add_component(alarm)
    return event


def component_bytes(item: CalendarItem, organizer_address: str) -> bytes:
    """The VEVENT of `item`, folded, CRLF-ended, UTF-8."""
    written: bytes = component(item, organizer_address).to_ical()
    return written


#: what a zone says at an instant: its offset, its name, whether it is summer time
_ZoneState = tuple[dt.timedelta, str, bool]


def _zone_state(zone: ZoneInfo, instant: dt.datetime) -> _ZoneState:
    local = instant.astimezone(zone)
    offset = local.utcoffset()
    assert offset is not None  # an aware time in a ZoneInfo always has one
    return offset, local.tzname() or "", bool(local.dst())


def _zone_changes(zone: ZoneInfo) -> list[tuple[dt.datetime, _ZoneState, _ZoneState]]:
    """(the instant, the state before, the state from then on) for the start of `ZONE_WINDOW`
    and each change within it, found day by day and then to the second."""
    first, last = (
        dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC) for day in ZONE_WINDOW
    )
    changes = [(first, _zone_state(zone, first), _zone_state(zone, first))]
    day, second = dt.timedelta(days=1), dt.timedelta(seconds=1)
    instant = first
    while instant < last:
        before, after = instant, instant + day
        if _zone_state(zone, before) != _zone_state(zone, after):
            while after - before > second:
                middle = before + (after - before) // 2
                if _zone_state(zone, middle) == _zone_state(zone, before):
                    before = middle
                else:
                    after = middle
            changes.append((after, _zone_state(zone, before), _zone_state(zone, after)))
        instant += day
    return changes


@functools.lru_cache(maxsize=64)
def timezone_bytes(zone_name: str) -> bytes:
    """The VTIMEZONE of an IANA zone over `ZONE_WINDOW`, from the tzdata package's rules: one
    STANDARD or DAYLIGHT for each change, its DTSTART the wall-clock time the change happens at,
    read in the offset before it (RFC 5545 §3.6.5).

    Not RDATE lists, as `Timezone.from_tzinfo` writes them: ical.js and vobject read only the
    first value of an RDATE line (and ical.js drops the DTSTART of a sub-component with RDATEs),
    so from the window's third year on both read every summer as winter.
    """
    zone = ZoneInfo(zone_name)
    timezone = Timezone()
    timezone.add("tzid", zone_name)
    for instant, (offset_before, _, _), (offset, name, summer) in _zone_changes(zone):
        part = TimezoneDaylight() if summer else TimezoneStandard()
        part.add("dtstart", (instant + offset_before).replace(tzinfo=None))
        part.add("tzname", name)
        part.add("tzoffsetfrom", offset_before)
        part.add("tzoffsetto", offset)
        timezone.add_component(part)
    return timezone.to_ical()  # type: ignore[no-any-return]


def header_bytes(header: FeedHeader) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", header.name)
    calendar.add("x-wr-calname", header.name)
    if header.url:
        calendar.add("url", header.url)
    refresh = dt.timedelta(minutes=header.refresh_minutes)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    text: bytes = calendar.to_ical()
    return text[: -len(_END)]


def calendar_bytes(header: FeedHeader, zones: Iterable[str], components: Iterable[bytes]) -> bytes:
    """A whole VCALENDAR: the header, a VTIMEZONE for each zone used, then the components."""
    parts = [header_bytes(header)]
    parts.extend(timezone_bytes(zone) for zone in sorted(set(zones)))
    parts.extend(components)
    parts.append(_END)
    return b"".join(parts)


def items_calendar(header: FeedHeader, items: Iterable[CalendarItem], organizer: str) -> bytes:
    """A VCALENDAR of `items`, written now (for the small feeds: one event, one person)."""
    listed = list(items)
    zones = [zone for zone in map(uses_zone, listed) if zone is not None]
    return calendar_bytes(header, zones, (component_bytes(item, organizer) for item in listed))
