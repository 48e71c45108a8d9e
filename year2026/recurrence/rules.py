"""Reading an RRULE value strictly (RFC 5545 §3.3.10), and bounding its occurrences in a year
from its parts alone."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from dateutil import rrule as du

from year2026.recurrence.errors import InvalidRecurrence

#: the largest COUNT accepted (a rule with COUNT is expanded from its start)
MAX_COUNT = 5000
#: the largest INTERVAL accepted (dateutil steps through a long interval a month at a time)
MAX_INTERVAL = 1000
#: the longest RRULE text accepted, in characters
MAX_RULE_LENGTH = 500

SHOWN = 40  # characters of the client's own text quoted back in an error
_UTC = dt.UTC

#: dateutil's numbers for FREQ, YEARLY (0) to SECONDLY (6)
Frequency = Literal[0, 1, 2, 3, 4, 5, 6]
_FREQUENCIES: dict[str, Frequency] = {
    "YEARLY": du.YEARLY,
    "MONTHLY": du.MONTHLY,
    "WEEKLY": du.WEEKLY,
    "DAILY": du.DAILY,
    "HOURLY": du.HOURLY,
    "MINUTELY": du.MINUTELY,
    "SECONDLY": du.SECONDLY,
}
_FREQUENCY_NAMES = {value: name for name, value in _FREQUENCIES.items()}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: name → (smallest, largest, may be negative); RFC 5545 allows second 60, Python cannot show it
_NUMBER_LISTS = {
    "BYSECOND": (0, 59, False),
    "BYMINUTE": (0, 59, False),
    "BYHOUR": (0, 23, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYMONTH": (1, 12, False),
    "BYSETPOS": (1, 366, True),
}
_NAMES = {"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY", "WKST", *_NUMBER_LISTS}
_UNSIGNED = re.compile(r"\+?[0-9]{1,9}")
_SIGNED = re.compile(r"[+-]?[0-9]{1,9}")
_BYDAY_ITEM = re.compile(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?:T([0-9]{2})([0-9]{2})([0-9]{2})(Z?))?")


@dataclass(frozen=True)
class Rule:
    freq: Frequency
    interval: int
    count: int | None
    #: a date (all-day items) or an aware UTC datetime
    until: dt.date | None
    wkst: int
    bymonth: tuple[int, ...]
    byweekno: tuple[int, ...]
    byyearday: tuple[int, ...]
    bymonthday: tuple[int, ...]
    #: (weekday, 0 = Monday; nth within the month or year, or None)
    byday: tuple[tuple[int, int | None], ...]
    byhour: tuple[int, ...]
    byminute: tuple[int, ...]
    bysecond: tuple[int, ...]
    bysetpos: tuple[int, ...]


def _number(name: str, text: str, smallest: int, largest: int, signed: bool) -> int:
    if not (_SIGNED if signed else _UNSIGNED).fullmatch(text):
        raise InvalidRecurrence("syntax", part=f"{name}={text}"[:SHOWN])
    value = int(text)
    if not smallest <= abs(value) <= largest or (value < 0 and not signed):
        raise InvalidRecurrence("syntax", part=f"{name}={text}"[:SHOWN])
    return value


def _until(text: str, *, all_day: bool) -> dt.date:
    found = _UNTIL.fullmatch(text)
    if found is None:
        raise InvalidRecurrence("syntax", part=f"UNTIL={text}"[:SHOWN])
    year, month, day, hour, minute, second, utc = found.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
        moment = None if hour is None else dt.time(int(hour), int(minute), int(second))
    except ValueError:
        raise InvalidRecurrence("syntax", part=f"UNTIL={text}"[:SHOWN]) from None
    if all_day:
        if moment is not None:
            raise InvalidRecurrence("until-not-date")
        return date
    if moment is None or not utc:
        raise InvalidRecurrence("until-not-utc")
    return dt.datetime.combine(date, moment, tzinfo=_UTC)


def _byday(text: str) -> tuple[tuple[int, int | None], ...]:
    items = []
    for item in text.split(","):
        found = _BYDAY_ITEM.fullmatch(item)
        nth = found.group(1) if found else None
        if found is None or (nth is not None and not 1 <= abs(int(nth)) <= 53):
            raise InvalidRecurrence("syntax", part=f"BYDAY={item}"[:SHOWN])
        items.append((_WEEKDAYS.index(found.group(2)), None if nth is None else int(nth)))
    return tuple(items)


def read_rule(text: str, *, all_day: bool) -> Rule:
    """The parts of an RRULE value, checked as RFC 5545 §3.3.10 says (and our caps)."""
    if len(text) > MAX_RULE_LENGTH:
        raise InvalidRecurrence("too-long", length=len(text), limit=MAX_RULE_LENGTH)
    if not text:
        raise InvalidRecurrence("missing-frequency")
    values: dict[str, str] = {}
    for token in text.upper().split(";"):
        name, equals, value = token.partition("=")
        if not equals or not value or name not in _NAMES:
            raise InvalidRecurrence("syntax", part=token[:SHOWN])
        if name in values:
            raise InvalidRecurrence("repeated-part", part=name)
        values[name] = value
    if "FREQ" not in values:
        raise InvalidRecurrence("missing-frequency")
    freq = _FREQUENCIES.get(values["FREQ"])
    if freq is None:
        raise InvalidRecurrence("syntax", part=f"FREQ={values['FREQ']}"[:SHOWN])
    numbers = {
        name: tuple(_number(name, item, *_NUMBER_LISTS[name]) for item in values[name].split(","))
        for name in _NUMBER_LISTS
        if name in values
    }
    wkst = values.get("WKST", "MO")
    if wkst not in _WEEKDAYS:
        raise InvalidRecurrence("syntax", part=f"WKST={wkst}"[:SHOWN])
    rule = Rule(
        freq=freq,
        interval=_number("INTERVAL", values.get("INTERVAL", "1"), 1, 10**9, False),
        count=_number("COUNT", values["COUNT"], 1, 10**9, False) if "COUNT" in values else None,
        until=_until(values["UNTIL"], all_day=all_day) if "UNTIL" in values else None,
        wkst=_WEEKDAYS.index(wkst),
        bymonth=numbers.get("BYMONTH", ()),
        byweekno=numbers.get("BYWEEKNO", ()),
        byyearday=numbers.get("BYYEARDAY", ()),
        bymonthday=numbers.get("BYMONTHDAY", ()),
        byday=_byday(values["BYDAY"]) if "BYDAY" in values else (),
        byhour=numbers.get("BYHOUR", ()),
        byminute=numbers.get("BYMINUTE", ()),
        bysecond=numbers.get("BYSECOND", ()),
        bysetpos=numbers.get("BYSETPOS", ()),
    )
    _check_combinations(rule, values, all_day=all_day)
    if rule.count is not None and rule.count > MAX_COUNT:
        raise InvalidRecurrence("count-too-large", count=rule.count, limit=MAX_COUNT)
    if rule.interval > MAX_INTERVAL:
        raise InvalidRecurrence("interval-too-large", interval=rule.interval, limit=MAX_INTERVAL)
    return rule


def _check_combinations(rule: Rule, values: Mapping[str, str], *, all_day: bool) -> None:
    frequency = f"FREQ={_FREQUENCY_NAMES[rule.freq]}"
    if rule.count is not None and rule.until is not None:
        raise InvalidRecurrence("parts-together", part="COUNT", other="UNTIL")
    not_with = {
        "BYWEEKNO": {du.MONTHLY, du.WEEKLY, du.DAILY, du.HOURLY, du.MINUTELY, du.SECONDLY},
        "BYYEARDAY": {du.MONTHLY, du.WEEKLY, du.DAILY},
        "BYMONTHDAY": {du.WEEKLY},
    }
    for name, frequencies in not_with.items():
        if name in values and rule.freq in frequencies:
            raise InvalidRecurrence("parts-together", part=name, other=frequency)
    for weekday, nth in rule.byday:
        if nth is None:
            continue
        item = f"{nth}{_WEEKDAYS[weekday]}"
        if rule.freq not in (du.MONTHLY, du.YEARLY):
            raise InvalidRecurrence("parts-together", part=item, other=frequency)
        if rule.byweekno:
            raise InvalidRecurrence("parts-together", part=item, other="BYWEEKNO")
    if rule.bysetpos and not any(name.startswith("BY") for name in values if name != "BYSETPOS"):
        raise InvalidRecurrence("setpos-alone")
    if rule.bysetpos and rule.freq >= du.HOURLY:
        # dateutil would look at every hour for a set position that may never come
        raise InvalidRecurrence("parts-together", part="BYSETPOS", other=frequency)
    if all_day:
        for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            if name in values:
                raise InvalidRecurrence("time-parts-all-day", part=name)
        if rule.freq > du.DAILY:
            raise InvalidRecurrence("time-parts-all-day", part=frequency)


def day_parts(rule: Rule, start: dt.datetime) -> tuple[Rule, bool]:
    """The rule with the parts dateutil would take from its start written out, so that dateutil
    started at another point of the rule gives the same occurrences; and whether any was added."""
    bymonth, bymonthday, byday = rule.bymonth, rule.bymonthday, rule.byday
    if not (rule.byweekno or rule.byyearday or rule.bymonthday or rule.byday):
        if rule.freq == du.YEARLY:
            bymonth, bymonthday = rule.bymonth or (start.month,), (start.day,)
        elif rule.freq == du.MONTHLY:
            bymonthday = (start.day,)
        elif rule.freq == du.WEEKLY:
            byday = ((start.weekday(), None),)
    written = Rule(
        **{
            **vars(rule),
            "bymonth": bymonth,
            "bymonthday": bymonthday,
            "byday": byday,
            "byhour": rule.byhour or ((start.hour,) if rule.freq < du.HOURLY else ()),
            "byminute": rule.byminute or ((start.minute,) if rule.freq < du.MINUTELY else ()),
            "bysecond": rule.bysecond or ((start.second,) if rule.freq < du.SECONDLY else ()),
        }
    )
    return written, written != rule


#: the longest each month can be
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
#: how many periods of each frequency a year-long span touches at most (at INTERVAL=1)
_PERIODS_IN_A_YEAR = {
    du.YEARLY: 2,
    du.MONTHLY: 13,
    du.WEEKLY: 54,
    du.DAILY: 366,
    du.HOURLY: 366 * 24 + 1,
    du.MINUTELY: 366 * 1440 + 1,
    du.SECONDLY: 366 * 86400 + 1,
}


def most_per_year(rule: Rule, start: dt.datetime) -> int:
    """An upper bound of the occurrences in any year-long span, from the rule's parts alone.

    Each day of an occurrence satisfies every BY… part that names days, so the fewest days any one
    of them allows bounds the days; times a day are bounded by the BY… parts of the time and by the
    interval; BYSETPOS, the interval and COUNT bound the count directly. The smallest bound wins.
    It never counts too few, and is close for the rules people write (53 for a weekly one, 366
    for a daily one, 8,784 for an hourly one).
    """
    rule, _ = day_parts(rule, start)
    interval = rule.interval
    visited = math.ceil(_PERIODS_IN_A_YEAR[rule.freq] / interval)
    bounds = [visited * _most_per_period(rule), _most_days(rule) * _most_per_day(rule)]
    if rule.bysetpos:
        bounds.append(visited * len(rule.bysetpos))
    if rule.count is not None:
        bounds.append(rule.count)
    return min(bounds)


def _most_days(rule: Rule) -> int:
    months = rule.bymonth or tuple(range(1, 13))
    bounds = [366]
    if rule.bymonth:
        bounds.append(sum(_MONTH_DAYS[month - 1] for month in rule.bymonth))
    if rule.bymonthday:
        # a year-long span sees each month once, or in two pieces that share no day of the month
        bounds.append(
            sum(
                min(
                    _MONTH_DAYS[month - 1],
                    sum(abs(day) <= _MONTH_DAYS[month - 1] for day in rule.bymonthday),
                )
                for month in months
            )
        )
    if rule.byyearday:
        bounds.append(len(rule.byyearday) + 1)
    if rule.byweekno:
        bounds.append(14 * len(rule.byweekno))
    if rule.byday:
        weekdays = {weekday for weekday, nth in rule.byday if nth is None}
        nths = sum(nth is not None for _, nth in rule.byday)
        in_months = rule.freq == du.MONTHLY or bool(rule.bymonth)
        per_nth = min(13, 2 * len(rule.bymonth) if rule.bymonth else 13) if in_months else 2
        bounds.append(53 * len(weekdays) + per_nth * nths)
    if rule.freq == du.DAILY:
        bounds.append(math.ceil(366 / rule.interval))
    return min(bounds)


def _per_day_parts(rule: Rule) -> tuple[int, int, int]:
    hours = len(rule.byhour) or (24 if rule.freq >= du.HOURLY else 1)
    minutes = len(rule.byminute) or (60 if rule.freq >= du.MINUTELY else 1)
    seconds = len(rule.bysecond) or (60 if rule.freq >= du.SECONDLY else 1)
    return hours, minutes, seconds


def _most_per_day(rule: Rule) -> int:
    hours, minutes, seconds = _per_day_parts(rule)
    steps = {du.HOURLY: 24, du.MINUTELY: 1440, du.SECONDLY: 86400}.get(rule.freq)
    if steps is None:
        return hours * minutes * seconds
    reached = math.ceil(steps / rule.interval)  # a day holds at most this many steps
    if rule.freq == du.HOURLY:
        return min(hours, reached) * minutes * seconds
    if rule.freq == du.MINUTELY:
        return min(hours * minutes, reached) * seconds
    return min(hours * minutes * seconds, reached)


def _most_per_period(rule: Rule) -> int:
    hours, minutes, seconds = _per_day_parts(rule)
    per_day = hours * minutes * seconds
    return {
        du.YEARLY: 366 * per_day,
        du.MONTHLY: 31 * per_day,
        du.WEEKLY: (len({weekday for weekday, _ in rule.byday}) or 7) * per_day,
        du.DAILY: per_day,
        du.HOURLY: minutes * seconds,
        du.MINUTELY: seconds,
        du.SECONDLY: 1,
    }[rule.freq]


def plainly_out_of_step(rule: Rule, start: dt.datetime) -> bool:
    """Whether the start misses one of the rule's simple filters (a month, a day of the month or
    of the year, a weekday, an hour, a minute, a second): then it cannot be an occurrence, and no
    search is needed to say so."""
    month_days = calendar.monthrange(start.year, start.month)[1]
    year_days = 366 if calendar.isleap(start.year) else 365
    day_of_year = start.timetuple().tm_yday
    weekdays = {weekday for weekday, nth in rule.byday}
    misses = (
        (rule.bymonth and start.month not in rule.bymonth),
        (rule.bymonthday and not {start.day, start.day - month_days - 1} & set(rule.bymonthday)),
        (rule.byyearday and not {day_of_year, day_of_year - year_days - 1} & set(rule.byyearday)),
        (weekdays and start.weekday() not in weekdays),
        (rule.byhour and start.hour not in rule.byhour),
        (rule.byminute and start.minute not in rule.byminute),
        (rule.bysecond and start.second not in rule.bysecond),
    )
    return any(misses)


def too_fine(rule: Rule) -> bool:
    """FREQ=MINUTELY or SECONDLY: such a rule is either too dense for us or a daily or hourly one
    written the hard way, through which dateutil walks minute by minute (minutes of work for a
    sparse one), so it is refused even under the cap a year."""
    return rule.freq > du.HOURLY
