"""Every kind of feed, read by calendar software nobody on the team wrote: ical.js (Thunderbird's
parser), vobject with validation on, icalendar and recurring-ical-events.

One realistic calendar is built through the API (`a_year`): a one-off forum with long Kazakh and
Russian texts, a weekly meetup with an excluded date and one occurrence moved and one cancelled,
an all-day hackathon, a weekly webinar in Berlin across the change to summer time, and a summit
with a programme (one session cancelled); a person registered for the forum, one date of the
meetup and a workshop, with a reminder, and with one registration given up.

What each consumer reads is compared, whole, with what the test works out on its own from those
inputs (the UTC instants are written out below, never taken from our code): every VEVENT's UID,
RECURRENCE-ID, SUMMARY, STATUS, SEQUENCE, start and end, each series' occurrences in the
consumer's own expansion, the reminder; and the bytes are held to RFC 5545's line rules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support import people
from tests.support.calendar_readers import (
    ConsumerComplaint,
    Instance,
    Instant,
    Occurrence,
    ReadEvent,
    assert_wire_format,
    read_with_icalendar,
    read_with_icaljs,
    read_with_recurring_ical_events,
    read_with_vobject,
)
from tests.support.events import create_event, publish_event
from tests.support.feeds import publish
from tests.support.organizers import Organizer
from tests.support.registrations import register
from year2026.i18n import Language
from year2026.settings import Settings

UTC = dt.UTC
#: what every consumer expands series within
WINDOW = (dt.datetime(2027, 1, 1, tzinfo=UTC), dt.datetime(2028, 1, 1, tzinfo=UTC))
REMINDER = dt.timedelta(minutes=-30)

FORUM_TITLE = {
    "kk": "Цифрландыру және жасанды интеллект жылының халықаралық форумы: Қазақстанның цифрлық"
    " болашағы, ғылым, білім; инновациялар 🤖",
    "ru": "Международный форум Года цифровизации и искусственного интеллекта: цифровое будущее"
    " Казахстана, наука, образование; инновации 🤖",
}
FORUM_DESCRIPTION = {
    "kk": "Форумда үкімет, бизнес және ғылым өкілдері жасанды интеллекттің экономикадағы рөлін"
    " талқылайды.\n\nБағдарламада: пленарлық отырыс, секциялар, стартаптар көрмесі.",
    "ru": "На форуме представители правительства, бизнеса и науки обсудят роль искусственного"
    " интеллекта в экономике.\n\nВ программе: пленарное заседание, секции, выставка стартапов.",
}
MEETUP_TITLE = {"kk": "Апта сайынғы ЖИ кездесуі", "ru": "Еженедельный митап по ИИ"}
HACKATHON_TITLE = {"kk": "ЖИ хакатоны", "ru": "Хакатон по ИИ"}
WEBINAR_TITLE = {"kk": "Берлиннен вебинар", "ru": "Вебинар из Берлина"}
SUMMIT_TITLE = {"kk": "ЖИ саммиті", "ru": "Саммит ИИ"}
#: the summit's sessions: (title, start hour in Almaty, seats of its own)
SESSIONS = (("Keynote", 9, None), ("Workshop", 11, 20), ("Panel", 14, None))


def utc(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, minute, tzinfo=UTC)


# --- the calendar, built through the API --------------------------------------------------------


@dataclass(frozen=True)
class Year:
    """What `a_year` built, as the API answered it."""

    forum: dict[str, Any]
    meetup: dict[str, Any]
    #: the meetup's dates as first listed: 2, 9, 23 and 30 March, 6 April
    meetup_dates: list[dict[str, Any]]
    hackathon: dict[str, Any]
    webinar: dict[str, Any]
    summit: dict[str, Any]
    #: the keynote, the workshop (seats of its own), the panel (cancelled)
    sessions: list[dict[str, Any]]
    private_path: str


def _answer(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def a_year(client: httpx.AsyncClient, organizer: Organizer, settings: Settings) -> Year:
    async def opened(**fields: Any) -> dict[str, Any]:
        event = await create_event(client, organizer, **fields)
        await publish_event(client, organizer, event)
        return _answer(await client.get(f"/events/{event['id']}"))

    def texts(name: str, by_language: dict[str, str]) -> dict[str, str]:
        return {f"{name}_{language}": text for language, text in by_language.items()}

    forum = await opened(
        slug="digital-kazakhstan-forum",
        **texts("title", FORUM_TITLE),
        title_en="Digital Kazakhstan Forum",
        **texts("description", FORUM_DESCRIPTION),
        category="forum",
        region="astana",
        tags=["ai"],
        venue_name_kk="«Тәуелсіздік сарайы»",
        venue_address_ru="Астана, проспект Тәуелсіздік, 57",
        latitude=51.1283,
        longitude=71.4306,
        starts_at="2027-04-15T10:00:00",
        ends_at="2027-04-15T18:00:00",
    )
    meetup = await opened(
        slug="weekly-ai-meetup-shymkent",
        **texts("title", MEETUP_TITLE),
        category="meetup",
        region="shymkent",
        tags=["ai"],
        starts_at="2027-03-02T18:30:00",
        ends_at="2027-03-02T20:00:00",
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=6",
        exdates=["2027-03-16T18:30:00"],
    )
    dates = meetup["upcoming"]
    assert [date["starts_at"][:10] for date in dates] == [
        "2027-03-02",
        "2027-03-09",
        "2027-03-23",
        "2027-03-30",
        "2027-04-06",
    ]
    occurrences = f"/events/{meetup['id']}/occurrences"
    moved = {"starts_at": "2027-03-24T19:00:00"}
    _answer(
        await client.patch(f"{occurrences}/{dates[2]['id']}", json=moved, headers=organizer.headers)
    )
    dropped = {"cancelled": True}
    _answer(
        await client.patch(
            f"{occurrences}/{dates[3]['id']}", json=dropped, headers=organizer.headers
        )
    )
    hackathon = await opened(
        slug="ai-hackathon-almaty",
        **texts("title", HACKATHON_TITLE),
        category="hackathon",
        region="almaty",
        all_day=True,
        starts_at=None,
        ends_at=None,
        start_date="2027-05-20",
        end_date="2027-05-21",
    )
    webinar = await opened(
        slug="berlin-ai-webinar",
        **texts("title", WEBINAR_TITLE),
        category="webinar",
        format="online",
        region=None,
        online_url="https://meet.example.de/ai",
        time_zone="Europe/Berlin",
        starts_at="2027-03-18T18:00:00",
        ends_at="2027-03-18T19:00:00",
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    summit = await opened(
        slug="ai-summit-2027",
        **texts("title", SUMMIT_TITLE),
        category="conference",
        region="almaty",
        starts_at="2027-06-10T09:00:00",
        ends_at="2027-06-10T18:00:00",
    )
    sessions = []
    for title, hour, seats in SESSIONS:
        body = {
            "title_kk": f"{title} (kk)",
            "title_ru": f"{title} (ru)",
            "starts_at": f"2027-06-10T{hour:02}:00:00+05:00",
            "ends_at": f"2027-06-10T{hour:02}:45:00+05:00",
            "capacity": seats,
        }
        path = f"/events/{summit['id']}/sessions"
        sessions.append(_answer(await client.post(path, json=body, headers=organizer.headers), 201))
    _answer(await client.post(f"{path}/{sessions[2]['id']}/cancel", headers=organizer.headers))

    person = await people.signed_in_person(settings, preferred_language=Language.RU)
    await register(client, person, forum)
    await register(client, person, meetup, occurrence_id=dates[2]["id"])
    await register(client, person, summit, session_id=sessions[1]["id"])
    given_up = await register(client, person, hackathon)
    _answer(await client.delete(f"/me/registrations/{given_up['id']}", headers=person.headers))
    address = _answer(await client.post("/me/calendar-feed", headers=person.headers), 201)
    reminder = {"reminder_minutes": 30}
    _answer(await client.patch("/me/calendar-feed", json=reminder, headers=person.headers))
    await publish(settings)
    return Year(
        forum=forum,
        meetup=meetup,
        meetup_dates=dates,
        hackathon=hackathon,
        webinar=webinar,
        summit=summit,
        sessions=sessions,
        private_path=urlsplit(address["https_url"]).path,
    )


# --- what every consumer should read, worked out from the inputs above ------------------------


@dataclass(frozen=True)
class Expected:
    """One VEVENT as the test expects the consumers to read it."""

    uid: str
    summary: str
    #: every change a calendar must take raises it: publishing is the first
    sequence: int
    start: Instant
    end: Instant
    status: str = "CONFIRMED"
    recurrence_id: Instant | None = None
    #: a series: its dates as its RRULE makes them less the EXDATEs (what vobject expands)…
    rule_dates: tuple[Occurrence, ...] | None = None
    #: …and as a calendar shows them, with the overrides (what ical.js and r-i-e expand)
    shown_dates: tuple[Occurrence, ...] | None = None
    alarms: tuple[dt.timedelta, ...] = ()

    def itself(self) -> tuple[Occurrence, ...]:
        """What a consumer expands a single item to (an override is expanded with its series)."""
        if self.recurrence_id is not None:
            return ()
        return (Occurrence(self.start, self.end, self.status),)

    def read(self, occurrences: tuple[Occurrence, ...] | None) -> ReadEvent:
        return ReadEvent(
            uid=self.uid,
            recurrence_id=self.recurrence_id,
            summary=self.summary,
            status=self.status,
            sequence=self.sequence,
            start=self.start,
            end=self.end,
            occurrences=occurrences,
            alarms=self.alarms,
        )


def _identity(event: ReadEvent) -> tuple[str, str]:
    return event.uid, "" if event.recurrence_id is None else event.recurrence_id.isoformat()


def _in_time(instance: Instance) -> tuple[dt.datetime, str]:
    start = instance.start
    if not isinstance(start, dt.datetime):
        start = dt.datetime.combine(start, dt.time(), UTC)
    return start, instance.uid


def as_each_consumer_reads(expected: list[Expected]) -> dict[str, list[Any]]:
    def readings(dates: Callable[[Expected], tuple[Occurrence, ...] | None]) -> list[ReadEvent]:
        return sorted((event.read(dates(event)) for event in expected), key=_identity)

    instances = [
        Instance(event.uid, occurrence.start, occurrence.status, event.summary)
        for event in expected
        for occurrence in (event.shown_dates or event.itself())
    ]
    return {
        "ical.js": readings(lambda event: event.shown_dates or event.itself()),
        "vobject": readings(lambda event: event.rule_dates or event.itself()),
        "icalendar": readings(lambda event: None),
        "recurring-ical-events": sorted(instances, key=_in_time),
    }


def as_read(body: bytes) -> dict[str, list[Any]]:
    return {
        "ical.js": sorted(read_with_icaljs(body, WINDOW), key=_identity),
        "vobject": sorted(read_with_vobject(body, WINDOW), key=_identity),
        "icalendar": sorted(read_with_icalendar(body), key=_identity),
        "recurring-ical-events": sorted(
            read_with_recurring_ical_events(body, WINDOW), key=_in_time
        ),
    }


def _uid(kind: str, object_id: str) -> str:
    return f"{kind}-{object_id}@year2026.kz"


def forum(year: Year, language: str) -> Expected:
    # 10:00–18:00 in Astana (UTC+5)
    return Expected(
        _uid("event", year.forum["id"]), FORUM_TITLE[language], 1, utc(4, 15, 5), utc(4, 15, 13)
    )


def meetup(year: Year, language: str) -> list[Expected]:
    """The series and its two overrides: 18:30–20:00 in Shymkent (UTC+5) on Tuesdays, six by
    the rule; 16 March excluded, 23 March moved to Wednesday 24th 19:00–20:30, 30 March off."""
    uid, title = _uid("event", year.meetup["id"]), MEETUP_TITLE[language]

    def tuesday(month: int, day: int, status: str = "CONFIRMED") -> Occurrence:
        return Occurrence(utc(month, day, 13, 30), utc(month, day, 15), status)

    moved = Occurrence(utc(3, 24, 14), utc(3, 24, 15, 30), "CONFIRMED")
    series = Expected(
        uid,
        title,
        1,
        utc(3, 2, 13, 30),
        utc(3, 2, 15),
        rule_dates=(tuesday(3, 2), tuesday(3, 9), tuesday(3, 23), tuesday(3, 30), tuesday(4, 6)),
        shown_dates=(
            tuesday(3, 2),
            tuesday(3, 9),
            moved,
            tuesday(3, 30, "CANCELLED"),
            tuesday(4, 6),
        ),
    )
    # each override: the series' one change, then its own
    return [
        series,
        Expected(uid, title, 2, moved.start, moved.end, recurrence_id=utc(3, 23, 13, 30)),
        Expected(
            uid,
            title,
            2,
            utc(3, 30, 13, 30),
            utc(3, 30, 15),
            status="CANCELLED",
            recurrence_id=utc(3, 30, 13, 30),
        ),
    ]


def hackathon(year: Year, language: str) -> Expected:
    # two whole days: DTEND is the day after the last
    return Expected(
        _uid("event", year.hackathon["id"]),
        HACKATHON_TITLE[language],
        1,
        dt.date(2027, 5, 20),
        dt.date(2027, 5, 22),
    )


def webinar(year: Year, language: str) -> Expected:
    """18:00–19:00 in Berlin for three Thursdays: CET (UTC+1) until 28 March, then CEST (UTC+2)."""
    dates = (
        Occurrence(utc(3, 18, 17), utc(3, 18, 18), "CONFIRMED"),
        Occurrence(utc(3, 25, 17), utc(3, 25, 18), "CONFIRMED"),
        Occurrence(utc(4, 1, 16), utc(4, 1, 17), "CONFIRMED"),
    )
    return Expected(
        _uid("event", year.webinar["id"]),
        WEBINAR_TITLE[language],
        1,
        dates[0].start,
        dates[0].end,
        rule_dates=dates,
        shown_dates=dates,
    )


def summit(year: Year, language: str) -> Expected:
    # 09:00–18:00 in Almaty (UTC+5)
    return Expected(
        _uid("event", year.summit["id"]), SUMMIT_TITLE[language], 1, utc(6, 10, 4), utc(6, 10, 13)
    )


def sessions(year: Year, language: str) -> list[Expected]:
    """Each 45 minutes from its hour in Almaty (UTC+5); the panel's cancellation is a change of
    its own on top of its event's publishing."""
    return [
        Expected(
            _uid("session", session["id"]),
            f"{title} ({language})",
            2 if title == "Panel" else 1,
            utc(6, 10, hour - 5),
            utc(6, 10, hour - 5, 45),
            status="CANCELLED" if title == "Panel" else "CONFIRMED",
        )
        for session, (title, hour, _) in zip(year.sessions, SESSIONS, strict=True)
    ]


