"""Registration over HTTP: seats, the waitlist and its promotions, the window, refusals, and a
person's own registrations."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import organizers, people
from tests.support.events import create_event, publish_event
from tests.support.http import assert_problem
from tests.support.organizers import Organizer
from year2026.settings import Settings


@pytest.fixture
async def organizer(clean_state: Settings) -> Organizer:
    return await organizers.organizer(clean_state)


async def open_event(client: httpx.AsyncClient, who: Organizer, **fields: Any) -> dict[str, Any]:
    event = await create_event(client, who, **fields)
    await publish_event(client, who, event)
    return event


async def register(
    client: httpx.AsyncClient, person: people.SignedIn, event: dict[str, Any], **body: Any
) -> httpx.Response:
    return await client.post(
        f"/events/{event['id']}/registrations", json=body, headers=person.headers
    )


async def test_seats_then_waitlist_then_promotion_on_cancel(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=2)
    guests = [await people.signed_in_person(settings) for _ in range(3)]
    answers = [await register(client, guest, event) for guest in guests]
    assert [answer.status_code for answer in answers] == [201, 201, 201]
    bodies = [answer.json() for answer in answers]
    assert [body["status"] for body in bodies] == ["confirmed", "confirmed", "waitlisted"]
    assert [body["waitlist_position"] for body in bodies] == [None, None, 1]
    assert bodies[0]["ticket"]["code"]
    assert bodies[2]["ticket"] is None

    again = await register(client, guests[0], event)
    assert (again.status_code, again.json()["id"]) == (200, bodies[0]["id"])

    cancelled = await client.delete(
        f"/me/registrations/{bodies[0]['id']}", headers=guests[0].headers
    )
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["ticket"]) == ("cancelled", None)
    mine = await client.get("/me/registrations", headers=guests[2].headers)
    assert [item["status"] for item in mine.json()["items"]] == ["confirmed"]


async def test_full_event_without_waitlist_is_a_409(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=1, waitlist=False)
    first, second = [await people.signed_in_person(settings) for _ in range(2)]
    assert (await register(client, first, event)).status_code == 201
    assert_problem(await register(client, second, event), 409, "no-seats-left")


async def test_unknown_event_is_404(client: httpx.AsyncClient, settings: Settings) -> None:
    guest = await people.signed_in_person(settings)
    answer = await register(client, guest, {"id": str(uuid.uuid4())})
    assert_problem(answer, 404, "event-not-found")
