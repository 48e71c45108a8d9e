"""The demo programme: GITEX Central Asia's tracks, rooms, speakers and forty sessions, loaded
once, through the organizers' own services."""

from __future__ import annotations

import collections

import httpx

from events.demo import GITEX_SLUG, load_demo_events
from events.programme_demo import ROOMS, SESSION_COUNT, SPEAKERS, TRACKS, load_demo_programme
from tests.support import people
from tests.support.events import an_event, an_organization
from year2026.settings import Settings


async def test_demo_programme_fills_every_day_and_track_once(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    organizer = await people.signed_in_person(settings)
    event = await an_event(await an_organization(members=[organizer.person_id]))
    path = f"/events/{event['slug']}"

    made = await load_demo_programme(organizer.person_id, event["slug"])
    again = await load_demo_programme(organizer.person_id, str(event["id"]))

    assert (made, again) == (SESSION_COUNT, 0)
    programme = (await client.get(f"{path}/programme", params={"lang": "kk"})).json()
    assert len(programme["tracks"]) == len(TRACKS)
    assert len(programme["rooms"]) == len(ROOMS)
    assert len(programme["speakers"]) == len(SPEAKERS)
    assert programme["days"] == ["2026-10-13", "2026-10-14", "2026-10-15"]
    sessions = (await client.get(f"{path}/sessions", params={"lang": "kk", "limit": 200})).json()[
        "items"
    ]
    assert len(sessions) == SESSION_COUNT
    by_day = collections.Counter(item["day"] for item in sessions)
    by_track = collections.Counter(item["track"]["id"] for item in sessions)
    assert sorted(by_day) == programme["days"]
    assert min(by_day.values()) >= 10
    assert len(by_track) == len(TRACKS)
    # no room holds two sessions at once
    assert len({(item["room"]["id"], item["starts_at"]) for item in sessions}) == SESSION_COUNT
    # some titles are not in Kazakh: the fallback shows, and says so
    languages = collections.Counter(item["title"]["language"] for item in sessions)
    assert set(languages) == {"kk", "ru", "en"}
    keynotes = [item for item in sessions if item["format"] == "keynote"]
    assert {item["room"]["name"]["text"] for item in keynotes} == {"Бас сахна"}


async def test_demo_events_bring_gitex_its_programme_once(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    organization_id = await an_organization(members=[admin.person_id])

    await load_demo_events(admin.person_id, organization_id)
    await load_demo_events(admin.person_id, organization_id)

    listing = await client.get(f"/events/{GITEX_SLUG}/sessions", params={"limit": 200})
    sessions = listing.json()["items"]
    assert len(sessions) == SESSION_COUNT
    # GITEX's three days, 9–11 December, whole days in its zone
    assert sorted({item["day"] for item in sessions}) == ["2026-12-09", "2026-12-10", "2026-12-11"]