def private_items(year: Year) -> list[Expected]:
    """The person's registrations, in their language (Russian), each with the reminder but the
    one given up; a date of a series is an item of its own."""
    moved = Expected(
        _uid("occurrence", year.meetup_dates[2]["id"]),
        MEETUP_TITLE["ru"],
        2,  # the series' change and the date's own
        utc(3, 24, 14),
        utc(3, 24, 15, 30),
        alarms=(REMINDER,),
    )
    given_up = Expected(
        _uid("event", year.hackathon["id"]),
        HACKATHON_TITLE["ru"],
        2,  # the event's change and the registration's end
        dt.date(2027, 5, 20),
        dt.date(2027, 5, 22),
        status="CANCELLED",
    )
    workshop = sessions(year, "ru")[1]
    return [
        moved,
        dataclasses.replace(forum(year, "ru"), alarms=(REMINDER,)),
        given_up,
        dataclasses.replace(workshop, alarms=(REMINDER,)),
    ]


#: each kind of feed: its address, and what it holds
FEEDS: dict[str, tuple[Callable[[Year], str], Callable[[Year], list[Expected]]]] = {
    "listing-with-sessions": (
        lambda year: "/feeds/events.ics?sessions=true&lang=kk",
        lambda year: [
            *meetup(year, "kk"),
            webinar(year, "kk"),
            forum(year, "kk"),
            hackathon(year, "kk"),
            summit(year, "kk"),
            *sessions(year, "kk"),
        ],
    ),
    "listing-filtered": (
        lambda year: "/feeds/events.ics?tag=ai&lang=ru",
        lambda year: [*meetup(year, "ru"), forum(year, "ru")],
    ),
    "event-series": (
        lambda year: f"/feeds/events/{year.meetup['slug']}.ics?lang=ru",
        lambda year: meetup(year, "ru"),
    ),
    "event-with-programme": (
        lambda year: f"/feeds/events/{year.summit['id']}.ics?lang=kk",
        lambda year: [summit(year, "kk"), *sessions(year, "kk")],
    ),
    "event-in-berlin": (
        lambda year: f"/feeds/events/{year.webinar['slug']}.ics?lang=ru",
        lambda year: [webinar(year, "ru")],
    ),
    "session-cancelled": (
        lambda year: f"/feeds/sessions/{year.sessions[2]['id']}.ics?lang=ru",
        lambda year: [sessions(year, "ru")[2]],
    ),
    "private": (lambda year: year.private_path, private_items),
}


