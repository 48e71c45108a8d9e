"""The event calendar over HTTP: the workflow and who sees drafts, organization scoping, bad input,
the language fallback and its marking, times and recurrence, search, paging and the audit."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import httpx
import pytest

from events.occurrences import HORIZON_DAYS, extend_horizons
from events.tables import Event, Occurrence
from tests.support import organizers, people
from tests.support.events import create_event as create
from tests.support.events import event_body
from tests.support.events import publish_event as publish
from tests.support.http import assert_problem, problem_of
from tests.support.organizers import Organizer
from year2026.audit_tables import AuditEntry
from year2026.people.enums import Role
from year2026.redis import open_redis
from year2026.settings import Settings
from year2026.worker import QUEUE_NAME

UTC = dt.UTC


# --- time ---------------------------------------------------------------------------------


async def test_wall_clock_time_in_almaty_is_utc_plus_five(
    client: httpx.AsyncClient, organizer: Organizer
) -> None:
    # Kazakhstan has had one zone, UTC+5, since 2024-03-01
    event = await create(
        client, organizer, starts_at="2026-06-01T10:00:00", ends_at="2026-06-01T12:00:00"
    )
    assert event["starts_at"] == "2026-06-01T10:00:00+05:00"
    assert dt.datetime.fromisoformat(event["starts_at"]).astimezone(UTC) == dt.datetime(
        2026, 6, 1, 5, 0, tzinfo=UTC
    )
    # an instant with another offset is kept as the same instant, shown in the event's zone
    later = await create(
        client, organizer, starts_at="2026-06-01T06:00:00Z", ends_at="2026-06-01T07:00:00Z"
    )
    assert (later["starts_at"], later["ends_at"]) == (
        "2026-06-01T11:00:00+05:00",
        "2026-06-01T12:00:00+05:00",
    )


async def test_all_day_event_has_dates_and_covers_whole_days(
    client: httpx.AsyncClient, organizer: Organizer
) -> None:
    event = await create(
        client,
        organizer,
        all_day=True,
        starts_at=None,
        ends_at=None,
        start_date="2027-12-09",
        end_date="2027-12-11",
    )
    assert (event["start_date"], event["end_date"]) == ("2027-12-09", "2027-12-11")
    assert (event["starts_at"], event["ends_at"]) == (
        "2027-12-09T00:00:00+05:00",
        "2027-12-12T00:00:00+05:00",
    )


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"ends_at": "2027-06-01T09:00:00"}, "ends_at", "event-ends-before-start"),
        ({"time_zone": "Asia/Nowhere"}, "time_zone", "unknown-time-zone"),
        ({"rrule": "FREQ=SOMETIMES"}, "rrule", "invalid-recurrence"),
        ({"rrule": "FREQ=MINUTELY"}, "rrule", "invalid-recurrence"),
        ({"title_kk": "", "title_ru": "", "title_en": ""}, "title_kk", "event-title-required"),
        ({"region": None}, "region", "event-region-required"),
        ({"format": "online", "region": "almaty"}, "region", "event-online-has-no-region"),
        ({"latitude": 43.2}, "longitude", "event-coordinates-incomplete"),
        ({"tags": ["no spaces"]}, "tags", "event-invalid-tag"),
    ],
)
async def test_bad_event_fields_are_422_naming_the_field(
    client: httpx.AsyncClient,
    organizer: Organizer,
    changes: dict[str, Any],
    field: str,
    code: str,
) -> None:
    response = await client.post(
        "/events",
        json=event_body(organizer.organization_id, **changes),
        headers={**organizer.headers, "Accept-Language": "en"},
    )
    body = assert_problem(response, 422)
    assert (body["code"], [error["field"] for error in body["errors"]]) == (code, [field])
    # nothing was half-written
    listed = await client.get("/events", params={"from": "2000-01-01T00:00:00Z"})
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": 91, "longitude": 10}, "latitude"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"online_url": "ftp://files.example.kz"}, "online_url"),
        ({"slug": "Not A Slug"}, "slug"),
    ],
)
async def test_out_of_range_fields_are_400_naming_the_field(
    client: httpx.AsyncClient, organizer: Organizer, changes: dict[str, Any], field: str
) -> None:
    response = await client.post(
        "/events", json=event_body(organizer.organization_id, **changes), headers=organizer.headers
    )
    body = assert_problem(response, 400)
    assert [error["field"] for error in body["errors"]] == [field]


async def test_a_slug_is_one_events_only(client: httpx.AsyncClient, organizer: Organizer) -> None:
    await create(client, organizer, slug="ai-day-2027")
    response = await client.post(
        "/events",
        json=event_body(organizer.organization_id, slug="ai-day-2027"),
        headers=organizer.headers,
    )
    assert problem_of(response) == (409, "application/problem+json", "event-slug-taken")


# --- workflow, drafts and scoping -----------------------------------------------------------


async def test_drafts_are_seen_only_by_their_organization_and_admins(
    client: httpx.AsyncClient, clean_state: Settings, organizer: Organizer
) -> None:
    draft = await create(client, organizer, slug="secret-draft")
    colleague = await organizers.organizer(clean_state, organizer.organization_id)
    stranger = await organizers.organizer(clean_state)
    admin = await people.signed_in_person(clean_state, roles=[Role.ADMIN])
    citizen = await people.signed_in_person(clean_state)
    statuses = {
        name: (await client.get("/events/secret-draft", headers=headers)).status_code
        for name, headers in {
            "organizer": organizer.headers,
            "colleague": colleague.headers,
            "admin": admin.headers,
            "stranger": stranger.headers,
            "citizen": citizen.headers,
            "anonymous": {},
        }.items()
    }
    assert statuses == {
        "organizer": 200,
        "colleague": 200,
        "admin": 200,
        "stranger": 404,
        "citizen": 404,
        "anonymous": 404,
    }
    assert (await client.get("/events")).json()["items"] == []
    await publish(client, organizer, draft)
    listed = (await client.get("/events", params={"from": "2000-01-01T00:00:00Z"})).json()
    assert [item["event"]["slug"] for item in listed["items"]] == ["secret-draft"]
    assert (await client.get("/events/secret-draft")).status_code == 200


async def test_a_member_of_another_organization_cannot_change_an_event(
    client: httpx.AsyncClient, clean_state: Settings, organizer: Organizer
) -> None:
    event = await create(client, organizer)
    stranger = await organizers.organizer(clean_state)
    path = f"/events/{event['id']}"
    # a draft does not exist for them
    assert (
        await client.patch(path, json={"title_en": "Mine"}, headers=stranger.headers)
    ).status_code == 404
    await publish(client, organizer, event)
    attempts = [
        await client.patch(path, json={"title_en": "Mine"}, headers=stranger.headers),
        await client.post(f"{path}/cancel", json={"reason_en": "no"}, headers=stranger.headers),
        await client.post(
            f"{path}/postpone",
            json={"reason_en": "no", "date_to_be_announced": True},
            headers=stranger.headers,
        ),
    ]
    assert [problem_of(answer) for answer in attempts] == [
        (403, "application/problem+json", "not-a-member")
    ] * 3
    # nor can they create one for that organization
    response = await client.post(
        "/events", json=event_body(organizer.organization_id), headers=stranger.headers
    )
    assert problem_of(response)[::2] == (403, "not-a-member")
    unchanged = (await client.get(path, params={"lang": "en"})).json()
    assert (unchanged["title"]["text"], unchanged["status"]) == ("AI Day", "published")


async def test_workflow_publish_postpone_publish_cancel_raises_the_sequence(
    client: httpx.AsyncClient, organizer: Organizer
) -> None:
    event = await create(client, organizer)
    path = f"/events/{event['id']}"
    headers = organizer.headers
    assert event["sequence"] == 0
    await publish(client, organizer, event)
    postponed = await client.post(
        f"{path}/postpone",
        json={"reason_ru": "Переносим", "date_to_be_announced": True},
        headers=headers,
    )
    assert (postponed.json()["status"], postponed.json()["date_to_be_announced"]) == (
        "postponed",
        True,
    )
    # a postponed event with no date cannot be published again until it has one
    refused = await client.post(f"{path}/publish", headers=headers)
    assert problem_of(refused)[::2] == (409, "event-status-change-refused")
    moved = await client.patch(
        path,
        json={"starts_at": "2027-07-01T10:00:00", "ends_at": "2027-07-01T18:00:00"},
        headers=headers,
    )
    assert moved.json()["date_to_be_announced"] is False
    republished = await client.post(f"{path}/publish", headers=headers)
    cancelled = await client.post(
        f"{path}/cancel", json={"reason_en": "Venue closed"}, headers=headers
    )
    assert [republished.json()["status"], cancelled.json()["status"]] == ["published", "cancelled"]
    # publish, postpone, new time, publish, cancel: five changes a calendar shows
    assert cancelled.json()["sequence"] == 5
    # a change only the page shows (the description) does not raise it
    described = await client.patch(path, json={"description_en": "More words"}, headers=headers)
    assert described.json()["sequence"] == 5
    # cancelled events stay public, marked as such
    page = (await client.get(path, params={"lang": "en"})).json()
    assert (page["status"], page["status_reason"]) == (
        "cancelled",
        {"text": "Venue closed", "language": "en"},
    )
    again = await client.post(f"{path}/publish", headers=headers)
    assert problem_of(again)[::2] == (409, "event-status-change-refused")


async def test_cancelling_needs_a_reason(client: httpx.AsyncClient, organizer: Organizer) -> None:
    event = await create(client, organizer)
    await publish(client, organizer, event)
    response = await client.post(
        f"/events/{event['id']}/cancel", json={}, headers=organizer.headers
    )
    body = assert_problem(response, 422)
    assert (body["code"], body["errors"][0]["field"]) == ("event-reason-required", "reason_kk")


# --- languages --------------------------------------------------------------------------------


async def test_texts_fall_back_kk_ru_en_and_say_which_language_they_are_in(
    client: httpx.AsyncClient, organizer: Organizer
) -> None:
    event = await create(
        client,
        organizer,
        slug="only-russian-summary",
        title_kk="Қазақша атауы",
        title_ru="Русское название",
        title_en=None,
        summary_ru="Только по-русски",
    )
    await publish(client, organizer, event)

    async def texts(**request: Any) -> tuple[Any, ...]:
        page = (await client.get("/events/only-russian-summary", **request)).json()
        return page["title"], page["summary"], page["description"]

    assert await texts(params={"lang": "en"}) == (
        {"text": "Қазақша атауы", "language": "kk"},  # no English title: Kazakh comes first
        {"text": "Только по-русски", "language": "ru"},
        {"text": "", "language": None},
    )
    assert await texts(headers={"Accept-Language": "ru-RU,ru;q=0.9"}) == (
        {"text": "Русское название", "language": "ru"},
        {"text": "Только по-русски", "language": "ru"},
        {"text": "", "language": None},
    )
    # the page carries its programme (none for this event)
    page = (await client.get("/events/only-russian-summary")).json()
    assert page["programme"] == {
        "event_id": event["id"],
        "time_zone": "Asia/Almaty",
        "days": [],
        "tracks": [],
        "rooms": [],
        "speakers": [],
    }
    # the query parameter wins over the header
    assert (await texts(params={"lang": "kk"}, headers={"Accept-Language": "ru"}))[0] == {
        "text": "Қазақша атауы",
        "language": "kk",
    }


# --- recurrence -------------------------------------------------------------------------------


async def listed(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/events", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_weekly_event_with_an_excluded_date_and_a_moved_occurrence(
    client: httpx.AsyncClient, organizer: Organizer
) -> None:
    event = await create(
        client,
        organizer,
        slug="weekly-ai-meetup-shymkent",
        region="shymkent",
        starts_at="2027-03-02T18:30:00",
        ends_at="2027-03-02T20:00:00",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        exdates=["2027-03-16T18:30:00"],
    )
    await publish(client, organizer, event)
    window = {"from": "2027-03-01T00:00:00+05:00", "to": "2027-03-31T00:00:00+05:00"}
    before = await listed(client, **window)
    assert [item["starts_at"] for item in before] == [
        "2027-03-02T18:30:00+05:00",
        "2027-03-09T18:30:00+05:00",
        "2027-03-23T18:30:00+05:00",  # 16 March is excluded
        "2027-03-30T18:30:00+05:00",
    ]
    # the 23rd moves to Wednesday; the 30th is cancelled
    moved, cancelled = before[2], before[3]
    path = f"/events/{event['id']}/occurrences"
    answer = await client.patch(
        f"{path}/{moved['occurrence_id']}",
        json={"starts_at": "2027-03-24T19:00:00"},
        headers=organizer.headers,
    )
    assert answer.json() == {
        "id": moved["occurrence_id"],
        "original_start": "2027-03-23T18:30:00+05:00",
        "starts_at": "2027-03-24T19:00:00+05:00",
        "ends_at": "2027-03-24T20:30:00+05:00",
        "cancelled": False,
        "sequence": 1,
    }
    await client.patch(
        f"{path}/{cancelled['occurrence_id']}", json={"cancelled": True}, headers=organizer.headers
    )

    def times(items: list[dict[str, Any]]) -> list[tuple[str, str, bool]]:
        return [(item["original_start"], item["starts_at"], item["cancelled"]) for item in items]

    after = await listed(client, **window)
    assert times(after) == [
        ("2027-03-02T18:30:00+05:00", "2027-03-02T18:30:00+05:00", False),
        ("2027-03-09T18:30:00+05:00", "2027-03-09T18:30:00+05:00", False),
        ("2027-03-23T18:30:00+05:00", "2027-03-24T19:00:00+05:00", False),
        ("2027-03-30T18:30:00+05:00", "2027-03-30T18:30:00+05:00", True),
    ]
    # a change to the event's texts keeps the single changes
    await client.patch(
        f"/events/{event['id']}", json={"summary_ru": "Каждый вторник"}, headers=organizer.headers
    )
    assert times(await listed(client, **window)) == times(after)


async def test_online_weekly_event_in_berlin_keeps_its_wall_clock_across_dst(
    client: httpx.AsyncClient, organizer: Organizer
) -> None:
    event = await create(
        client,
        organizer,
        slug="berlin-ai-webinar",
        format="online",
        region=None,
        online_url="https://meet.example.de/ai",
        time_zone="Europe/Berlin",
        starts_at="2027-03-18T18:00:00",
        ends_at="2027-03-18T19:00:00",
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    await publish(client, organizer, event)
    items = await listed(client, **{"from": "2027-03-01T00:00:00Z"})
    # Berlin moves to summer time on 2027-03-28: the local time stays, the instant moves
    assert [item["starts_at"] for item in items] == [
        "2027-03-18T18:00:00+01:00",
        "2027-03-25T18:00:00+01:00",
        "2027-04-01T18:00:00+02:00",
    ]
    assert [
        dt.datetime.fromisoformat(item["starts_at"]).astimezone(UTC).hour for item in items
    ] == [17, 17, 16]


# --- search and paging ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("интеллект", ["kk-event"]),  # Kazakh text, the simple configuration
        ("машинного обучения", ["ru-event"]),  # Russian stems: обучение ~ обучения
        ("learning robots", ["en-event"]),  # English stems: robots ~ robot
        ("хакатон", ["kk-event", "ru-event"]),
    ],
)
async def test_free_text_search_in_each_language(
    client: httpx.AsyncClient, organizer: Organizer, query: str, expected: list[str]
) -> None:
    for slug, texts in {
        "kk-event": {"title_kk": "Жасанды интеллект хакатоны", "summary_kk": "хакатон"},
        "ru-event": {"title_ru": "Хакатон по машинному обучению"},
        "en-event": {"title_en": "Robot learning workshop"},
    }.items():
        event = await create(
            client, organizer, slug=slug, **{"title_kk": "", "title_ru": "", "title_en": ""} | texts
        )
        await publish(client, organizer, event)
    items = await listed(client, q=query, **{"from": "2000-01-01T00:00:00Z"})
    assert sorted(item["event"]["slug"] for item in items) == expected


async def test_paging_in_start_order_has_no_gaps_or_repeats(
    client: httpx.AsyncClient, organizer: Organizer
) -> None:
    # twelve occurrences, several starting at the same time
    for n in range(4):
        event = await create(
            client,
            organizer,
            slug=f"paged-{n}",
            starts_at="2027-05-03T10:00:00",
            ends_at="2027-05-03T11:00:00",
            rrule="FREQ=DAILY;COUNT=3",
        )
        await publish(client, organizer, event)
    seen: list[tuple[str, str]] = []
    params: dict[str, Any] = {"from": "2027-05-01T00:00:00Z", "limit": 5}
    for _ in range(10):
        page = (await client.get("/events", params=params)).json()
        seen += [(item["starts_at"], item["occurrence_id"]) for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert len(seen) == 12
    assert len(set(seen)) == 12
    assert seen == sorted(seen)


async def test_listing_filters(client: httpx.AsyncClient, organizer: Organizer) -> None:
    specs = {
        "astana-forum": {"category": "forum", "tags": ["ai"]},
        "almaty-meetup": {"category": "meetup", "region": "almaty", "tags": ["AI", "startups"]},
        "online-webinar": {
            "category": "webinar",
            "format": "online",
            "region": None,
            "title_kk": "",
            "title_ru": "",
        },
    }
    for slug, changes in specs.items():
        event = await create(client, organizer, slug=slug, **changes)
        await publish(client, organizer, event)
    since = {"from": "2000-01-01T00:00:00Z"}

    async def slugs(**params: Any) -> list[str]:
        return sorted(item["event"]["slug"] for item in await listed(client, **since, **params))

    assert await slugs(category="meetup") == ["almaty-meetup"]
    assert await slugs(region="astana") == ["astana-forum"]
    assert await slugs(format="online") == ["online-webinar"]
    assert await slugs(tag="ai") == ["almaty-meetup", "astana-forum"]
    assert await slugs(language="kk") == ["almaty-meetup", "astana-forum"]
    assert await slugs(organization=str(organizer.organization_id)) == sorted(specs)
    assert await slugs(organization=str(uuid.uuid4())) == []
    assert await slugs(to="2001-01-01T00:00:00Z") == []


# --- audit ------------------------------------------------------------------------------------


async def test_event_changes_are_audited_with_before_and_after(
    client: httpx.AsyncClient, organizer: Organizer
) -> None:
    event = await create(client, organizer)
    await publish(client, organizer, event)
    await client.patch(
        f"/events/{event['id']}", json={"title_en": "AI Day 2027"}, headers=organizer.headers
    )
    entries = (
        await AuditEntry.select(
            AuditEntry.actor, AuditEntry.action, AuditEntry.before, AuditEntry.after
        )
        .where(AuditEntry.object_id == event["id"])
        .order_by(AuditEntry.id)
    )
    actions = [(entry["action"], entry["actor"]) for entry in entries]
    assert actions == [
        ("event.create", organizer.person.person_id),
        ("event.publish", organizer.person.person_id),
        ("event.update", organizer.person.person_id),
    ]
    assert [(json.loads(entry["before"]), json.loads(entry["after"])) for entry in entries[1:]] == [
        ({"status": "draft", "sequence": 0}, {"status": "published", "sequence": 1}),
        ({"title_en": "AI Day", "sequence": 1}, {"title_en": "AI Day 2027", "sequence": 2}),
    ]


@pytest.mark.parametrize("value", ["0.5", "2027-02-30T10:00:00Z", "2027-03-01T10:00:00"])
async def test_range_limits_are_instants_with_an_offset(
    client: httpx.AsyncClient, value: str
) -> None:
    body = assert_problem(await client.get("/events", params={"to": value}), 400)
    assert [(error["source"], error["field"]) for error in body["errors"]] == [("query", "to")]


async def test_occurrences_of_an_endless_rule_reach_a_horizon_that_moves_with_time(
    client: httpx.AsyncClient, clean_state: Settings, organizer: Organizer, run_jobs: Any
) -> None:
    event = await create(
        client,
        organizer,
        starts_at="2027-01-05T18:30:00",
        ends_at="2027-01-05T20:00:00",
        rrule="FREQ=WEEKLY",
    )

    async def last_start() -> dt.datetime:
        rows = await Occurrence.select(Occurrence.starts_at).where(
            Occurrence.event == uuid.UUID(event["id"])
        )
        return max(row["starts_at"] for row in rows)

    created = await last_start()
    assert created > dt.datetime.now(UTC) + dt.timedelta(days=HORIZON_DAYS - 8)
    # a year on, the daily job carries the rows forward a year; a second run changes nothing
    later = dt.datetime.now(UTC) + dt.timedelta(days=365)
    assert await extend_horizons(later) == 1
    extended = await last_start()
    assert extended - created > dt.timedelta(days=358)
    assert await extend_horizons(later) == 1
    assert await last_start() == extended
    # the worker runs the same job by that name
    redis = await open_redis(clean_state)
    try:
        job = await redis.enqueue_job("extend_event_occurrences", _queue_name=QUEUE_NAME)
        assert job is not None
        assert await run_jobs() == 1
        assert await job.result(timeout=5) == 1
    finally:
        await redis.aclose()


async def test_an_organizations_drafts_are_listed_for_its_members_only(
    client: httpx.AsyncClient, clean_state: Settings, organizer: Organizer
) -> None:
    draft = await create(client, organizer, slug="listed-draft")
    public = await create(client, organizer, slug="listed-public")
    await publish(client, organizer, public)
    stranger = await organizers.organizer(clean_state)
    params = {
        "from": "2000-01-01T00:00:00Z",
        "organization": str(organizer.organization_id),
        "drafts": "true",
    }
    mine = await client.get("/events", params=params, headers=organizer.headers)
    assert sorted(item["event"]["slug"] for item in mine.json()["items"]) == [
        "listed-draft",
        "listed-public",
    ]
    assert draft["status"] == "draft"
    refused = [
        await client.get("/events", params=params, headers=stranger.headers),
        await client.get("/events", params=params),
        await client.get(
            "/events", params={"drafts": "true"}, headers=organizer.headers
        ),  # which organization's?
    ]
    assert [problem_of(answer)[::2] for answer in refused] == [(403, "drafts-not-visible")] * 3
    # without `drafts`, the same reader sees the public calendar only
    public_only = await client.get(
        "/events", params={**params, "drafts": "false"}, headers=organizer.headers
    )
    assert [item["event"]["slug"] for item in public_only.json()["items"]] == ["listed-public"]


async def test_a_long_finite_series_is_known_to_end_where_it_ends(
    client: httpx.AsyncClient, organizer: Organizer
) -> None:
    # more occurrences than one expansion keeps as rows: its end must not be cut short, or the
    # daily job would stop carrying its rows forward
    event = await create(
        client,
        organizer,
        starts_at="2027-01-01T09:00:00",
        ends_at="2027-01-01T10:00:00",
        rrule="FREQ=DAILY;COUNT=1500",
    )
    rows = await Event.select(Event.series_ends_at).where(Event.id == uuid.UUID(event["id"]))
    # 10:00 in Almaty is 05:00 UTC
    last_day = dt.datetime(2031, 2, 8, 5, 0, tzinfo=UTC)
    assert last_day == dt.datetime(2027, 1, 1, 5, 0, tzinfo=UTC) + dt.timedelta(days=1499)
    assert rows[0]["series_ends_at"] == last_day
