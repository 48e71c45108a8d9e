"""The feeds as calendar apps use them: what they answer, how they follow changes, and the
caching that lets a million subscribers poll them."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import gzip
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
from icalendar import Calendar

from tests.support import people
from tests.support.events import create_event
from tests.support.feeds import path_of, private_feed_of, publish
from tests.support.organizers import Organizer
from tests.support.registrations import cancel_mine, open_event, register
from tests.support.server import ServerSet, running_api
from year2026.settings import Settings

LISTING = "/feeds/events.ics?lang=en"


def vevents(body: bytes) -> list[dict[str, Any]]:
    """What a calendar app reads of each VEVENT (icalendar's reading)."""
    calendar = Calendar.from_ical(body)
    return [
        {
            "uid": str(event["UID"]),
            "summary": str(event["SUMMARY"]),
            "status": str(event["STATUS"]),
            "sequence": int(event["SEQUENCE"]),
            "start": event.decoded("DTSTART").astimezone(dt.UTC),
        }
        for event in calendar.walk("VEVENT")
    ]


def uid(event: dict[str, Any]) -> str:
    return f"event-{event['id']}@year2026.kz"


def http_date(instant: str) -> str:
    return email.utils.format_datetime(
        dt.datetime.fromisoformat(instant).astimezone(dt.UTC).replace(microsecond=0),
        usegmt=True,
    )


async def test_listing_feed_is_a_calendar_with_caching_headers(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    event = await open_event(client, organizer)
    await publish(clean_state)

    response = await client.get(LISTING)

    assert response.status_code == 200
    etag = response.headers["etag"]
    assert (etag[0], etag[-1]) == ('"', '"')  # a strong tag (no W/)
    shown = (await client.get(f"/events/{event['id']}")).json()
    assert {
        name: response.headers[name]
        for name in ("content-type", "cache-control", "vary", "last-modified")
    } == {
        "content-type": "text/calendar; charset=utf-8",
        "cache-control": "public, max-age=3600",
        "vary": "Accept-Encoding",
        "last-modified": http_date(shown["updated_at"]),
    }
    assert vevents(response.content) == [
        {
            "uid": uid(event),
            "summary": "AI Day",
            "status": "CONFIRMED",
            "sequence": shown["sequence"],
            "start": dt.datetime(2027, 6, 1, 5, 0, tzinfo=dt.UTC),
        }
    ]


async def test_a_client_with_the_current_feed_is_answered_304(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    await open_event(client, organizer)
    await publish(clean_state)
    first = await client.get(LISTING)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    later = email.utils.format_datetime(
        email.utils.parsedate_to_datetime(modified) + dt.timedelta(hours=1), usegmt=True
    )
    earlier = email.utils.format_datetime(
        email.utils.parsedate_to_datetime(modified) - dt.timedelta(seconds=1), usegmt=True
    )

    async def status(**headers: str) -> int:
        return (await client.get(LISTING, headers=headers)).status_code

    assert [
        await status(**{"If-None-Match": etag}),
        await status(**{"If-None-Match": f'"other", {etag}'}),
        await status(**{"If-None-Match": f"W/{etag}"}),
        await status(**{"If-None-Match": "*"}),
        await status(**{"If-None-Match": '"other"'}),
        await status(**{"If-Modified-Since": modified}),
        await status(**{"If-Modified-Since": later}),
        await status(**{"If-Modified-Since": earlier}),
        await status(**{"If-Modified-Since": "not a date"}),
        # If-None-Match decides when both are sent
        await status(**{"If-None-Match": '"other"', "If-Modified-Since": later}),
    ] == [304, 304, 304, 304, 200, 304, 304, 200, 200, 200]
    not_modified = await client.get(LISTING, headers={"If-None-Match": etag})
    assert (not_modified.content, not_modified.headers["etag"]) == (b"", etag)


async def test_head_and_gzip_answer_the_same_feed(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    event = await open_event(client, organizer)
    path = f"/feeds/events/{event['slug']}.ics?lang=en"
    plain = await client.get(path, headers={"Accept-Encoding": "identity"})
    head = await client.head(path, headers={"Accept-Encoding": "identity"})
    async with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as zipped:
        sent = b"".join([part async for part in zipped.aiter_raw()])

    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == str(len(plain.content))
    assert head.headers["etag"] == plain.headers["etag"]
    assert zipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(sent) == plain.content
    assert zipped.headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    again = await client.get(
        path, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["etag"]}
    )
    assert again.status_code == 304


async def test_a_change_of_time_raises_the_sequence_and_changes_the_etag(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    event = await open_event(client, organizer)
    await publish(clean_state)
    before = await client.get(LISTING)
    [item] = vevents(before.content)

    moved = await client.patch(
        f"/events/{event['id']}",
        json={"starts_at": "2027-06-02T10:00:00", "ends_at": "2027-06-02T18:00:00"},
        headers=organizer.headers,
    )
    assert moved.status_code == 200, moved.text
    stale = await client.get(LISTING, headers={"If-None-Match": before.headers["etag"]})
    assert stale.status_code == 304  # not yet published
    await publish(clean_state)
    after = await client.get(LISTING, headers={"If-None-Match": before.headers["etag"]})

    assert after.status_code == 200
    assert vevents(after.content) == [
        {
            **item,
            "sequence": item["sequence"] + 1,
            "start": dt.datetime(2027, 6, 2, 5, 0, tzinfo=dt.UTC),
        }
    ]
    unchanged = await publish(clean_state)
    assert unchanged.owners == 0
    assert (
        await client.get(LISTING, headers={"If-None-Match": after.headers["etag"]})
    ).status_code == 304


async def test_cancelled_events_stay_cancelled_for_the_keeping_period_then_leave(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    event = await open_event(client, organizer)
    await publish(clean_state)
    [before] = vevents((await client.get(LISTING)).content)
    cancelled = await client.post(
        f"/events/{event['id']}/cancel",
        json={"reason_en": "Moved online"},
        headers=organizer.headers,
    )
    assert cancelled.status_code == 200, cancelled.text

    await publish(clean_state)
    listing = vevents((await client.get(LISTING)).content)
    own = vevents((await client.get(f"/feeds/events/{event['id']}.ics?lang=en")).content)

    after = {**before, "status": "CANCELLED", "sequence": before["sequence"] + 1}
    assert (listing, own) == ([after], [after])
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=clean_state.feed_keep_days, hours=1)
    await publish(clean_state, now=later, every_listing=True)
    assert vevents((await client.get(LISTING)).content) == []


async def test_one_changed_event_rewrites_its_own_fragments_only(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    events = [
        await open_event(
            client,
            organizer,
            title_en=f"Event {day}",
            starts_at=f"2027-06-0{day}T10:00:00",
            ends_at=f"2027-06-0{day}T18:00:00",
        )
        for day in (1, 2, 3)
    ]
    first = await publish(clean_state)
    await client.get(LISTING)  # a subscriber: the publisher keeps this listing written

    renamed = await client.patch(
        f"/events/{events[1]['id']}", json={"title_en": "Renamed"}, headers=organizer.headers
    )
    assert renamed.status_code == 200, renamed.text
    second = await publish(clean_state)

    # each event: its own items and its sessions, in three languages
    assert (first.owners, first.fragments) == (3, 18)
    assert (second.owners, second.fragments, second.listings) == (1, 6, 1)
    summaries = [item["summary"] for item in vevents((await client.get(LISTING)).content)]
    assert summaries == ["Event 1", "Renamed", "Event 3"]


async def test_filtered_and_language_feeds(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    forum = await open_event(client, organizer, category="forum", title_en="Forum", tags=["ai"])
    await open_event(
        client,
        organizer,
        category="hackathon",
        title_en="Hackathon",
        starts_at="2027-07-01T10:00:00",
        ends_at="2027-07-01T18:00:00",
    )
    await publish(clean_state)

    async def summaries(query: str) -> list[str]:
        response = await client.get(f"/feeds/events.ics?{query}")
        assert response.status_code == 200, response.text
        return [item["summary"] for item in vevents(response.content)]

    assert await summaries("lang=en&category=forum") == ["Forum"]
    assert await summaries("lang=en&tag=AI") == ["Forum"]
    assert await summaries("lang=en&region=almaty") == []
    assert await summaries(f"lang=en&organization={organizer.organization_id}") == [
        "Forum",
        "Hackathon",
    ]
    assert await summaries("lang=kk&category=forum") == [forum["title_kk"]]
    refused = await client.get("/feeds/events.ics?category=picnic")
    assert (refused.status_code, refused.headers["content-type"]) == (
        400,
        "application/problem+json",
    )


async def test_unknown_feeds_are_the_same_404(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    draft = await create_event(client, organizer)
    paths = [
        f"/feeds/events/{draft['id']}.ics",
        f"/feeds/events/{uuid.uuid4()}.ics",
        "/feeds/events/no-such-event.ics",
        f"/feeds/sessions/{uuid.uuid4()}.ics",
        "/feeds/private/AAAAAAAAAAAAAAAAAAAAAA.ics",
        "/feeds/private/short.ics",
    ]
    answers = [await client.get(path, headers={"Accept-Language": "en"}) for path in paths]
    assert [(answer.status_code, answer.json()["code"]) for answer in answers] == [
        (404, "feed-not-found")
    ] * len(paths)
    assert {answer.json()["detail"] for answer in answers} == {"There is no such calendar."}


async def test_private_feed_follows_registrations_and_rotation_cuts_the_old_address_off(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    event = await open_event(client, organizer, capacity=5)
    person = await people.signed_in_person(clean_state)
    registration = await register(client, person, event)
    made = await client.post("/me/calendar-feed", headers=person.headers)
    assert made.status_code == 201, made.text
    address = made.json()["https_url"]
    assert made.json()["webcal_url"] == "webcal://" + address.split("://", 1)[1]
    assert len(address) < 256
    path = path_of(address) + "?lang=en"

    first = await client.get(path)
    [confirmed] = vevents(first.content)
    assert first.headers["cache-control"] == "private, max-age=3600"
    assert (confirmed["uid"], confirmed["status"]) == (uid(event), "CONFIRMED")

    await cancel_mine(client, person, registration)
    await publish(clean_state)
    [cancelled] = vevents((await client.get(path)).content)
    assert cancelled == {**confirmed, "status": "CANCELLED", "sequence": confirmed["sequence"] + 1}

    rotated = await client.post("/me/calendar-feed", headers=person.headers)
    new_path = path_of(rotated.json()["https_url"])
    assert (await client.get(path)).status_code == 404  # at once: nothing was published
    assert (await client.get(new_path)).status_code == 200

    revoked = await client.delete("/me/calendar-feed", headers=person.headers)
    assert revoked.status_code == 204
    assert (await client.get(new_path)).status_code == 404
    missing = await client.get("/me/calendar-feed", headers=person.headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "no-calendar-feed")


async def test_reminder_preference_adds_an_alarm_to_the_private_feed(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    event = await open_event(client, organizer)
    person = await people.signed_in_person(clean_state)
    await register(client, person, event)
    made, path = await private_feed_of(client, person)
    assert Calendar.from_ical((await client.get(path)).content).walk("VALARM") == []

    changed = await client.patch(
        "/me/calendar-feed", json={"reminder_minutes": 90}, headers=person.headers
    )
    assert changed.json() == {"reminder_minutes": 90, "created_at": made["created_at"]}
    [alarm] = Calendar.from_ical((await client.get(path)).content).walk("VALARM")
    assert (str(alarm["ACTION"]), alarm.decoded("TRIGGER")) == (
        "DISPLAY",
        -dt.timedelta(minutes=90),
    )
    shown = await client.get("/me/calendar-feed", headers=person.headers)
    assert shown.json() == {"reminder_minutes": 90, "created_at": made["created_at"]}


def _fetch_both(urls: list[str]) -> list[tuple[int, str, bytes]]:
    answers = [httpx.get(url, timeout=10) for url in urls]
    return [(answer.status_code, answer.headers["etag"], answer.content) for answer in answers]


async def test_two_api_processes_answer_the_same_bytes_and_etag(
    client: httpx.AsyncClient,
    organizer: Organizer,
    clean_state: Settings,
    test_servers: ServerSet,
    tmp_path: Path,
) -> None:
    event = await open_event(client, organizer)
    await publish(clean_state)
    environment = dict(test_servers.environment)
    with (
        running_api(environment, tmp_path / "first.log") as first,
        running_api(environment, tmp_path / "second.log") as second,
    ):
        urls = [
            f"{base}{path}"
            for path in (LISTING, f"/feeds/events/{event['slug']}.ics?lang=ru")
            for base in (first, second)
        ]
        answers = await asyncio.to_thread(_fetch_both, urls)
    assert [answer[0] for answer in answers] == [200] * 4
    assert answers[1] == answers[0]
    assert answers[3] == answers[2]


async def test_private_feed_is_in_the_persons_language_and_follows_its_change(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    event = await open_event(client, organizer)
    person = await people.signed_in_person(clean_state)
    await register(client, person, event)
    _, path = await private_feed_of(client, person)

    async def name_and_summaries() -> tuple[str, list[str]]:
        body = (await client.get(path)).content
        name = str(Calendar.from_ical(body)["X-WR-CALNAME"])
        return name, [item["summary"] for item in vevents(body)]

    before = await name_and_summaries()
    changed = await client.patch("/me", json={"preferred_language": "ru"}, headers=person.headers)
    assert changed.status_code == 200, changed.text
    await publish(clean_state)
    assert (before, await name_and_summaries()) == (
        ("Менің күнтізбем: 2026 жыл", [event["title_kk"]]),
        ("Мой календарь: Год 2026", [event["title_ru"]]),
    )


async def test_an_event_page_links_to_its_calendar(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    event = await open_event(client, organizer)
    page = (await client.get(f"/events/{event['id']}")).json()
    https_url = f"{clean_state.effective_public_url}/feeds/events/{event['slug']}.ics"
    assert page["calendar"] == {
        "https_url": https_url,
        "webcal_url": "webcal://" + https_url.split("://", 1)[1],
    }
    fetched = await client.get(https_url.removeprefix(clean_state.effective_public_url))
    assert [item["uid"] for item in vevents(fetched.content)] == [uid(event)]


def _fetch(url: str) -> int:
    return httpx.get(url, timeout=10).status_code


async def test_served_processes_log_as_configured_and_never_a_private_token(
    client: httpx.AsyncClient, clean_state: Settings, test_servers: ServerSet, tmp_path: Path
) -> None:
    person = await people.signed_in_person(clean_state)
    made = (await client.post("/me/calendar-feed", headers=person.headers)).json()
    token = made["https_url"].rsplit("/", 1)[1].removesuffix(".ics")
    environment = {**test_servers.environment, "YEAR2026_LOG_FORMAT": "json"}
    log = tmp_path / "api.log"
    # two processes: uvicorn spawns them, and each must configure its own logging
    with running_api(environment, log, workers=2) as base:
        statuses = [
            await asyncio.to_thread(_fetch, f"{base}/feeds/private/{token}.ics") for _ in range(4)
        ]
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("event") == "request"]
    assert statuses == [200] * 4
    assert [(line["path"], line["status"]) for line in access if "feeds" in line["path"]] == [
        ("/feeds/private/…", 200)
    ] * 4
    assert token not in log.read_text()


async def test_a_request_asked_again_is_answered_the_same(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    """The second of two identical requests is answered from the process's copy without the
    route (the fast path): headers and bytes as the route gave them."""
    event = await open_event(client, organizer)
    await publish(clean_state)
    etag = (await client.get(LISTING, headers={"Accept-Encoding": "identity"})).headers["etag"]
    cases = [
        ("GET", LISTING, {"Accept-Encoding": "gzip"}),
        ("GET", LISTING, {"Accept-Encoding": "identity", "If-None-Match": etag}),
        ("HEAD", f"/feeds/events/{event['slug']}.ics", {"Accept-Language": "ru"}),
        (
            "GET",
            f"/feeds/events/{event['slug']}.ics",
            {"Accept-Language": "en", "Accept-Encoding": "identity"},
        ),
    ]

    async def asked(method: str, path: str, headers: dict[str, str]) -> tuple[Any, ...]:
        async with client.stream(method, path, headers=headers) as response:
            body = b"".join([part async for part in response.aiter_raw()])
        shown = sorted((k, v) for k, v in response.headers.items() if k != "x-request-id")
        return response.status_code, shown, body

    first = [await asked(*case) for case in cases]
    again = [await asked(*case) for case in cases]
    assert again == first
    assert [answer[0] for answer in first] == [200, 304, 200, 200]
    summaries = [item["summary"] for item in vevents(first[3][2])]
    assert summaries == ["AI Day"]  # in the language asked, not the first request's


async def test_a_first_request_may_be_conditional(
    client: httpx.AsyncClient, organizer: Organizer, clean_state: Settings
) -> None:
    """A 304 from the route itself (not the fast path): a process that has not seen the request
    yet, asked with the ETag another process gave."""
    event = await open_event(client, organizer)
    path = f"/feeds/events/{event['id']}.ics?lang=en"
    etag = (await client.get(path)).headers["etag"]
    again = await client.get(f"{path}&sessions=true", headers={"If-None-Match": etag})
    assert again.status_code == 304