@pytest.mark.parametrize("kind", list(FEEDS))
async def test_every_consumer_reads_the_feed_as_it_was_built(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings, kind: str
) -> None:
    year = await a_year(client, organizer, clean_state)
    path, expected = FEEDS[kind]

    response = await client.get(path(year))

    assert response.status_code == 200, response.text
    assert_wire_format(response.content)
    assert as_read(response.content) == as_each_consumer_reads(expected(year))


# --- the readers themselves: they read a plain calendar, and they refuse what they should -------


def _calendar(*lines: str) -> bytes:
    return "\r\n".join(
        ("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//EN", *lines, "END:VCALENDAR", "")
    ).encode()


def _vevent(**changes: str | None) -> list[str]:
    properties = {
        "UID": "talk@example.kz",
        "DTSTAMP": "20261201T000000Z",
        "SEQUENCE": "3",
        "SUMMARY": "Баяндама",
        "STATUS": "CONFIRMED",
        "DTSTART": "20270301T100000Z",
        "DTEND": "20270301T110000Z",
        **changes,
    }
    lines = [f"{name}:{value}" for name, value in properties.items() if value is not None]
    return ["BEGIN:VEVENT", *lines, "END:VEVENT"]


def test_every_reader_reads_a_plain_calendar_alike() -> None:
    talk = Expected("talk@example.kz", "Баяндама", 3, utc(3, 1, 10), utc(3, 1, 11))

    assert as_read(_calendar(*_vevent())) == as_each_consumer_reads([talk])


