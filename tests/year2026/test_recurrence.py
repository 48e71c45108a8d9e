"""Recurring items: zones from the tzdata package, strict rules with a bound a year, expansion in
wall-clock time (DST, gaps and folds), EXDATEs, moved and cancelled occurrences, bounded work; and
recurring-ical-events, a third-party consumer, agreeing with us on the same iCalendar data."""

from __future__ import annotations

import ast
import importlib.resources
import shutil
import string
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import tzdata
from dateutil.rrule import rrulestr

from tests.support.server import REPO_ROOT
from year2026.i18n import Language
from year2026.recurrence import (
    MAX_COUNT,
    InvalidRecurrence,
    Occurrence,
    Override,
    UnknownTimeZone,
    expand,
    parse_zone,
    validate_rule,
    zone_database,
)
from year2026.recurrence.rules import most_per_year, read_rule
from year2026.recurrence.search import starts

ALMATY = ZoneInfo("Asia/Almaty")
BERLIN = ZoneInfo("Europe/Berlin")
HOUR = timedelta(hours=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def almaty(*args: int) -> datetime:
    return datetime(*args, tzinfo=ALMATY)  # type: ignore[misc]


def plain(start: datetime | date, end: datetime | date) -> Occurrence:
    """An occurrence as the rule makes it."""
    return Occurrence(start, start, end, overridden=False, cancelled=False)


def timed(
    *,
    start: datetime | date,
    length: timedelta,
    original: datetime | date | None = None,
    overridden: bool = False,
    cancelled: bool = False,
) -> Occurrence:
    return Occurrence(original or start, start, start + length, overridden, cancelled)


def utc_starts(occurrences: list[Occurrence]) -> list[str]:
    return [o.start.astimezone(UTC).isoformat() for o in occurrences]  # type: ignore[union-attr]


# ---- zones ---------------------------------------------------------------------------------------


def test_almaty_is_utc_plus_5_since_march_2024() -> None:
    zone = parse_zone("Asia/Almaty")
    assert datetime(2026, 6, 1, 10, tzinfo=zone).astimezone(UTC) == utc(2026, 6, 1, 5)
    assert datetime(2024, 2, 29, 10, tzinfo=zone).astimezone(UTC) == utc(2024, 2, 29, 4)


def test_weekly_almaty_item_keeps_10_00_across_the_2024_change() -> None:
    start = almaty(2024, 2, 20, 10)  # a Tuesday, still UTC+6
    found = expand(
        start=start,
        end=start + HOUR,
        zone=ALMATY,
        rrule="FREQ=WEEKLY;BYDAY=TU",
        window_start=utc(2024, 2, 20),
        window_end=utc(2024, 3, 13),
    )
    assert found == [plain(almaty(2024, 2, d, 10), almaty(2024, 2, d, 11)) for d in (20, 27)] + [
        plain(almaty(2024, 3, d, 10), almaty(2024, 3, d, 11)) for d in (5, 12)
    ]
    assert utc_starts(found) == [
        "2024-02-20T04:00:00+00:00",
        "2024-02-27T04:00:00+00:00",
        "2024-03-05T05:00:00+00:00",
        "2024-03-12T05:00:00+00:00",
    ]


@pytest.mark.parametrize(
    "name", ["Asia/Astana", "asia/almaty", "../../etc/passwd", "", "Factory", "Asia", "A" * 100]
)
def test_unknown_zone_is_refused_in_each_language(name: str) -> None:
    with pytest.raises(UnknownTimeZone) as raised:
        parse_zone(name)
    shown = name[:40]
    assert raised.value.code == "unknown-time-zone"
    assert raised.value.params == {"zone": shown}
    assert [raised.value.message(language) for language in Language] == [
        f"«{shown}» уақыт белдеуі белгісіз. IANA атауын беріңіз, мысалы Asia/Almaty.",
        f"Неизвестный часовой пояс «{shown}». Укажите имя IANA, например Asia/Almaty.",
        f"Unknown time zone “{shown}”. Give an IANA name such as Asia/Almaty.",
    ]


def test_known_zones_are_accepted() -> None:
    assert [str(parse_zone(name)) for name in ("Asia/Almaty", "Europe/Berlin", "UTC")] == [
        "Asia/Almaty",
        "Europe/Berlin",
        "UTC",
    ]


def _old_almaty_folder(tmp_path: Path) -> Path:
    """A system zone folder whose Asia/Almaty is still UTC+6 (Asia/Dhaka's data under its name),
    as on a machine whose tzdata predates 2024."""
    (tmp_path / "Asia").mkdir()
    dhaka = importlib.resources.files("tzdata.zoneinfo").joinpath("Asia/Dhaka")
    with dhaka.open("rb") as source, (tmp_path / "Asia" / "Almaty").open("wb") as target:
        shutil.copyfileobj(source, target)
    return tmp_path


PRINT_ALMATY_10_00_IN_UTC = (
    "import datetime, zoneinfo;"
    "print(datetime.datetime(2026, 6, 1, 10, tzinfo=zoneinfo.ZoneInfo('Asia/Almaty'))"
    ".astimezone(datetime.UTC).hour)"
)


@pytest.mark.parametrize(("imports", "utc_hour"), [("import year2026;", "5"), ("", "4")])
def test_the_platform_reads_zones_from_the_tzdata_package_not_system_files(
    tmp_path: Path, imports: str, utc_hour: str
) -> None:
    """With an old Asia/Almaty on the system's zone path, the platform still says 05:00 UTC; plain
    Python (the negative control) reads the old file and says 04:00."""
    done = subprocess.run(
        [sys.executable, "-c", imports + PRINT_ALMATY_10_00_IN_UTC],
        cwd=REPO_ROOT,
        env={"PYTHONTZPATH": str(_old_almaty_folder(tmp_path)), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == utc_hour


def test_zone_database_names_the_package_version() -> None:
    assert zone_database() == (
        f"tzdata {tzdata.IANA_VERSION} (the tzdata package; system zone files are not read)"
    )


# ---- validating rules ----------------------------------------------------------------------------

TUESDAY_18 = berlin(2026, 3, 17, 18)
NAIVE_TUESDAY_18 = datetime.combine(date(2026, 3, 17), time(18))


@pytest.mark.parametrize(
    ("rule", "start"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", TUESDAY_18),
        ("freq=weekly;byday=tu;wkst=su", TUESDAY_18),
        ("FREQ=WEEKLY;INTERVAL=2;UNTIL=20261231T230000Z", TUESDAY_18),
        ("FREQ=MONTHLY;BYDAY=-1FR", berlin(2026, 3, 27, 9)),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", berlin(2026, 3, 31, 9)),
        ("FREQ=DAILY;COUNT=10", TUESDAY_18),
        ("FREQ=DAILY;BYHOUR=9,18", berlin(2026, 3, 17, 9)),
        ("FREQ=HOURLY;INTERVAL=12", TUESDAY_18),
        ("FREQ=YEARLY;UNTIL=20300315", date(2026, 3, 15)),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", date(2028, 2, 29)),
    ],
)
def test_rule_is_accepted(rule: str, start: datetime | date) -> None:
    validate_rule(rule, start)


ALL_DAY = date(2026, 3, 17)


@pytest.mark.parametrize(
    ("rule", "start", "reason", "params"),
    [
        ("garbage", TUESDAY_18, "syntax", {"part": "GARBAGE"}),
        ("RRULE:FREQ=WEEKLY", TUESDAY_18, "syntax", {"part": "RRULE:FREQ=WEEKLY"}),
        ("FREQ=WEEKLY;", TUESDAY_18, "syntax", {"part": ""}),
        ("FREQ=WEEKLY; BYDAY=TU", TUESDAY_18, "syntax", {"part": " BYDAY=TU"}),
        ("FREQ=FORTNIGHTLY", TUESDAY_18, "syntax", {"part": "FREQ=FORTNIGHTLY"}),
        ("FREQ=DAILY;BYMONTH=13", TUESDAY_18, "syntax", {"part": "BYMONTH=13"}),
        ("FREQ=DAILY;BYHOUR=-1", TUESDAY_18, "syntax", {"part": "BYHOUR=-1"}),
        ("FREQ=WEEKLY;BYDAY=XX", TUESDAY_18, "syntax", {"part": "BYDAY=XX"}),
        ("FREQ=DAILY;BYEASTER=0", TUESDAY_18, "syntax", {"part": "BYEASTER=0"}),
        ("FREQ=DAILY;UNTIL=tomorrow", TUESDAY_18, "syntax", {"part": "UNTIL=TOMORROW"}),
        ("FREQ=DAILY;UNTIL=20260231T000000Z", TUESDAY_18, "syntax",
         {"part": "UNTIL=20260231T000000Z"}),
        ("FREQ=WEEKLY;FREQ=DAILY", TUESDAY_18, "repeated-part", {"part": "FREQ"}),
        ("", TUESDAY_18, "missing-frequency", {}),
        ("INTERVAL=2", TUESDAY_18, "missing-frequency", {}),
        ("FREQ=SECONDLY", TUESDAY_18, "too-many-per-year", {"per_year": 31622400, "limit": 1000}),
        ("FREQ=MINUTELY", TUESDAY_18, "too-many-per-year", {"per_year": 527040, "limit": 1000}),
        ("FREQ=HOURLY", TUESDAY_18, "too-many-per-year", {"per_year": 8784, "limit": 1000}),
        ("FREQ=DAILY;BYHOUR=9,13,18", berlin(2026, 3, 17, 9), "too-many-per-year",
         {"per_year": 1098, "limit": 1000}),
        ("FREQ=DAILY;COUNT=1000000", TUESDAY_18, "count-too-large",
         {"count": 1000000, "limit": MAX_COUNT}),
        ("FREQ=DAILY;INTERVAL=5000", TUESDAY_18, "interval-too-large",
         {"interval": 5000, "limit": 1000}),
        ("FREQ=DAILY;UNTIL=20261231", TUESDAY_18, "until-not-utc", {}),
        ("FREQ=DAILY;UNTIL=20261231T000000", TUESDAY_18, "until-not-utc", {}),
        ("FREQ=DAILY;UNTIL=20261231T000000Z", ALL_DAY, "until-not-date", {}),
        ("FREQ=DAILY;UNTIL=20260101T000000Z", TUESDAY_18, "until-before-start", {}),
        ("FREQ=DAILY;COUNT=3;UNTIL=20261231T000000Z", TUESDAY_18, "parts-together",
         {"part": "COUNT", "other": "UNTIL"}),
        ("FREQ=WEEKLY;BYMONTHDAY=17", TUESDAY_18, "parts-together",
         {"part": "BYMONTHDAY", "other": "FREQ=WEEKLY"}),
        ("FREQ=MONTHLY;BYWEEKNO=12", TUESDAY_18, "parts-together",
         {"part": "BYWEEKNO", "other": "FREQ=MONTHLY"}),
        ("FREQ=WEEKLY;BYDAY=3TU", TUESDAY_18, "parts-together",
         {"part": "3TU", "other": "FREQ=WEEKLY"}),
        ("FREQ=DAILY;BYSETPOS=1", TUESDAY_18, "setpos-alone", {}),
        ("FREQ=DAILY;BYHOUR=10", ALL_DAY, "time-parts-all-day", {"part": "BYHOUR"}),
        ("FREQ=HOURLY;INTERVAL=24", ALL_DAY, "time-parts-all-day", {"part": "FREQ=HOURLY"}),
        ("FREQ=MINUTELY;INTERVAL=1000", TUESDAY_18, "frequency-too-fine", {}),
        ("FREQ=SECONDLY;BYHOUR=18;BYMINUTE=0;BYSECOND=0", TUESDAY_18, "frequency-too-fine", {}),
        ("FREQ=HOURLY;BYHOUR=18;BYSETPOS=2", TUESDAY_18, "parts-together",
         {"part": "BYSETPOS", "other": "FREQ=HOURLY"}),
        ("FREQ=WEEKLY;BYDAY=WE", TUESDAY_18, "start-not-in-rule", {}),
        ("FREQ=MONTHLY;BYDAY=2TU", TUESDAY_18, "start-not-in-rule", {}),  # the 3rd Tuesday
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", TUESDAY_18, "start-not-in-rule", {}),
        ("FREQ=DAILY;" + "BYHOUR=18;" * 50, TUESDAY_18, "too-long", {"length": 511, "limit": 500}),
    ],
)  # fmt: skip
def test_rule_is_refused_with_its_reason(
    rule: str, start: datetime | date, reason: str, params: dict[str, object]
) -> None:
    with pytest.raises(InvalidRecurrence) as raised:
        validate_rule(rule, start)
    assert (raised.value.code, raised.value.reason, raised.value.params) == (
        "invalid-recurrence",
        reason,
        {"reason": reason, **params},
    )


def test_refusal_explains_itself_in_each_language() -> None:
    with pytest.raises(InvalidRecurrence) as raised:
        validate_rule("FREQ=MINUTELY", TUESDAY_18)
    assert [raised.value.message(language) for language in Language] == [
        "Қайталану ережесі қабылданбады: бір жылда 527040 рет қайталануы мүмкін, ең көбі 1000"
        " болады.",
        "Правило повторения не принято: за год может быть 527040 повторений, допустимо не больше"
        " 1000.",
        "The recurrence rule is not accepted: it can give 527040 occurrences in a year, at most"
        " 1000 are allowed.",
    ]


def test_every_reason_raised_has_its_texts_in_kk_ru_en() -> None:
    package = REPO_ROOT / "year2026" / "recurrence"
    raised = {
        node.args[0].value
        for path in package.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "InvalidRecurrence"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert raised == set(InvalidRecurrence.REASONS)
    for texts in InvalidRecurrence.REASONS.values():
        assert set(texts) == set(Language)
        names = [
            {n for _, n, _, _ in string.Formatter().parse(text) if n} for text in texts.values()
        ]
        assert all(found == names[0] for found in names), texts


def test_start_is_read_in_the_items_zone_when_given() -> None:
    """17:00 UTC on 17 March is 18:00 in Berlin."""
    start = utc(2026, 3, 17, 17)
    validate_rule("FREQ=WEEKLY;BYDAY=TU;BYHOUR=18", start, zone=BERLIN)
    with pytest.raises(InvalidRecurrence) as raised:
        validate_rule("FREQ=WEEKLY;BYDAY=TU;BYHOUR=18", start)  # 17:00 in its own UTC
    assert raised.value.reason == "start-not-in-rule"


def test_max_per_year_is_the_callers_to_choose() -> None:
    validate_rule("FREQ=DAILY", TUESDAY_18, max_per_year=366)
    with pytest.raises(InvalidRecurrence) as raised:
        validate_rule("FREQ=DAILY", TUESDAY_18, max_per_year=365)
    assert raised.value.params == {"reason": "too-many-per-year", "per_year": 366, "limit": 365}


BOUNDED_RULES = [
    "FREQ=WEEKLY;BYDAY=TU",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;BYMONTHDAY=1,15,-1",
    "FREQ=MONTHLY;INTERVAL=5;BYDAY=2TU",
    "FREQ=YEARLY;BYWEEKNO=1,20;BYDAY=MO,FR",
    "FREQ=YEARLY;BYYEARDAY=1,100,-1",
    "FREQ=YEARLY;BYMONTH=2,3;BYDAY=TU",
    "FREQ=HOURLY;INTERVAL=5",
    "FREQ=HOURLY;BYHOUR=9,18;BYDAY=SA,SU",
    "FREQ=MINUTELY;INTERVAL=700",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1",
]


@pytest.mark.parametrize("rule", BOUNDED_RULES)
def test_bound_a_year_never_counts_too_few(rule: str) -> None:
    """Against dateutil's own count in each year-long span of the first eight from the start."""
    start = NAIVE_TUESDAY_18
    bound = most_per_year(read_rule(rule, all_day=False), start)
    occurrences = list(
        rrulestr(rule, dtstart=start).between(start, start.replace(year=2034), inc=True)
    )
    counts = [
        sum(start.replace(year=year) <= o < start.replace(year=year + 1) for o in occurrences)
        for year in range(2026, 2034)
    ]
    assert max(counts) <= bound, (counts, bound)


@pytest.mark.parametrize(
    ("rule", "bound"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", 53),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", 27),
        ("FREQ=DAILY", 366),
        ("FREQ=MONTHLY;BYDAY=-1FR", 13),
        ("FREQ=YEARLY", 1),
        ("FREQ=DAILY;BYHOUR=9,18", 732),
    ],
)
def test_bound_a_year_is_close_for_common_rules(rule: str, bound: int) -> None:
    assert most_per_year(read_rule(rule, all_day=False), NAIVE_TUESDAY_18) == bound


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # refused before any search
        "FREQ=DAILY;BYHOUR=18;BYSETPOS=2",  # one time a day, so never a second: a real search
        "FREQ=WEEKLY;BYDAY=TU;BYSETPOS=2",
    ],
)
def test_rule_that_never_gives_its_start_is_refused_quickly(rule: str) -> None:
    """dateutil alone walks to year 9999 looking for these (3-7 s); here the walk is bounded."""
    began = perf_counter()
    with pytest.raises(InvalidRecurrence) as raised:
        validate_rule(rule, TUESDAY_18)
    assert raised.value.reason == "start-not-in-rule"
    assert perf_counter() - began < 1.0


# ---- expanding -----------------------------------------------------------------------------------

TWO_HOURS = 2 * HOUR


def test_non_recurring_item_is_one_occurrence_in_or_out_of_the_window() -> None:
    start = almaty(2026, 6, 1, 10)

    def window(first: datetime, last: datetime) -> list[Occurrence]:
        return expand(
            start=start,
            end=start + TWO_HOURS,
            zone=ALMATY,
            rrule=None,
            window_start=first,
            window_end=last,
        )

    assert window(utc(2026, 6, 1), utc(2026, 6, 2)) == [timed(start=start, length=TWO_HOURS)]
    assert window(utc(2026, 6, 1, 6), utc(2026, 6, 2)) == [timed(start=start, length=TWO_HOURS)]
    assert window(utc(2026, 6, 1, 7), utc(2026, 6, 2)) == []  # ended at 07:00 UTC
    assert window(utc(2026, 5, 1), utc(2026, 6, 1, 5)) == []  # the window ends as it starts


def test_weekly_with_an_excluded_date_and_occurrences_moved_in_and_out() -> None:
    start = almaty(2026, 9, 1, 18)  # Tuesdays, the AI meetup in Shymkent
    found = expand(
        start=start,
        end=start + TWO_HOURS,
        zone=ALMATY,
        rrule="FREQ=WEEKLY;BYDAY=TU",
        exdates=[almaty(2026, 9, 15, 18)],
        overrides={
            # into the window from after it
            almaty(2026, 10, 20, 18): Override(almaty(2026, 9, 17, 19), almaty(2026, 9, 17, 21)),
            # out of the window from inside it
            almaty(2026, 9, 22, 18): Override(almaty(2026, 11, 5, 18), almaty(2026, 11, 5, 20)),
            # a later hour, same day
            almaty(2026, 9, 29, 18).astimezone(UTC): Override(
                almaty(2026, 9, 29, 19), almaty(2026, 9, 29, 21)
            ),
        },
        window_start=almaty(2026, 9, 1),
        window_end=almaty(2026, 10, 1),
    )
    assert found == [
        timed(start=almaty(2026, 9, 1, 18), length=TWO_HOURS),
        timed(start=almaty(2026, 9, 8, 18), length=TWO_HOURS),
        timed(
            original=almaty(2026, 10, 20, 18),
            start=almaty(2026, 9, 17, 19),
            length=TWO_HOURS,
            overridden=True,
        ),
        timed(
            original=almaty(2026, 9, 29, 18),
            start=almaty(2026, 9, 29, 19),
            length=TWO_HOURS,
            overridden=True,
        ),
    ]


def test_cancelled_occurrence_is_kept_and_marked() -> None:
    start = almaty(2026, 9, 1, 18)
    found = expand(
        start=start,
        end=start + TWO_HOURS,
        zone=ALMATY,
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=3",
        overrides={
            almaty(2026, 9, 8, 18): Override(almaty(2026, 9, 8, 18), almaty(2026, 9, 8, 20), True)
        },
        window_start=utc(2026, 1, 1),
        window_end=utc(2027, 1, 1),
    )
    assert found == [
        timed(start=almaty(2026, 9, 1, 18), length=TWO_HOURS),
        timed(start=almaty(2026, 9, 8, 18), length=TWO_HOURS, overridden=True, cancelled=True),
        timed(start=almaty(2026, 9, 15, 18), length=TWO_HOURS),
    ]


def test_override_of_no_occurrence_or_an_excluded_one_is_ignored() -> None:
    start = almaty(2026, 9, 1, 18)
    moved = Override(almaty(2026, 9, 3, 18), almaty(2026, 9, 3, 20))
    found = expand(
        start=start,
        end=start + TWO_HOURS,
        zone=ALMATY,
        rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20260908T130000Z",
        exdates=[almaty(2026, 9, 8, 18)],
        overrides={
            almaty(2026, 9, 2, 18): moved,  # a Wednesday
            almaty(2026, 9, 1, 19): moved,  # the right day, not the time
            almaty(2026, 9, 8, 18): moved,  # excluded
            almaty(2026, 9, 15, 18): moved,  # past UNTIL
        },
        window_start=utc(2026, 1, 1),
        window_end=utc(2027, 1, 1),
    )
    assert found == [timed(start=start, length=TWO_HOURS)]


def test_online_weekly_event_in_berlin_keeps_its_local_time_across_both_dst_changes() -> None:
    start = berlin(2026, 3, 17, 18)  # a Tuesday; summer time from 2026-03-29 to 2026-10-25
    found = expand(
        start=start,
        end=start + TWO_HOURS,
        zone=BERLIN,
        rrule="FREQ=WEEKLY;BYDAY=TU",
        exdates=[berlin(2026, 10, 20, 18)],
        overrides={
            berlin(2026, 4, 7, 18): Override(berlin(2026, 10, 28, 18), berlin(2026, 10, 28, 20))
        },
        window_start=utc(2026, 3, 20),
        window_end=utc(2026, 4, 8),
    ) + expand(
        start=start,
        end=start + TWO_HOURS,
        zone=BERLIN,
        rrule="FREQ=WEEKLY;BYDAY=TU",
        exdates=[berlin(2026, 10, 20, 18)],
        overrides={
            berlin(2026, 4, 7, 18): Override(berlin(2026, 10, 28, 18), berlin(2026, 10, 28, 20))
        },
        window_start=utc(2026, 10, 10),
        window_end=utc(2026, 11, 4),
    )
    assert found == [
        timed(start=berlin(2026, 3, 24, 18), length=TWO_HOURS),
        timed(start=berlin(2026, 3, 31, 18), length=TWO_HOURS),
        timed(start=berlin(2026, 10, 13, 18), length=TWO_HOURS),
        timed(start=berlin(2026, 10, 27, 18), length=TWO_HOURS),
        timed(
            original=berlin(2026, 4, 7, 18),
            start=berlin(2026, 10, 28, 18),
            length=TWO_HOURS,
            overridden=True,
        ),
        timed(start=berlin(2026, 11, 3, 18), length=TWO_HOURS),
    ]
    assert utc_starts(found) == [
        "2026-03-24T17:00:00+00:00",
        "2026-03-31T16:00:00+00:00",
        "2026-10-13T16:00:00+00:00",
        "2026-10-27T17:00:00+00:00",
        "2026-10-28T17:00:00+00:00",
        "2026-11-03T17:00:00+00:00",
    ]


def test_all_day_multi_day_item_recurs_by_local_dates() -> None:
    # Friday to Sunday (the end date is exclusive), the first weekend of each month
    found = expand(
        start=date(2026, 6, 5),
        end=date(2026, 6, 8),
        zone=ALMATY,
        rrule="FREQ=MONTHLY;BYDAY=1FR;UNTIL=20261231",
        exdates=[date(2026, 8, 7)],
        overrides={date(2026, 9, 4): Override(date(2026, 9, 11), date(2026, 9, 13))},
        # from Sunday 5 July 00:00 in Almaty: the July weekend is still on
        window_start=almaty(2026, 7, 5),
        window_end=almaty(2026, 10, 2),
    )
    assert found == [
        plain(date(2026, 7, 3), date(2026, 7, 6)),
        Occurrence(date(2026, 9, 4), date(2026, 9, 11), date(2026, 9, 13), True, False),
    ]
    # one minute before midnight in Almaty is still Sunday 4 October there: that weekend is in
    assert expand(
        start=date(2026, 6, 5),
        end=date(2026, 6, 8),
        zone=ALMATY,
        rrule="FREQ=MONTHLY;BYDAY=1FR;UNTIL=20261231",
        window_start=almaty(2026, 10, 4, 23, 59),
        window_end=almaty(2026, 10, 5),
    ) == [plain(date(2026, 10, 2), date(2026, 10, 5))]


def test_rule_without_end_is_expanded_only_inside_the_window_however_far() -> None:
    start = berlin(2026, 3, 17, 18)
    began = perf_counter()
    found = [
        expand(
            start=start,
            end=start + TWO_HOURS,
            zone=BERLIN,
            rrule=rule,
            window_start=utc(year, 7, 1),
            window_end=utc(year, 7, 8),
        )
        for year in (2026, 2500, 9000)
        for rule in ("FREQ=DAILY", "FREQ=WEEKLY;BYDAY=TU", "FREQ=MONTHLY;BYMONTHDAY=3,-1")
    ]
    assert perf_counter() - began < 1.0
    assert [[o.start.isoformat() for o in occurrences] for occurrences in found] == [  # type: ignore[union-attr]
        [f"2026-07-0{day}T18:00:00+02:00" for day in range(1, 8)],
        ["2026-07-07T18:00:00+02:00"],
        ["2026-07-03T18:00:00+02:00"],
        [f"2500-07-0{day}T18:00:00+02:00" for day in range(1, 8)],
        ["2500-07-06T18:00:00+02:00"],
        ["2500-07-03T18:00:00+02:00"],
        [f"9000-07-0{day}T18:00:00+02:00" for day in range(1, 8)],
        ["9000-07-01T18:00:00+02:00"],
        ["9000-07-03T18:00:00+02:00"],
    ]


def test_sparse_rule_far_window_is_bounded() -> None:
    """Leap days only, on a Monday (28 years apart): dateutil alone would walk day by day."""
    start = berlin(2016, 2, 29, 18)
    validate_rule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", start)
    began = perf_counter()
    found = expand(
        start=start,
        end=start + HOUR,
        zone=BERLIN,
        rrule="FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
        window_start=utc(2030, 1, 1),
        window_end=utc(2100, 1, 1),
    )
    assert perf_counter() - began < 1.0
    assert [o.start for o in found] == [berlin(2044, 2, 29, 18), berlin(2072, 2, 29, 18)]


def test_wall_clock_time_in_the_spring_gap_moves_forward_and_the_autumn_fold_takes_the_first() -> (
    None
):
    start = berlin(2026, 3, 27, 2, 30)
    found = expand(
        start=start,
        end=start + HOUR,
        zone=BERLIN,
        rrule="FREQ=DAILY",
        window_start=utc(2026, 3, 28),
        window_end=utc(2026, 3, 31),
    ) + expand(
        start=start,
        end=start + HOUR,
        zone=BERLIN,
        rrule="FREQ=DAILY",
        window_start=utc(2026, 10, 24, 12),
        window_end=utc(2026, 10, 26, 12),
    )
    assert utc_starts(found) == [
        "2026-03-28T01:30:00+00:00",  # 02:30 winter time
        "2026-03-29T01:30:00+00:00",  # 02:30 does not exist: 03:30 summer time
        "2026-03-30T00:30:00+00:00",  # 02:30 summer time
        "2026-10-25T00:30:00+00:00",  # 02:30 happens twice: the first, summer time
        "2026-10-26T01:30:00+00:00",  # 02:30 winter time
    ]
    assert [o.start.isoformat() for o in found] == [  # type: ignore[union-attr]
        "2026-03-28T02:30:00+01:00",
        "2026-03-29T03:30:00+02:00",
        "2026-03-30T02:30:00+02:00",
        "2026-10-25T02:30:00+02:00",
        "2026-10-26T02:30:00+01:00",
    ]


def test_two_rule_times_that_the_gap_makes_one_instant_are_one_occurrence() -> None:
    start = berlin(2026, 3, 28, 2, 30)
    found = expand(
        start=start,
        end=start + HOUR,
        zone=BERLIN,
        rrule="FREQ=DAILY;BYHOUR=2,3;BYMINUTE=30;COUNT=4",
        window_start=utc(2026, 3, 1),
        window_end=utc(2026, 4, 1),
    )
    assert utc_starts(found) == [
        "2026-03-28T01:30:00+00:00",
        "2026-03-28T02:30:00+00:00",
        "2026-03-29T01:30:00+00:00",  # 02:30 and 03:30 on the 29th are both 03:30 summer time
    ]


def test_timed_duration_is_exact_across_a_dst_change() -> None:
    """Three hours from 01:00 on the night the clocks go forward end at 05:00, three hours later."""
    start = berlin(2026, 3, 28, 1)
    found = expand(
        start=start,
        end=berlin(2026, 3, 28, 4),
        zone=BERLIN,
        rrule="FREQ=DAILY;COUNT=2",
        window_start=utc(2026, 3, 1),
        window_end=utc(2026, 4, 1),
    )
    assert [(o.start.isoformat(), o.end.isoformat()) for o in found] == [
        ("2026-03-28T01:00:00+01:00", "2026-03-28T04:00:00+01:00"),
        ("2026-03-29T01:00:00+01:00", "2026-03-29T05:00:00+02:00"),
    ]


def test_occurrence_that_began_before_the_window_and_goes_on_is_in() -> None:
    start = almaty(2026, 6, 1, 22)
    found = expand(
        start=start,
        end=start + 4 * HOUR,
        zone=ALMATY,
        rrule="FREQ=DAILY",
        window_start=almaty(2026, 6, 10, 1),
        window_end=almaty(2026, 6, 10, 2),
    )
    assert found == [timed(start=almaty(2026, 6, 9, 22), length=4 * HOUR)]


def test_limit_keeps_the_earliest_counting_moved_ones() -> None:
    start = almaty(2026, 1, 1, 9)
    found = expand(
        start=start,
        end=start + HOUR,
        zone=ALMATY,
        rrule="FREQ=DAILY",
        overrides={almaty(2026, 12, 31, 9): Override(almaty(2026, 1, 2, 7), almaty(2026, 1, 2, 8))},
        window_start=utc(2026, 1, 1),
        window_end=utc(2027, 1, 1),
        limit=3,
    )
    assert found == [
        timed(start=almaty(2026, 1, 1, 9), length=HOUR),
        timed(
            original=almaty(2026, 12, 31, 9),
            start=almaty(2026, 1, 2, 7),
            length=HOUR,
            overridden=True,
        ),
        timed(start=almaty(2026, 1, 2, 9), length=HOUR),
    ]
    everything = expand(
        start=start,
        end=start + HOUR,
        zone=ALMATY,
        rrule="FREQ=DAILY",
        window_start=utc(2026, 1, 1),
        window_end=utc(2036, 1, 1),
    )
    assert (len(everything), everything[-1].start) == (1000, almaty(2028, 9, 26, 9))


def test_naive_or_mismatched_values_are_a_programming_error() -> None:
    start = almaty(2026, 1, 1, 9)
    common: dict[str, Any] = {"zone": ALMATY, "rrule": "FREQ=DAILY"}
    window = {"window_start": utc(2026, 1, 1), "window_end": utc(2026, 2, 1)}
    with pytest.raises(ValueError, match="window_start must be an aware datetime"):
        expand(
            start=start,
            end=start,
            **common,
            window_start=datetime.combine(date(2026, 1, 1), time()),
            window_end=utc(2027, 1, 1),
        )
    with pytest.raises(TypeError, match="both be dates or both be datetimes"):
        expand(start=start, end=date(2026, 1, 2), **common, **window)
    with pytest.raises(TypeError, match="exdates and override keys are datetimes"):
        expand(start=start, end=start, exdates=[date(2026, 1, 2)], **common, **window)
    with pytest.raises(ValueError, match="end is before the start"):
        expand(start=start, end=start - HOUR, **common, **window)


# ---- a third-party consumer agrees ---------------------------------------------------------------


def _calendar(
    start: datetime | date,
    end: datetime | date,
    rrule: str,
    exdates: list[datetime | date],
    overrides: dict[datetime | date, Override],
) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    series = icalendar.Event()
    series.add("uid", "series@year2026.kz")
    series.add("dtstart", start)
    series.add("dtend", end)
    series.add("rrule", icalendar.vRecur.from_ical(rrule))
    for value in exdates:
        series.add("exdate", value)
    calendar.add_component(series)
    for key, change in overrides.items():
        single = icalendar.Event()
        single.add("uid", "series@year2026.kz")
        single.add("recurrence-id", key)
        single.add("dtstart", change.start)
        single.add("dtend", change.end)
        if change.cancelled:
            single.add("status", "CANCELLED")
        calendar.add_component(single)
    return calendar


Row = tuple[str, str, str, bool]


def _theirs(calendar: icalendar.Calendar, first: datetime, last: datetime) -> list[Row]:
    rows = []
    for event in recurring_ical_events.of(calendar).between(first, last):
        original = event.get("RECURRENCE-ID", event["DTSTART"]).dt
        rows.append(
            (
                str(original),
                str(event["DTSTART"].dt),
                str(event["DTEND"].dt),
                event.get("STATUS") == "CANCELLED",
            )
        )
    return sorted(rows, key=lambda row: row[1])


def _ours(occurrences: list[Occurrence]) -> list[Row]:
    return [(str(o.original_start), str(o.start), str(o.end), o.cancelled) for o in occurrences]


CROSS_CHECKS: list[tuple[str, Callable[[], dict[str, Any]]]] = [
    (
        "berlin-weekly-across-dst",
        lambda: {
            "start": berlin(2026, 3, 17, 18),
            "end": berlin(2026, 3, 17, 20),
            "zone": BERLIN,
            "rrule": "FREQ=WEEKLY;BYDAY=TU",
            "exdates": [berlin(2026, 3, 31, 18)],
            "overrides": {
                berlin(2026, 5, 5, 18): Override(berlin(2026, 4, 2, 9), berlin(2026, 4, 2, 10)),
                berlin(2026, 4, 7, 18): Override(berlin(2026, 6, 1, 9), berlin(2026, 6, 1, 10)),
                berlin(2026, 4, 14, 18): Override(
                    berlin(2026, 4, 14, 18), berlin(2026, 4, 14, 20), True
                ),
            },
            "window_start": utc(2026, 3, 20),
            "window_end": utc(2026, 4, 22),
        },
    ),
    (
        "almaty-monthly-last-friday-with-until",
        lambda: {
            "start": almaty(2023, 11, 24, 10),
            "end": almaty(2023, 11, 24, 12, 30),
            "zone": ALMATY,
            "rrule": "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20240531T050000Z",
            "exdates": [almaty(2024, 1, 26, 10)],
            "overrides": {},
            "window_start": utc(2023, 12, 1),
            "window_end": utc(2024, 12, 1),
        },
    ),
    (
        "all-day-weekend-monthly",
        lambda: {
            "start": date(2026, 6, 5),
            "end": date(2026, 6, 8),
            "zone": ALMATY,
            "rrule": "FREQ=MONTHLY;BYDAY=1FR;COUNT=6",
            "exdates": [date(2026, 8, 7)],
            "overrides": {date(2026, 9, 4): Override(date(2026, 9, 11), date(2026, 9, 13))},
            "window_start": almaty(2026, 6, 1),
            "window_end": almaty(2027, 1, 1),
        },
    ),
]


@pytest.mark.parametrize(
    "case", [make for _, make in CROSS_CHECKS], ids=[n for n, _ in CROSS_CHECKS]
)
def test_recurring_ical_events_expands_the_same_data_the_same(
    case: Callable[[], dict[str, Any]],
) -> None:
    given = case()
    calendar = _calendar(
        given["start"], given["end"], given["rrule"], given["exdates"], given["overrides"]
    )
    ours = _ours(expand(**given))
    assert ours == _theirs(calendar, given["window_start"], given["window_end"])
    assert len(ours) >= 3  # the check compares something


SKIPPED_RULES = [
    ("FREQ=DAILY;INTERVAL=7", (2026, 3, 17, 18)),
    ("FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,TU", (2026, 3, 17, 18)),
    ("FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=31", (2026, 1, 31, 9)),
    ("FREQ=MONTHLY;INTERVAL=7", (2026, 1, 31, 9)),  # the 31st, from the start
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", (2026, 3, 31, 9)),
    ("FREQ=YEARLY;INTERVAL=3", (2028, 2, 29, 12)),  # leap days in years 3 apart
    ("FREQ=YEARLY;INTERVAL=2;BYWEEKNO=53;BYDAY=TH", (2026, 12, 31, 8)),
    ("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYHOUR=1,3", (2026, 3, 29, 1)),
    ("FREQ=HOURLY;INTERVAL=5;BYHOUR=1,2,3,4,5;BYDAY=MO", (2026, 3, 16, 4)),
    ("FREQ=HOURLY;INTERVAL=13", (2026, 3, 17, 18)),
]


@pytest.mark.parametrize(("rule", "start"), SKIPPED_RULES)
@pytest.mark.parametrize("year", [2031, 2444])
def test_search_from_a_later_point_finds_what_dateutil_finds_from_the_start(
    rule: str, start: tuple[int, ...], year: int
) -> None:
    """The bounded search starts dateutil a whole number of intervals on and 400 years later;
    dateutil walking from the real start must find the same wall-clock times."""
    first = datetime.combine(date(*start[:3]), time(*start[3:]))
    lower = datetime.combine(date(year, 2, 20), time())
    upper = datetime.combine(date(year + 13, 3, 10), time())
    expected = rrulestr(rule, dtstart=first).between(lower, upper, inc=True)
    assert list(starts(read_rule(rule, all_day=False), first, lower, upper)) == expected
    assert len(expected) >= 1
