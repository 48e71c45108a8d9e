"""The programme of a large event: organizers build it (for their own organization only), anyone
reads it in their language, sessions stay within the event's days, and every change a calendar
shows raises a session's sequence."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest

from events.enums import EventStatus
from events.programme_tables import Session
from tests.support import people
from tests.support.events import ALMATY, an_event, an_organization
from tests.support.http import assert_problem
from tests.support.people import SignedIn
from tests.support.statements import counting_statements
from year2026.audit_tables import AuditEntry
from year2026.people.enums import Role
from year2026.settings import Settings


@dataclass(frozen=True)
class Stage:
    """An event (GITEX Central Asia's three days, 13–15 October 2026 in Almaty) and a member of
    its organization."""

    organizer: SignedIn
    event: dict[str, Any]

    @property
    def path(self) -> str:
        return f"/events/{self.event['slug']}"


async def gitex(settings: Settings, status: EventStatus = EventStatus.PUBLISHED) -> Stage:
    organizer = await people.signed_in_person(settings, name="Әсел")
    organization_id = await an_organization(members=[organizer.person_id])
    return Stage(organizer, await an_event(organization_id, status=status))


def at(day: int, hour: int, minute: int = 0) -> str:
    """An instant of October 2026 in Almaty (UTC+5), as a client sends it."""
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=ALMATY).isoformat()


def session_body(day: int, hour: int, minute: int = 0, **fields: Any) -> dict[str, Any]:
    """A 45-minute talk, titled in all three languages."""
    starts = dt.datetime(2026, 10, day, hour, minute, tzinfo=ALMATY)
    return {
        "title_kk": f"Баяндама {day}/{hour}:{minute:02}",
        "title_ru": f"Доклад {day}/{hour}:{minute:02}",
        "title_en": f"Talk {day}/{hour}:{minute:02}",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(minutes=45)).isoformat(),
        **fields,
    }


async def created(
    client: httpx.AsyncClient, who: SignedIn, path: str, body: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def all_session_ids(client: httpx.AsyncClient, path: str, **query: Any) -> list[str]:
    response = await client.get(f"{path}/sessions", params={"limit": 200, **query})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def field_of(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(error["source"], error["field"]) for error in body["errors"]]


def text(value: str, language: str | None) -> dict[str, Any]:
    return {"text": value, "language": language}


async def test_programme_shows_days_tracks_rooms_and_speakers_in_the_readers_language(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    who, path = stage.organizer, stage.path
    ai = await created(
        client, who, f"{path}/tracks", {"name_kk": "ЖИ", "name_en": "AI", "position": 1}
    )
    fintech = await created(client, who, f"{path}/tracks", {"name_ru": "Финтех", "position": 0})
    hall = await created(
        client, who, f"{path}/rooms", {"name_ru": "Главный зал", "name_en": "Main hall"}
    )
    aida = await created(
        client,
        who,
        f"{path}/speakers",
        {
            "name": "Aida Nurlanovna",
            "affiliation_ru": "Astana Hub",
            "bio_kk": "Жасанды интеллект зерттеушісі.",
            "bio_en": "An AI researcher.",
            "photo_url": "https://example.kz/aida.jpg",
        },
    )
    bolat = await created(client, who, f"{path}/speakers", {"name": "Bolat Seitkali"})
    await created(client, who, f"{path}/sessions", session_body(13, 10, track_id=ai["id"]))
    await created(client, who, f"{path}/sessions", session_body(15, 11, room_id=hall["id"]))

    response = await client.get(f"{path}/programme", params={"lang": "en"})

    assert response.status_code == 200, response.text
    assert response.json() == {
        "event_id": str(stage.event["id"]),
        "time_zone": "Asia/Almaty",
        "days": ["2026-10-13", "2026-10-15"],
        "tracks": [
            {"id": fintech["id"], "name": text("Финтех", "ru"), "position": 0},
            {"id": ai["id"], "name": text("AI", "en"), "position": 1},
        ],
        "rooms": [
            {"id": hall["id"], "name": text("Main hall", "en"), "capacity": None, "position": 0}
        ],
        "speakers": [
            {
                "id": aida["id"],
                "name": "Aida Nurlanovna",
                "affiliation": text("Astana Hub", "ru"),
                "bio": text("An AI researcher.", "en"),
                "photo_url": "https://example.kz/aida.jpg",
            },
            {
                "id": bolat["id"],
                "name": "Bolat Seitkali",
                "affiliation": text("", None),
                "bio": text("", None),
                "photo_url": "",
            },
        ],
    }


async def test_session_is_shown_with_its_room_track_and_speakers_in_order(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    who, path = stage.organizer, stage.path
    track = await created(client, who, f"{path}/tracks", {"name_en": "AI"})
    room = await created(client, who, f"{path}/rooms", {"name_kk": "Зал A", "capacity": 300})
    first = await created(client, who, f"{path}/speakers", {"name": "Zarina", "photo_url": ""})
    second = await created(client, who, f"{path}/speakers", {"name": "Askar"})
    body = session_body(
        14,
        15,
        abstract_ru="О больших языковых моделях.",
        format="workshop",
        capacity=40,
        room_id=room["id"],
        track_id=track["id"],
        speaker_ids=[first["id"], second["id"]],
    )
    record = await created(client, who, f"{path}/sessions", body)

    response = await client.get(f"/sessions/{record['id']}", headers={"Accept-Language": "ru"})

    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": record["id"],
        "event_id": str(stage.event["id"]),
        "title": text("Доклад 14/15:00", "ru"),
        "abstract": text("О больших языковых моделях.", "ru"),
        "starts_at": "2026-10-14T15:00:00+05:00",
        "ends_at": "2026-10-14T15:45:00+05:00",
        "day": "2026-10-14",
        "format": "workshop",
        "capacity": 40,
        "status": "scheduled",
        "sequence": 0,
        "updated_at": record["updated_at"],
        "room": {"id": room["id"], "name": text("Зал A", "kk"), "capacity": 300, "position": 0},
        "track": {"id": track["id"], "name": text("AI", "en"), "position": 0},
        "speakers": [
            {"id": first["id"], "name": "Zarina", "affiliation": text("", None), "photo_url": ""},
            {"id": second["id"], "name": "Askar", "affiliation": text("", None), "photo_url": ""},
        ],
    }
    listed = await client.get(f"{path}/sessions", headers={"Accept-Language": "ru"})
    assert listed.json()["items"] == [response.json()]


async def test_texts_fall_back_kazakh_russian_english_and_say_their_language(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    body = {
        "title_ru": "Цифровой Казахстан",
        "abstract_kk": "Қазақстанның цифрлық болашағы.",
        "abstract_en": "Kazakhstan's digital future.",
        "starts_at": at(13, 12),
        "ends_at": at(13, 13),
    }
    record = await created(client, stage.organizer, f"{stage.path}/sessions", body)

    def texts(response: httpx.Response) -> tuple[dict[str, Any], dict[str, Any]]:
        assert response.status_code == 200, response.text
        item = response.json()["items"][0]
        return item["title"], item["abstract"]

    listing = f"{stage.path}/sessions"
    # asked: English; the title is only in Russian
    assert texts(await client.get(listing, params={"lang": "en"})) == (
        text("Цифровой Казахстан", "ru"),
        text("Kazakhstan's digital future.", "en"),
    )
    # asked: Russian; the abstract is not in Russian, so Kazakh comes first
    assert texts(await client.get(listing, headers={"Accept-Language": "ru"})) == (
        text("Цифровой Казахстан", "ru"),
        text("Қазақстанның цифрлық болашағы.", "kk"),
    )
    # `lang` wins over Accept-Language
    assert texts(
        await client.get(listing, params={"lang": "en"}, headers={"Accept-Language": "kk"})
    ) == (text("Цифровой Казахстан", "ru"), text("Kazakhstan's digital future.", "en"))
    one = await client.get(f"/sessions/{record['id']}", params={"lang": "kk"})
    assert (one.json()["title"], one.json()["abstract"]) == (
        text("Цифровой Казахстан", "ru"),
        text("Қазақстанның цифрлық болашағы.", "kk"),
    )


async def test_member_of_another_organization_is_refused_403_on_a_public_event(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    stranger = await people.signed_in_person(settings, name="Бөтен")
    await an_organization(members=[stranger.person_id])
    track = await created(client, stage.organizer, f"{stage.path}/tracks", {"name_en": "AI"})
    session = await created(client, stage.organizer, f"{stage.path}/sessions", session_body(13, 10))

    attempts = [
        client.post(f"{stage.path}/tracks", json={"name_en": "Mine"}, headers=stranger.headers),
        client.patch(
            f"{stage.path}/tracks/{track['id']}", json={"name_en": "X"}, headers=stranger.headers
        ),
        client.delete(f"{stage.path}/tracks/{track['id']}", headers=stranger.headers),
        client.post(f"{stage.path}/sessions", json=session_body(13, 11), headers=stranger.headers),
        client.patch(
            f"{stage.path}/sessions/{session['id']}",
            json={"title_en": "Mine"},
            headers=stranger.headers,
        ),
        client.post(f"{stage.path}/sessions/{session['id']}/cancel", headers=stranger.headers),
    ]
    for attempt in attempts:
        assert_problem(await attempt, 403, "not-a-member")
    # nothing changed, nothing added
    programme = (await client.get(f"{stage.path}/programme", params={"lang": "en"})).json()
    assert [item["name"]["text"] for item in programme["tracks"]] == ["AI"]
    assert await all_session_ids(client, stage.path) == [session["id"]]
    # nobody signed in: 401
    assert_problem(await client.post(f"{stage.path}/tracks", json={"name_en": "AI"}), 401)


async def test_draft_programme_is_not_found_except_for_its_organizers_and_admins(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings, status=EventStatus.DRAFT)
    session = await created(client, stage.organizer, f"{stage.path}/sessions", session_body(13, 10))
    stranger = await people.signed_in_person(settings, name="Бөтен")
    await an_organization(members=[stranger.person_id])
    admin = await people.admin(settings)
    reads = [f"{stage.path}/programme", f"{stage.path}/sessions", f"/sessions/{session['id']}"]

    for path in reads:
        assert_problem(await client.get(path), 404)
        assert_problem(await client.get(path, headers=stranger.headers), 404)
        assert (await client.get(path, headers=stage.organizer.headers)).status_code == 200
        assert (await client.get(path, headers=admin.headers)).status_code == 200
    assert_problem(await client.get(f"/sessions/{session['id']}"), 404, "session-not-found")
    # a stranger cannot even learn that the draft exists by trying to change it
    assert_problem(
        await client.post(f"{stage.path}/tracks", json={"name_en": "X"}, headers=stranger.headers),
        404,
        "event-not-found",
    )
    assert_problem(
        await client.post(
            f"{stage.path}/sessions/{session['id']}/cancel", headers=stranger.headers
        ),
        404,
        "event-not-found",
    )
    # an admin may change any organization's programme
    assert (
        await client.post(f"{stage.path}/tracks", json={"name_en": "AI"}, headers=admin.headers)
    ).status_code == 201


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field", "code"),
    [
        # the evening before the first day
        (at(12, 23, 0), at(13, 0, 30), "starts_at", "session-outside-event-days"),
        # past midnight after the last day
        (at(15, 23, 30), at(16, 0, 30), "ends_at", "session-outside-event-days"),
        # a week later
        (at(22, 10), at(22, 11), "starts_at", "session-outside-event-days"),
        (at(13, 11), at(13, 10), "ends_at", "session-ends-before-start"),
        (at(13, 11), at(13, 11), "ends_at", "session-ends-before-start"),
    ],
)
async def test_session_outside_the_event_days_is_refused_naming_the_field(
    client: httpx.AsyncClient,
    settings: Settings,
    starts_at: str,
    ends_at: str,
    field: str,
    code: str,
) -> None:
    stage = await gitex(settings)
    body = {"title_en": "Late talk", "starts_at": starts_at, "ends_at": ends_at}

    response = await client.post(
        f"{stage.path}/sessions", json=body, headers=stage.organizer.headers
    )

    assert field_of(assert_problem(response, 422, code)) == [("body", field)]
    assert await all_session_ids(client, stage.path) == []


async def test_session_may_take_the_whole_of_the_event_days(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """The days are whole dates in the event's zone: before its 09:00 opening and until
    midnight after its last day are within them."""
    stage = await gitex(settings)
    breakfast = {"title_en": "Breakfast", "starts_at": at(13, 0, 0), "ends_at": at(13, 8, 30)}
    party = {"title_en": "Party", "starts_at": at(15, 20), "ends_at": at(16, 0, 0)}
    for body in (breakfast, party):
        await created(client, stage.organizer, f"{stage.path}/sessions", body)
    # the same instant in another offset is the same instant
    utc_party = {"title_en": "Late", "starts_at": "2026-10-15T18:00:00Z", "ends_at": at(16, 0)}
    await created(client, stage.organizer, f"{stage.path}/sessions", utc_party)


async def test_moving_a_session_outside_the_event_days_is_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    session = await created(client, stage.organizer, f"{stage.path}/sessions", session_body(13, 10))

    response = await client.patch(
        f"{stage.path}/sessions/{session['id']}",
        json={"ends_at": at(16, 1)},
        headers=stage.organizer.headers,
    )

    assert field_of(assert_problem(response, 422, "session-outside-event-days")) == [
        ("body", "ends_at")
    ]
    shown = (await client.get(f"/sessions/{session['id']}")).json()
    assert (shown["ends_at"], shown["sequence"]) == (at(13, 10, 45), 0)


async def test_recurring_event_sessions_lie_within_its_first_occurrence_days(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    organizer = await people.signed_in_person(settings)
    organization_id = await an_organization(members=[organizer.person_id])
    meetup = await an_event(
        organization_id,
        starts_at=dt.datetime(2026, 6, 2, 18, 0, tzinfo=ALMATY),
        ends_at=dt.datetime(2026, 6, 2, 20, 0, tzinfo=ALMATY),
        rrule="FREQ=WEEKLY;BYDAY=TU",
    )
    path = f"/events/{meetup['slug']}/sessions"
    first_week = {
        "title_en": "Lightning talks",
        "starts_at": "2026-06-02T18:30:00+05:00",
        "ends_at": "2026-06-02T19:00:00+05:00",
    }
    next_week = {
        **first_week,
        "starts_at": "2026-06-09T18:30:00+05:00",
        "ends_at": "2026-06-09T19:00:00+05:00",
    }

    await created(client, organizer, path, first_week)
    response = await client.post(path, json=next_week, headers=organizer.headers)

    body = assert_problem(response, 422, "session-outside-event-days")
    assert field_of(body) == [("body", "starts_at")]


async def test_room_track_or_speaker_of_another_event_is_refused_naming_the_field(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    # another event of the same organization, by the same organizer
    other = await an_event(stage.event["organization"])
    other_path = f"/events/{other['slug']}"
    who = stage.organizer
    foreign_room = await created(client, who, f"{other_path}/rooms", {"name_en": "Hall B"})
    foreign_track = await created(client, who, f"{other_path}/tracks", {"name_en": "AI"})
    foreign_speaker = await created(client, who, f"{other_path}/speakers", {"name": "Dana"})
    own_speaker = await created(client, who, f"{stage.path}/speakers", {"name": "Erlan"})
    cases = [
        ({"room_id": foreign_room["id"]}, "room_id", "session-room-not-of-event"),
        ({"room_id": str(uuid.uuid4())}, "room_id", "session-room-not-of-event"),
        ({"track_id": foreign_track["id"]}, "track_id", "session-track-not-of-event"),
        (
            {"speaker_ids": [own_speaker["id"], foreign_speaker["id"]]},
            "speaker_ids",
            "session-speaker-not-of-event",
        ),
        (
            {"speaker_ids": [own_speaker["id"], own_speaker["id"]]},
            "speaker_ids",
            "session-speaker-named-twice",
        ),
    ]
    session = await created(client, who, f"{stage.path}/sessions", session_body(13, 9))

    for fields, field, code in cases:
        response = await client.post(
            f"{stage.path}/sessions", json=session_body(13, 10, **fields), headers=who.headers
        )
        assert field_of(assert_problem(response, 422, code)) == [("body", field)], fields
        response = await client.patch(
            f"{stage.path}/sessions/{session['id']}", json=fields, headers=who.headers
        )
        assert field_of(assert_problem(response, 422, code)) == [("body", field)], fields

    assert await all_session_ids(client, stage.path) == [session["id"]]
    shown = (await client.get(f"/sessions/{session['id']}")).json()
    assert (shown["room"], shown["track"], shown["speakers"]) == (None, None, [])


async def test_database_refuses_a_session_in_another_events_room(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Whatever the code does: the references carry the event."""
    stage = await gitex(settings)
    other = await an_event(stage.event["organization"])
    room = await created(
        client, stage.organizer, f"/events/{other['slug']}/rooms", {"name_en": "Hall B"}
    )

    with pytest.raises(asyncpg.ForeignKeyViolationError, match="room_of_its_event"):
        await Session.insert(
            Session(
                id=uuid.uuid4(),
                event=stage.event["id"],
                title_en="Smuggled",
                starts_at=dt.datetime(2026, 10, 13, 10, tzinfo=ALMATY),
                ends_at=dt.datetime(2026, 10, 13, 11, tzinfo=ALMATY),
                room=uuid.UUID(room["id"]),
            )
        )


async def test_sequence_rises_with_time_room_title_and_status_but_not_with_the_abstract(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    who = stage.organizer
    room = await created(client, who, f"{stage.path}/rooms", {"name_en": "Hall A"})
    speaker = await created(client, who, f"{stage.path}/speakers", {"name": "Aigerim"})
    session = await created(client, who, f"{stage.path}/sessions", session_body(13, 10))
    url = f"{stage.path}/sessions/{session['id']}"
    seen = [(session["sequence"], session["updated_at"])]

    async def change(body: dict[str, Any]) -> dict[str, Any]:
        response = await client.patch(url, json=body, headers=who.headers)
        assert response.status_code == 200, response.text
        record: dict[str, Any] = response.json()
        seen.append((record["sequence"], record["updated_at"]))
        return record

    await change({"abstract_en": "What the talk is about."})  # not shown as a change: 0
    await change({"starts_at": at(13, 11), "ends_at": at(13, 11, 45)})  # time: 1
    await change({"starts_at": "2026-10-13T06:00:00Z"})  # the same instant: no change at all
    await change({"speaker_ids": [speaker["id"]], "format": "panel", "capacity": 50})  # 1
    await change({"title_kk": "Жаңа атау"})  # title: 2
    await change({"room_id": room["id"]})  # place: 3
    renamed = await client.patch(
        f"{stage.path}/rooms/{room['id']}", json={"name_en": "Hall Alatau"}, headers=who.headers
    )
    assert renamed.status_code == 200, renamed.text
    after_rename = (await client.get(f"/sessions/{session['id']}")).json()
    cancelled = await client.post(f"{url}/cancel", headers=who.headers)
    assert cancelled.status_code == 200, cancelled.text

    assert [sequence for sequence, _ in seen] == [0, 0, 1, 1, 1, 2, 3]
    # updated_at moves with every change that changed something, and only then
    assert [seen[i][1] == seen[i - 1][1] for i in range(1, len(seen))] == [
        False,
        False,
        True,
        False,
        False,
        False,
    ]
    assert after_rename["sequence"] == 4  # the room's new name is the session's new place
    assert after_rename["room"]["name"] == text("Hall Alatau", "en")
    assert (cancelled.json()["sequence"], cancelled.json()["status"]) == (5, "cancelled")
    assert_problem(
        await client.post(f"{url}/cancel", headers=who.headers), 409, "session-already-cancelled"
    )
    # a cancelled session stays listed, as cancelled
    listed = (await client.get(f"{stage.path}/sessions")).json()["items"]
    assert [(item["id"], item["status"]) for item in listed] == [(session["id"], "cancelled")]


async def test_sessions_are_filtered_by_day_in_the_event_zone_track_and_room(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    who, path = stage.organizer, stage.path
    ai = await created(client, who, f"{path}/tracks", {"name_en": "AI"})
    gov = await created(client, who, f"{path}/tracks", {"name_en": "GovTech"})
    hall = await created(client, who, f"{path}/rooms", {"name_en": "Hall"})
    lab = await created(client, who, f"{path}/rooms", {"name_en": "Lab"})

    async def add(day: int, hour: int, track: dict[str, Any], room: dict[str, Any]) -> str:
        body = session_body(day, hour, track_id=track["id"], room_id=room["id"])
        return str((await created(client, who, f"{path}/sessions", body))["id"])

    day13_ai_hall = await add(13, 10, ai, hall)
    day13_gov_lab = await add(13, 11, gov, lab)
    # 02:00 in Almaty on the 14th is still the 13th in UTC: the day is the event zone's
    day14_small_hours = await add(14, 2, ai, lab)
    day14_gov_hall = await add(14, 10, gov, hall)
    day15_ai_lab = await add(15, 9, ai, lab)

    assert await all_session_ids(client, path) == [
        day13_ai_hall,
        day13_gov_lab,
        day14_small_hours,
        day14_gov_hall,
        day15_ai_lab,
    ]
    assert await all_session_ids(client, path, day="2026-10-13") == [day13_ai_hall, day13_gov_lab]
    assert await all_session_ids(client, path, day="2026-10-14") == [
        day14_small_hours,
        day14_gov_hall,
    ]
    assert await all_session_ids(client, path, day="2026-10-16") == []
    # the first and last days Python has: none, rather than a 500
    assert await all_session_ids(client, path, day="9999-12-31") == []
    assert await all_session_ids(client, path, day="0001-01-01") == []
    assert await all_session_ids(client, path, track=ai["id"]) == [
        day13_ai_hall,
        day14_small_hours,
        day15_ai_lab,
    ]
    assert await all_session_ids(client, path, room=hall["id"]) == [day13_ai_hall, day14_gov_hall]
    assert await all_session_ids(
        client, path, day="2026-10-14", track=ai["id"], room=lab["id"]
    ) == [day14_small_hours]
    programme = (await client.get(f"{path}/programme")).json()
    assert programme["days"] == ["2026-10-13", "2026-10-14", "2026-10-15"]


async def test_sessions_page_in_start_order_without_gaps_or_repeats(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    rooms = [
        (await created(client, stage.organizer, f"{stage.path}/rooms", {"name_en": f"R{n}"}))["id"]
        for n in range(3)
    ]
    made: list[tuple[str, str]] = []
    # parallel sessions: three at each of three times, so that ties in start are broken by id
    for hour in (12, 10, 11):
        for room in rooms:
            record = await created(
                client,
                stage.organizer,
                f"{stage.path}/sessions",
                session_body(14, hour, room_id=room),
            )
            made.append((record["starts_at"], record["id"]))
    expected = [session_id for _, session_id in sorted(made)]

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        query: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = await client.get(f"{stage.path}/sessions", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        seen.extend(item["id"] for item in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == expected
    assert pages == 5
    # a made-up cursor is a 400
    assert_problem(
        await client.get(f"{stage.path}/sessions", params={"cursor": "bm90LWEtY3Vyc29y"}),
        400,
        "invalid-cursor",
    )


async def test_sessions_listing_sends_as_many_statements_for_one_session_as_for_three(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    who, path = stage.organizer, stage.path
    track = await created(client, who, f"{path}/tracks", {"name_en": "AI"})
    room = await created(client, who, f"{path}/rooms", {"name_en": "Hall"})
    speakers = [
        (await created(client, who, f"{path}/speakers", {"name": f"Speaker {n}"}))["id"]
        for n in range(2)
    ]

    async def add_and_count(hour: int) -> tuple[int, int, int]:
        body = session_body(
            13, hour, track_id=track["id"], room_id=room["id"], speaker_ids=speakers
        )
        await created(client, who, f"{path}/sessions", body)
        with counting_statements() as listing:
            response = await client.get(f"{path}/sessions")
        with counting_statements() as programme:
            assert (await client.get(f"{path}/programme")).status_code == 200
        items = response.json()["items"]
        assert all(len(item["speakers"]) == 2 and item["room"] for item in items)
        return len(items), listing.value, programme.value

    one = await add_and_count(10)
    await add_and_count(11)
    three = await add_and_count(12)

    assert (one[0], three[0]) == (1, 3)
    # the event (visible_event), then one statement for the page
    assert (one[1], three[1]) == (2, 2)
    assert (one[2], three[2]) == (5, 5)


async def test_used_room_track_or_speaker_is_kept_until_its_sessions_let_go(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    who, path = stage.organizer, stage.path
    room = await created(client, who, f"{path}/rooms", {"name_en": "Hall"})
    track = await created(client, who, f"{path}/tracks", {"name_en": "AI"})
    speaker = await created(client, who, f"{path}/speakers", {"name": "Dana"})
    body = session_body(
        13, 10, room_id=room["id"], track_id=track["id"], speaker_ids=[speaker["id"]]
    )
    session = await created(client, who, f"{path}/sessions", body)
    items = [f"{path}/rooms/{room['id']}", f"{path}/tracks/{track['id']}"]
    items.append(f"{path}/speakers/{speaker['id']}")

    for item in items:
        body = assert_problem(await client.delete(item, headers=who.headers), 409)
        assert body["code"] == "programme-item-in-use"
    let_go = {"room_id": None, "track_id": None, "speaker_ids": []}
    response = await client.patch(
        f"{path}/sessions/{session['id']}", json=let_go, headers=who.headers
    )
    assert response.status_code == 200, response.text
    for item in items:
        assert (await client.delete(item, headers=who.headers)).status_code == 204
        assert_problem(await client.delete(item, headers=who.headers), 404)

    assert (await client.get(f"{path}/programme")).json()["rooms"] == []


async def test_programme_names_and_capacities_are_checked(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    who, path = stage.organizer, stage.path

    nameless = await client.post(f"{path}/tracks", json={"name_kk": "  "}, headers=who.headers)
    assert field_of(assert_problem(nameless, 422, "programme-name-required")) == [
        ("body", "name_kk")
    ]
    untitled = session_body(13, 10, title_kk="", title_ru="", title_en=" ")
    response = await client.post(f"{path}/sessions", json=untitled, headers=who.headers)
    assert field_of(assert_problem(response, 422, "session-title-required")) == [
        ("body", "title_kk")
    ]
    # what the schema says (capacity at least 1, a photo over http(s)) is refused by it: 400
    no_seats = await client.post(
        f"{path}/sessions", json=session_body(13, 10, capacity=0), headers=who.headers
    )
    assert [error["field"] for error in assert_problem(no_seats, 400)["errors"]] == ["capacity"]
    script = await client.post(
        f"{path}/speakers",
        json={"name": "X", "photo_url": "javascript:alert(1)"},
        headers=who.headers,
    )
    assert [error["field"] for error in assert_problem(script, 400)["errors"]] == ["photo_url"]
    naive = session_body(13, 10, starts_at="2026-10-13T10:00:00")
    response = await client.post(f"{path}/sessions", json=naive, headers=who.headers)
    assert [error["field"] for error in assert_problem(response, 400)["errors"]] == ["starts_at"]


async def test_admin_changes_any_programme_and_staff_do_not(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    admin = await people.admin(settings)
    staff = await people.signed_in_person(settings, roles=[Role.STAFF])

    response = await client.post(
        f"{stage.path}/speakers", json={"name": "Admin's guest"}, headers=admin.headers
    )
    assert response.status_code == 201, response.text
    assert_problem(
        await client.post(f"{stage.path}/speakers", json={"name": "X"}, headers=staff.headers),
        403,
        "not-a-member",
    )


async def audit_entries() -> list[tuple[Any, ...]]:
    """The audit log, oldest first: (actor, action, object, before, after, request id)."""
    rows = await AuditEntry.raw(
        "SELECT actor, action, object_type, object_id, before, after, request_id"
        " FROM audit_entry ORDER BY occurred_at, id"
    )
    return [
        (
            row["actor"],
            row["action"],
            row["object_type"],
            row["object_id"],
            None if row["before"] is None else msgspec.json.decode(row["before"]),
            None if row["after"] is None else msgspec.json.decode(row["after"]),
            row["request_id"],
        )
        for row in rows
    ]


async def test_programme_changes_are_audited_with_before_and_after(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    stage = await gitex(settings)
    who, path = stage.organizer, stage.path
    event_id = str(stage.event["id"])

    async def send(method: str, url: str, body: dict[str, Any] | None = None) -> httpx.Response:
        response = await client.request(method, url, json=body, headers=who.headers)
        assert response.status_code < 300, response.text
        return response

    room_made = await send("POST", f"{path}/rooms", {"name_en": "Hall A", "capacity": 200})
    room = room_made.json()
    speaker_made = await send("POST", f"{path}/speakers", {"name": "Dana"})
    speaker = speaker_made.json()
    body = session_body(13, 10, room_id=room["id"], speaker_ids=[speaker["id"]])
    session_made = await send("POST", f"{path}/sessions", body)
    session = session_made.json()
    url = f"{path}/sessions/{session['id']}"
    moved = await send("PATCH", url, {"starts_at": at(13, 11), "ends_at": at(13, 12)})
    described = await send("PATCH", url, {"abstract_en": "About AI.", "speaker_ids": []})
    cancelled = await send("POST", f"{url}/cancel")
    renamed = await send("PATCH", f"{path}/rooms/{room['id']}", {"name_en": "Hall Alatau"})
    removed = await send("DELETE", f"{path}/speakers/{speaker['id']}")
    # refused changes leave no entry
    refused = await client.delete(f"{path}/rooms/{room['id']}", headers=who.headers)
    assert refused.status_code == 409
    before_no_change = (await client.get(f"/sessions/{session['id']}")).json()["updated_at"]
    unchanged = await send("PATCH", url, {"abstract_en": "About AI."})

    def request_id(response: httpx.Response) -> str:
        return response.headers["x-request-id"]

    actor = who.person_id
    assert await audit_entries() == [
        (
            actor,
            "room.create",
            "room",
            room["id"],
            None,
            {
                "event": event_id,
                "name_kk": "",
                "name_ru": "",
                "name_en": "Hall A",
                "capacity": 200,
                "position": 0,
            },
            request_id(room_made),
        ),
        (
            actor,
            "speaker.create",
            "speaker",
            speaker["id"],
            None,
            {
                "event": event_id,
                "name": "Dana",
                "affiliation_kk": "",
                "affiliation_ru": "",
                "affiliation_en": "",
                "bio_kk": "",
                "bio_ru": "",
                "bio_en": "",
                "photo_url": "",
            },
            request_id(speaker_made),
        ),
        (
            actor,
            "session.create",
            "session",
            session["id"],
            None,
            {
                "event": event_id,
                "title_kk": "Баяндама 13/10:00",
                "title_ru": "Доклад 13/10:00",
                "title_en": "Talk 13/10:00",
                "abstract_kk": "",
                "abstract_ru": "",
                "abstract_en": "",
                "starts_at": "2026-10-13T05:00:00Z",
                "ends_at": "2026-10-13T05:45:00Z",
                "room": room["id"],
                "track": None,
                "format": "talk",
                "capacity": None,
                "status": "scheduled",
                "sequence": 0,
                "speaker_ids": [speaker["id"]],
            },
            request_id(session_made),
        ),
        (
            actor,
            "session.update",
            "session",
            session["id"],
            {"starts_at": "2026-10-13T05:00:00Z", "ends_at": "2026-10-13T05:45:00Z", "sequence": 0},
            {"starts_at": "2026-10-13T06:00:00Z", "ends_at": "2026-10-13T07:00:00Z", "sequence": 1},
            request_id(moved),
        ),
        (
            actor,
            "session.update",
            "session",
            session["id"],
            {"abstract_en": "", "speaker_ids": [speaker["id"]]},
            {"abstract_en": "About AI.", "speaker_ids": []},
            request_id(described),
        ),
        (
            actor,
            "session.cancel",
            "session",
            session["id"],
            {"status": "scheduled", "sequence": 1},
            {"status": "cancelled", "sequence": 2},
            request_id(cancelled),
        ),
        (
            actor,
            "room.update",
            "room",
            room["id"],
            {"name_en": "Hall A"},
            {"name_en": "Hall Alatau"},
            request_id(renamed),
        ),
        (
            actor,
            "speaker.delete",
            "speaker",
            speaker["id"],
            {
                "event": event_id,
                "name": "Dana",
                "affiliation_kk": "",
                "affiliation_ru": "",
                "affiliation_en": "",
                "bio_kk": "",
                "bio_ru": "",
                "bio_en": "",
                "photo_url": "",
            },
            None,
            request_id(removed),
        ),
    ]
    assert unchanged.json()["updated_at"] == before_no_change


async def test_a_session_or_room_is_changed_only_under_its_own_event(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """An organizer of one event cannot reach another event's programme through their own
    event's path."""
    mine = await gitex(settings)
    theirs = await gitex(settings)
    session = await created(
        client, theirs.organizer, f"{theirs.path}/sessions", session_body(13, 10)
    )
    room = await created(client, theirs.organizer, f"{theirs.path}/rooms", {"name_en": "Hall"})
    who = mine.organizer

    attempts = [
        (
            client.patch(
                f"{mine.path}/sessions/{session['id']}", json={"title_en": "X"}, headers=who.headers
            ),
            "session-not-found",
        ),
        (
            client.post(f"{mine.path}/sessions/{session['id']}/cancel", headers=who.headers),
            "session-not-found",
        ),
        (
            client.patch(
                f"{mine.path}/rooms/{room['id']}", json={"name_en": "X"}, headers=who.headers
            ),
            "room-not-found",
        ),
        (client.delete(f"{mine.path}/rooms/{room['id']}", headers=who.headers), "room-not-found"),
    ]
    for attempt, code in attempts:
        assert_problem(await attempt, 404, code)
    shown = (await client.get(f"/sessions/{session['id']}", params={"lang": "en"})).json()
    assert (shown["title"]["text"], shown["status"]) == ("Talk 13/10:00", "scheduled")