@pytest.mark.parametrize(
    ("reader", "calendar"),
    [
        # ical.js would read the time as floating: wrong in every other zone
        (
            "ical.js",
            _calendar(*_vevent(DTSTART=None, **{"DTSTART;TZID=Asia/Almaty": "20270301T150000"})),
        ),
        ("vobject", _calendar(*_vevent(DTSTAMP=None))),
        ("vobject", _calendar(*_vevent(DURATION="PT1H"))),
        ("vobject", _calendar("PRODID:-//twice//EN", *_vevent())),
        ("icalendar", _calendar(*_vevent(DTSTART="2027-03-01"))),
    ],
    ids=[
        "icaljs-tzid-without-vtimezone",
        "vobject-no-dtstamp",
        "vobject-dtend-and-duration",
        "vobject-two-prodids",
        "icalendar-unreadable-dtstart",
    ],
)
def test_a_reader_refuses_what_its_consumer_refuses(reader: str, calendar: bytes) -> None:
    readers: dict[str, Callable[[bytes], object]] = {
        "ical.js": lambda body: read_with_icaljs(body, WINDOW),
        "vobject": lambda body: read_with_vobject(body, WINDOW),
        "icalendar": read_with_icalendar,
    }
    with pytest.raises(ConsumerComplaint):
        readers[reader](calendar)


