"""Recurring items: an RFC 5545 RRULE with excluded dates and changed or cancelled single
occurrences, expanded in the wall-clock time of an IANA zone, with bounded work for any input.
Events and course classes both use it.

The rule itself is python-dateutil's `rrule`. Around it:
- the RRULE text is read strictly (`rules.py`: RFC 5545 §3.3.10's names, values, ranges and
  combinations), so what dateutil would guess at is refused with a reason in kk/ru/en, and a
  rule's occurrences in a year are bounded from its parts alone, without expanding it;
- expansion is in local wall-clock time: dateutil gets a naive local start and each result is
  placed in the zone, so a weekly 18:00 Europe/Berlin meeting stays at 18:00 across a DST change
  while its UTC time moves by an hour. A wall-clock time the zone skips (spring forward) is read
  with the offset before the gap, so 02:30 becomes 03:30 summer time; one the zone has twice (fall
  back) is the first, summer-time one; both as RFC 5545 §3.3.5 says. Two rule times that land on one
  instant that way are one occurrence;
- every dateutil search is bounded (`search.py`), whatever the rule and the window; for that,
  FREQ=MINUTELY and SECONDLY, and BYSETPOS with HOURLY, are refused (dateutil walks through them
  minute by minute or hour by hour, for minutes, when they are sparse).

Durations: a timed item keeps its exact length (RFC 5545 §3.8.5.3: with DTEND "the same exact
duration" applies to every occurrence), so a two-hour meeting lasts two hours on the night the
clocks change and the wall-clock time of its end moves instead. An all-day item (dates, the end
exclusive as DTEND;VALUE=DATE) keeps its number of days.

The start is the rule's first occurrence: `validate_rule` refuses a start the rule would not produce
itself (RFC 5545 wants them in step), so "FREQ=WEEKLY;BYDAY=TU" needs a Tuesday. EXDATEs and
override keys are matched on the original start's instant (its date for all-day items); an EXDATE
wins over an override of the same occurrence; an override whose key is not an occurrence of the
rule (or is past its UTC UNTIL or COUNT) is ignored, as calendar programs ignore a RECURRENCE-ID
that names no occurrence.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from zoneinfo import ZoneInfo

import tzdata

from year2026.recurrence.errors import InvalidRecurrence, UnknownTimeZone
from year2026.recurrence.rules import (
    MAX_COUNT,
    MAX_INTERVAL,
    MAX_RULE_LENGTH,
    SHOWN,
    Rule,
    most_per_year,
    plainly_out_of_step,
    read_rule,
    too_fine,
)
from year2026.recurrence.search import starts

__all__ = [
    "MAX_COUNT",
    "MAX_INTERVAL",
    "MAX_OCCURRENCES_PER_YEAR",
    "MAX_RULE_LENGTH",
    "MAX_ZONE_NAME_LENGTH",
    "InvalidRecurrence",
    "Occurrence",
    "Override",
    "UnknownTimeZone",
    "expand",
    "parse_zone",
    "validate_rule",
    "zone_database",
]

#: more than this many occurrences in a year is refused: two a day (732) pass, three (1,098) and
#: hourly (8,784) do not. Equal to expand()'s default limit, so a year of one rule fits one call.
MAX_OCCURRENCES_PER_YEAR = 1000
#: the longest zone name accepted (the longest IANA name has 32 characters)
MAX_ZONE_NAME_LENGTH = 64

_UTC = dt.UTC
_DAY = dt.timedelta(days=1)
#: the ends of wall-clock time, naive
_EARLIEST = dt.datetime.combine(dt.date.min, dt.time.min)
_LATEST = dt.datetime.combine(dt.date.max, dt.time.max)
_NO_OVERRIDES: Mapping[dt.date, Override] = MappingProxyType({})


@dataclass(frozen=True)
class Override:
    """A change of one occurrence, keyed (in `expand`'s `overrides`) by its original start."""

    #: the new start and end; they may move the occurrence into or out of any window
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    cancelled: bool = False


@dataclass(frozen=True)
class Occurrence:
    #: the rule's own start of this occurrence: what RECURRENCE-ID names
    original_start: dt.datetime | dt.date
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    #: an Override applied (start and end are the override's)
    overridden: bool
    #: a cancelled single occurrence, kept so that feeds can say so
    cancelled: bool


# ---- zones ---------------------------------------------------------------------------------------


@functools.cache
def _zone_names() -> frozenset[str]:
    # "Factory" is tzdata's placeholder for "not configured", not a place
    return frozenset(zoneinfo.available_timezones()) - {"Factory"}


def parse_zone(name: str) -> ZoneInfo:
    """The zone of an IANA name (`Asia/Almaty`), from the tzdata package."""
    if len(name) > MAX_ZONE_NAME_LENGTH or name not in _zone_names():
        raise UnknownTimeZone(zone=name[:SHOWN])
    return ZoneInfo(name)


def zone_database() -> str:
    """Which time-zone database zoneinfo reads, as `year2026 check` prints it."""
    if zoneinfo.TZPATH:  # only if something undid the reset in year2026/__init__.py
        return f"tzdata {tzdata.IANA_VERSION}, but system files first: {':'.join(zoneinfo.TZPATH)}"
    return f"tzdata {tzdata.IANA_VERSION} (the tzdata package; system zone files are not read)"


# ---- rules ---------------------------------------------------------------------------------------


def validate_rule(
    rrule: str,
    start: dt.datetime | dt.date,
    *,
    max_per_year: int = MAX_OCCURRENCES_PER_YEAR,
    zone: ZoneInfo | None = None,
) -> None:
    """Refuse, with the reason, an RRULE value ("FREQ=WEEKLY;BYDAY=TU", no "RRULE:") that does not
    parse, does not suit the start (a date start needs a date UNTIL, a timed one a UTC UNTIL; the
    start must be the rule's first occurrence), has COUNT or INTERVAL above their caps, or could
    give more than `max_per_year` occurrences in a year-long span; and FREQ=MINUTELY or SECONDLY
    (`rules.too_fine`), and BYSETPOS with HOURLY, whose searches dateutil cannot keep short. Costs
    no expansion: the count a year is bounded from the rule's parts (`rules.most_per_year`).

    A timed start is read in `zone`'s wall-clock time when given (as `expand` will read it), else
    in its own tzinfo's."""
    all_day = not isinstance(start, dt.datetime)
    if isinstance(start, dt.datetime):
        if start.utcoffset() is None:
            raise ValueError("a timed start must be an aware datetime")
        start = start if zone is None else start.astimezone(zone)
    wall = _naive(start)
    rule = read_rule(rrule, all_day=all_day)
    if rule.until is not None and rule.until < start:
        raise InvalidRecurrence("until-before-start")
    per_year = most_per_year(rule, wall)
    if per_year > max_per_year:
        raise InvalidRecurrence("too-many-per-year", per_year=per_year, limit=max_per_year)
    if too_fine(rule):
        raise InvalidRecurrence("frequency-too-fine")
    if plainly_out_of_step(rule, wall) or next(starts(rule, wall, wall, wall), None) != wall:
        raise InvalidRecurrence("start-not-in-rule")


def expand(
    *,
    start: dt.datetime | dt.date,
    end: dt.datetime | dt.date,
    zone: ZoneInfo,
    rrule: str | None,
    exdates: Iterable[dt.datetime | dt.date] = (),
    overrides: Mapping[dt.datetime | dt.date, Override] = _NO_OVERRIDES,
    window_start: dt.datetime,
    window_end: dt.datetime,
    limit: int = 1000,
) -> list[Occurrence]:
    """The occurrences that overlap [window_start, window_end) (aware instants; an all-day
    occurrence covers its dates' local midnights to midnights in `zone`), in start order, at most
    `limit` of them (the earliest). A non-recurring item (`rrule` None) is one occurrence.

    Only the window is expanded, and as much before it as the item lasts (an occurrence that began
    earlier and still goes on is in). A changed occurrence is where its override moved it: in the
    window though its original start is not, and out of it though its original start is in.
    Timed values come back in `zone`; exdates and override keys must be of the start's kind (aware
    datetimes for a timed item, dates for an all-day one).
    """
    item = _Item.of(start, end, zone)
    earliest, latest = _utc(window_start, "window_start"), _utc(window_end, "window_end")
    if limit < 1 or latest <= earliest:
        return []
    rule = None if rrule is None else read_rule(rrule, all_day=item.all_day)
    if rule is not None and too_fine(rule):
        raise InvalidRecurrence("frequency-too-fine")
    excluded = {item.key(value) for value in exdates}
    changes = {item.key(key): change for key, change in overrides.items()}

    lower = _minus(_wall_clock(_minus(earliest, item.length), zone), _DAY)
    upper = _plus(_wall_clock(latest, zone), _DAY)
    if rule is not None and rule.until is not None:
        upper = min(upper, _plus(item.wall_of(rule.until), _DAY))
    found: list[Occurrence] = []
    looked_at: set[dt.date] = set()
    unchanged = 0
    cutoff = _LATEST
    for wall in item.starts(rule, lower, upper):
        if wall > cutoff:
            break
        key = item.key_at(wall)
        if key in looked_at or not _before_until(rule, key):
            continue
        looked_at.add(key)
        if key in excluded:
            continue
        occurrence = item.occurrence(key, changes.get(key))
        if not item.overlaps(occurrence, earliest, latest):
            continue
        found.append(occurrence)
        if not occurrence.overridden:
            unchanged += 1
            if unchanged == limit:
                # the rest start later, but a spring-forward gap can reorder times within a day
                cutoff = _plus(wall, _DAY)
    for key, change in changes.items():
        if key in looked_at or key in excluded:
            continue
        occurrence = item.occurrence(key, change)
        if item.overlaps(occurrence, earliest, latest) and item.is_occurrence(rule, key):
            found.append(occurrence)
    found.sort(key=lambda o: (item.instant(o.start), item.instant(o.original_start)))
    return found[:limit]


# ---- one item's times ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """An item's start, length and zone, and how its values become keys, instants and back."""

    zone: ZoneInfo
    all_day: bool
    #: the start as given (in `zone` for a timed item)
    first: dt.date
    #: its wall-clock start, naive (midnight for an all-day item)
    wall: dt.datetime
    #: exact for a timed item, whole days for an all-day one
    length: dt.timedelta

    @classmethod
    def of(cls, start: dt.date, end: dt.date, zone: ZoneInfo) -> _Item:
        if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
            raise TypeError("start and end must both be dates or both be datetimes")
        if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
            first = _utc(start, "start").astimezone(zone)
            item = cls(zone, False, first, _naive(first), _utc(end, "end") - _utc(first, "start"))
        else:
            days = dt.timedelta(days=(end - start).days)
            item = cls(zone, True, start, dt.datetime.combine(start, dt.time()), days)
        if item.length < dt.timedelta(0):
            raise ValueError("the end is before the start")
        return item

    def starts(
        self, rule: Rule | None, lower: dt.datetime, upper: dt.datetime
    ) -> Iterator[dt.datetime]:
        if rule is not None:
            yield from starts(rule, self.wall, lower, upper)
        elif lower <= self.wall <= upper:
            yield self.wall

    def key(self, value: dt.date) -> dt.date:
        """What an exdate or an override key given by the caller is matched on."""
        if self.all_day:
            if isinstance(value, dt.datetime):
                raise TypeError("an all-day item's exdates and override keys are dates")
            return value
        if not isinstance(value, dt.datetime):
            raise TypeError("a timed item's exdates and override keys are datetimes")
        return _utc(value, "an exdate or override key")

    def key_at(self, wall: dt.datetime) -> dt.date:
        """The key of the occurrence the rule starts at this wall-clock time."""
        if self.all_day:
            return wall.date()
        if wall == self.wall:
            return _utc(self.first, "start")  # exactly as given, also in the second of two 02:30s
        return wall.replace(tzinfo=self.zone).astimezone(_UTC)

    def wall_of(self, key: dt.date) -> dt.datetime:
        if isinstance(key, dt.datetime):
            return _wall_clock(key, self.zone)
        return dt.datetime.combine(key, dt.time())

    def occurrence(self, key: dt.date, change: Override | None) -> Occurrence:
        original = key.astimezone(self.zone) if isinstance(key, dt.datetime) else key
        if change is None:
            return Occurrence(original, original, self._end(original), False, False)
        start, end = self._own(change.start), self._own(change.end)
        return Occurrence(original, start, end, True, change.cancelled)

    def _end(self, start: dt.date) -> dt.date:
        if isinstance(start, dt.datetime):
            return (start.astimezone(_UTC) + self.length).astimezone(self.zone)
        return start + self.length

    def _own(self, value: dt.date) -> dt.date:
        if self.all_day:
            if isinstance(value, dt.datetime):
                raise TypeError("an all-day item's overrides have dates")
            return value
        if not isinstance(value, dt.datetime):
            raise TypeError("a timed item's overrides have datetimes")
        return _utc(value, "an override's time").astimezone(self.zone)

    def instant(self, value: dt.date) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value.astimezone(_UTC)
        return dt.datetime.combine(value, dt.time(), tzinfo=self.zone).astimezone(_UTC)

    def overlaps(self, occurrence: Occurrence, earliest: dt.datetime, latest: dt.datetime) -> bool:
        start, end = self.instant(occurrence.start), self.instant(occurrence.end)
        if start == end:  # a moment: in the window if it falls in it
            return earliest <= start < latest
        return start < latest and end > earliest

    def is_occurrence(self, rule: Rule | None, key: dt.date) -> bool:
        if not _before_until(rule, key):
            return False
        wall = self.wall_of(key)
        lower, upper = _minus(wall, _DAY), _plus(wall, _DAY)
        return any(self.key_at(found) == key for found in self.starts(rule, lower, upper))


def _before_until(rule: Rule | None, key: dt.date) -> bool:
    return rule is None or rule.until is None or key <= rule.until


# ---- small conversions ---------------------------------------------------------------------------


def _naive(value: dt.date) -> dt.datetime:
    """A start's own wall-clock time, naive (midnight for a date)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time())


def _utc(value: dt.date, name: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return value.astimezone(_UTC)


def _wall_clock(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    try:
        return instant.astimezone(zone).replace(tzinfo=None)
    except OverflowError:
        return _LATEST if instant.year > 1 else _EARLIEST


def _minus(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    try:
        return moment - delta
    except OverflowError:
        return dt.datetime.min.replace(tzinfo=moment.tzinfo)


def _plus(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    try:
        return moment + delta
    except OverflowError:
        return dt.datetime.max.replace(tzinfo=moment.tzinfo)
