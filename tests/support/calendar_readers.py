"""Our feeds as calendar software nobody on the team wrote reads them.

Each consumer reads a feed's bytes and answers plain data to compare with what a test expects:

- `read_with_icaljs`: ical.js, the parser Thunderbird uses (npm, pinned in package-lock.json),
  run by node on `icaljs_read.mjs`; it expands each series itself (RRULE, EXDATE and the
  RECURRENCE-ID overrides), as Thunderbird would show it, in the document's own VTIMEZONEs (a
  calendar app may prefer its built-in rules for a zone it knows; ical.js alone does not);
- `read_with_vobject`: vobject with validation on; it expands a series' RRULE less its EXDATEs
  (vobject has no notion of overrides: those are VEVENTs of their own);
- `read_with_icalendar`: icalendar's parser, which expands nothing (and, rather than raising,
  notes what it could not parse on each component: any such note is a failure here);
- `read_with_recurring_ical_events`: the instances recurring-ical-events finds in a window.

Times come back in UTC (a `datetime` with `dt.UTC`) or, for all-day items, as dates. And
`assert_wire_format` holds the bytes to RFC 5545's line rules, which parsers are lenient about.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import icalendar
import recurring_ical_events
import vobject

REPO_ROOT = Path(__file__).resolve().parents[2]
ICALJS_SCRIPT = REPO_ROOT / "tests" / "support" / "icaljs_read.mjs"
LINE_LIMIT = 75
#: the start of a content line: a name, then its parameters or its value
CONTENT_LINE = re.compile(rb"[A-Za-z0-9-]+[;:]")

#: a DATE-TIME in UTC, or a DATE (all-day items)
Instant = dt.datetime | dt.date
#: [start, end): occurrences are those whose (original) start falls in it
Window = tuple[dt.datetime, dt.datetime]


class ConsumerComplaint(AssertionError):
    """A consumer refused, or complained about, what we wrote."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: Instant
    end: Instant
    status: str | None


@dataclass(frozen=True, slots=True)
class ReadEvent:
    """One VEVENT as a consumer read it."""

    uid: str
    recurrence_id: Instant | None
    summary: str
    status: str | None
    sequence: int
    #: its own DTSTART and DTEND
    start: Instant
    end: Instant
    #: the occurrences the consumer expands in the window (an override's: none, its series
    #: holds it); None when the consumer expands nothing
    occurrences: tuple[Occurrence, ...] | None
    #: each VALARM's TRIGGER, relative to the start
    alarms: tuple[dt.timedelta, ...]


class Instance(NamedTuple):
    """One occurrence as recurring-ical-events lists it."""

    uid: str
    start: Instant
    status: str | None
    summary: str


def _utc(value: Instant) -> Instant:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ConsumerComplaint(f"a floating time, {value}: no instant to compare")
        return value.astimezone(dt.UTC)
    return value


def _as_datetime(value: Instant) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def _in_window(start: Instant, window: Window) -> bool:
    return window[0] <= _as_datetime(start) < window[1]


def _from_json_instant(text: str) -> Instant:
    if "T" not in text:
        return dt.date.fromisoformat(text)
    return _utc(dt.datetime.fromisoformat(text))


# --- ical.js ----------------------------------------------------------------------------------


def read_with_icaljs(body: bytes, window: Window) -> list[ReadEvent]:
    """The VEVENTs as ical.js reads them, with the occurrences it expands in `window`."""

    def iso(instant: dt.datetime) -> str:
        return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    finished = subprocess.run(
        ["node", str(ICALJS_SCRIPT), iso(window[0]), iso(window[1])],
        input=body,
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=30,
        check=False,
    )
    if finished.returncode != 0 or finished.stderr:
        raise ConsumerComplaint(f"ical.js: {finished.stderr.decode(errors='replace')}")
    return [
        ReadEvent(
            uid=read["uid"],
            recurrence_id=(
                None if read["recurrence_id"] is None else _from_json_instant(read["recurrence_id"])
            ),
            summary=read["summary"],
            status=read["status"],
            sequence=read["sequence"],
            start=_from_json_instant(read["start"]),
            end=_from_json_instant(read["end"]),
            occurrences=tuple(
                Occurrence(
                    _from_json_instant(occurrence["start"]),
                    _from_json_instant(occurrence["end"]),
                    occurrence["status"],
                )
                for occurrence in read["occurrences"]
            ),
            alarms=tuple(dt.timedelta(seconds=seconds) for seconds in read["alarms"]),
        )
        for read in json.loads(finished.stdout)
    ]


# --- vobject ----------------------------------------------------------------------------------


class _Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


@contextmanager
def _complaints_logged() -> Iterator[_Collected]:
    """vobject says much of what it dislikes through logging (and the root logger) only."""
    collected = _Collected()
    loggers = [logging.getLogger(), logging.getLogger("vobject")]
    for logger in loggers:
        logger.addHandler(collected)
    try:
        yield collected
    finally:
        for logger in loggers:
            logger.removeHandler(collected)


def _vobject_value(component: Any, name: str) -> Any:
    line = getattr(component, name, None)
    return None if line is None else line.value