@pytest.mark.parametrize(
    "body",
    [
        b"BEGIN:VCALENDAR\nEND:VCALENDAR\n",
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR",
        b"BEGIN:VCALENDAR\r\nSUMMARY:" + b"x" * 68 + b"\r\nEND:VCALENDAR\r\n",
        # 8 + 33 × 2 + 1 octets: the fold cuts a Cyrillic letter in two
        b"BEGIN:VCALENDAR\r\nSUMMARY:"
        + "ж".encode() * 33
        + "ж".encode()[:1]
        + b"\r\n "
        + "ж".encode()[1:]
        + b"\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nSUMMARY:a\r\n\tb\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\n\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nSUMMARY:ж\r\nEND:VCALENDAR\r\n".encode("cp1251"),
    ],
    ids=["lf", "no-final-crlf", "76-octets", "fold-in-a-letter", "tab", "empty-line", "not-utf8"],
)
def test_the_wire_format_check_refuses_what_rfc_5545_forbids(body: bytes) -> None:
    with pytest.raises((AssertionError, UnicodeDecodeError)):
        assert_wire_format(body)


def test_the_wire_format_check_takes_a_fold_between_letters() -> None:
    # 8 + 33 × 2 octets, then the rest after one space: 74 and 4 octets
    folded = "BEGIN:VCALENDAR\r\nSUMMARY:" + "ж" * 33 + "\r\n " + "жж" + "\r\nEND:VCALENDAR\r\n"
    assert_wire_format(folded.encode())
