"""Driving dateutil over a bounded stretch of a rule's wall-clock times.

dateutil's own search has no bound: asked for the next occurrence, it walks period after period
until it finds one or passes year 9999, seconds of work for a rule like
"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30". Two things that leave the occurrences unchanged keep every
search here short:
- dateutil starts at the latest point a whole number of intervals after the rule's start that is
  not after the stretch asked for (the parts it would take from the start written out), so the
  years between the rule's start and the stretch cost nothing;
- the search is moved by a multiple of 400 years, the period after which the Gregorian calendar
  repeats day for day (weekdays and leap days included), so that the stretch ends just below year
  9999: looking past its end, dateutil gives up within about 400 years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dateutil import rrule as du

from year2026.recurrence.rules import Rule, day_parts

_CYCLE_YEARS = 400
#: a moved search ends by this year (dateutil reads a few days past a period's end)
_LAST_SAFE_YEAR = 9997
_STEPS = {
    du.WEEKLY: dt.timedelta(weeks=1),
    du.DAILY: dt.timedelta(days=1),
    du.HOURLY: dt.timedelta(hours=1),
    du.MINUTELY: dt.timedelta(minutes=1),
    du.SECONDLY: dt.timedelta(seconds=1),
}


def starts(
    rule: Rule, start: dt.datetime, lower: dt.datetime, upper: dt.datetime
) -> Iterator[dt.datetime]:
    """The rule's wall-clock starts (naive) from `lower` to `upper`, in order; `start` is the
    rule's own (naive) start."""
    if upper < start or upper < lower:
        return
    anchor = _anchor(rule, start, max(lower, start))
    shift = _CYCLE_YEARS * max(0, (_LAST_SAFE_YEAR - upper.year) // _CYCLE_YEARS)
    written, _ = day_parts(rule, start)
    try:
        for found in _dateutil(written, _years_later(anchor, shift)):
            moment = _years_later(found, -shift)
            if moment > upper:
                return
            if moment >= lower:
                yield moment
    except (ValueError, OverflowError):
        # dateutil reached the end of the calendar, or cannot go on with this rule at all
        return


def _anchor(rule: Rule, start: dt.datetime, target: dt.datetime) -> dt.datetime:
    """The latest point not after `target` from which dateutil gives the rule's occurrences: a
    whole number of intervals after `start` (the start of that period for months and years)."""
    if rule.count is not None:
        return start  # COUNT counts from the start
    interval = rule.interval
    if rule.freq == du.YEARLY:
        skipped = (target.year - start.year) // interval * interval
        if skipped <= 0:
            return start
        return dt.datetime.combine(dt.date(start.year + skipped, 1, 1), dt.time())
    if rule.freq == du.MONTHLY:
        months = (target.year - start.year) * 12 + target.month - start.month
        skipped = months // interval * interval
        if skipped <= 0:
            return start
        index = start.year * 12 + start.month - 1 + skipped
        return dt.datetime.combine(dt.date(index // 12, index % 12 + 1, 1), dt.time())
    step = _STEPS[rule.freq] * interval
    return start + (target - start) // step * step


def _years_later(moment: dt.datetime, years: int) -> dt.datetime:
    return moment.replace(year=moment.year + years) if years else moment


def _dateutil(rule: Rule, dtstart: dt.datetime) -> du.rrule:
    return du.rrule(
        rule.freq,
        dtstart=dtstart,
        interval=rule.interval,
        wkst=rule.wkst,
        count=rule.count,
        bysetpos=rule.bysetpos or None,
        bymonth=rule.bymonth or None,
        bymonthday=rule.bymonthday or None,
        byyearday=rule.byyearday or None,
        byweekno=rule.byweekno or None,
        byweekday=[du.weekday(weekday, nth) for weekday, nth in rule.byday] or None,
        byhour=rule.byhour or None,
        byminute=rule.byminute or None,
        bysecond=rule.bysecond or None,
        cache=False,
    )