def _vobject_occurrences(vevent: Any, window: Window) -> tuple[Occurrence, ...]:
    start, end = vevent.dtstart.value, vevent.dtend.value
    status = _vobject_value(vevent, "status")
    rules = vevent.getrruleset(addRDate=True)
    if rules is None:
        starts = [start] if _in_window(_utc(start), window) else []
    else:
        starts = []
        for each in rules:
            # vobject expands an all-day series as naive midnights
            instant = each.date() if not isinstance(start, dt.datetime) else each
            if _as_datetime(_utc(instant)) >= window[1]:
                break
            if _in_window(_utc(instant), window):
                starts.append(instant)
    length = end - start
    return tuple(Occurrence(_utc(each), _utc(each + length), status) for each in starts)


def read_with_vobject(body: bytes, window: Window) -> list[ReadEvent]:
    """The VEVENTs as vobject reads them with validation on (`readOne(validate=True)`, and the
    validation `serialize` does again); anything it logs at WARNING or above is a complaint."""
    with _complaints_logged() as complaints:
        try:
            calendar = vobject.readOne(body.decode("utf-8"), validate=True)
            calendar.serialize(validate=True)
        except vobject.base.VObjectError as error:  # its ParseError and ValidateError
            raise ConsumerComplaint(f"vobject: {error}") from error
        read = [
            ReadEvent(
                uid=vevent.uid.value,
                recurrence_id=(
                    None
                    if _vobject_value(vevent, "recurrence_id") is None
                    else _utc(vevent.recurrence_id.value)
                ),
                summary=vevent.summary.value,
                status=_vobject_value(vevent, "status"),
                sequence=int(vevent.sequence.value),
                start=_utc(vevent.dtstart.value),
                end=_utc(vevent.dtend.value),
                occurrences=(
                    ()
                    if _vobject_value(vevent, "recurrence_id") is not None
                    else _vobject_occurrences(vevent, window)
                ),
                alarms=tuple(alarm.trigger.value for alarm in vevent.contents.get("valarm", ())),
            )
            for vevent in calendar.contents.get("vevent", ())
        ]
    if complaints.messages:
        raise ConsumerComplaint(f"vobject: {complaints.messages}")
    return read


# --- icalendar --------------------------------------------------------------------------------


def _parsed(body: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(body)
    errors = [(component.name, component.errors) for component in calendar.walk()]
    errors = [(name, found) for name, found in errors if found]
    if errors:
        raise ConsumerComplaint(f"icalendar could not parse: {errors}")
    return calendar


def read_with_icalendar(body: bytes) -> list[ReadEvent]:
    """The VEVENTs as icalendar's parser reads them (it expands nothing)."""
    read = []
    for vevent in _parsed(body).walk("VEVENT"):
        recurrence_id = vevent.get("RECURRENCE-ID")
        read.append(
            ReadEvent(
                uid=str(vevent["UID"]),
                recurrence_id=None if recurrence_id is None else _utc(recurrence_id.dt),
                summary=str(vevent["SUMMARY"]),
                status=None if "STATUS" not in vevent else str(vevent["STATUS"]),
                sequence=int(vevent["SEQUENCE"]),
                start=_utc(vevent["DTSTART"].dt),
                end=_utc(vevent["DTEND"].dt),
                occurrences=None,
                alarms=tuple(alarm["TRIGGER"].dt for alarm in vevent.walk("VALARM")),
            )
        )
    return read


# --- recurring-ical-events --------------------------------------------------------------------


def read_with_recurring_ical_events(body: bytes, window: Window) -> list[Instance]:
    """The occurrences recurring-ical-events finds between the window's ends, in its order."""
    instances = recurring_ical_events.of(_parsed(body)).between(*window)
    return [
        Instance(
            uid=str(instance["UID"]),
            start=_utc(instance["DTSTART"].dt),
            status=None if "STATUS" not in instance else str(instance["STATUS"]),
            summary=str(instance["SUMMARY"]),
        )
        for instance in instances
    ]


# --- the bytes --------------------------------------------------------------------------------


def assert_wire_format(body: bytes) -> None:
    """RFC 5545 §3.1: UTF-8, every line ended by CRLF, no line longer than 75 octets without
    its CRLF, a folded line continued after one space (RFC 5545 allows a tab too: we write a
    space), and no fold inside a UTF-8 character (each physical line decodes on its own)."""
    body.decode("utf-8")  # the whole, first: the error then says where
    assert body.endswith(b"\r\n"), body[-80:]
    lines = body[: -len(b"\r\n")].split(b"\r\n")
    problems = []
    for number, line in enumerate(lines, start=1):
        if b"\r" in line or b"\n" in line:
            problems.append((number, "a bare CR or LF", line))
        if len(line) > LINE_LIMIT:
            problems.append((number, f"{len(line)} octets", line))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append((number, "a fold inside a UTF-8 character", line))
        if line[:1] == b" ":
            if number == 1:
                problems.append((number, "a continuation with nothing before it", line))
        elif not CONTENT_LINE.match(line):
            problems.append((number, "neither a property nor one space's continuation", line))
    assert problems == []
