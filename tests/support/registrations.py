"""Registration in tests, through the API: an open event, a person registering, what the
organizers see of them."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support import people
from tests.support.events import create_event, publish_event
from tests.support.organizers import Organizer
from year2026.settings import Settings


async def open_event(client: httpx.AsyncClient, who: Organizer, **fields: Any) -> dict[str, Any]:
    """A published event of the organizer's organization (by default 1 June 2027 in Astana)."""
    event = await create_event(client, who, **fields)
    await publish_event(client, who, event)
    return event


async def post_registration(
    client: httpx.AsyncClient, person: people.SignedIn, event: dict[str, Any], **body: Any
) -> httpx.Response:
    """The answer to the person's asking to register for the event (whatever it is)."""
    return await client.post(
        f"/events/{event['id']}/registrations", json=body, headers=person.headers
    )


async def register(
    client: httpx.AsyncClient, person: people.SignedIn, event: dict[str, Any], **body: Any
) -> dict[str, Any]:
    """The person's new registration for the event (its body, as they see it)."""
    response = await post_registration(client, person, event, **body)
    assert response.status_code == 201, response.text
    registration: dict[str, Any] = response.json()
    return registration


async def my_registration(
    client: httpx.AsyncClient, person: people.SignedIn, registration: dict[str, Any]
) -> dict[str, Any]:
    """The registration as its person sees it now."""
    response = await client.get(f"/me/registrations/{registration['id']}", headers=person.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def as_organizers_see_it(
    person: people.SignedIn, name: str, registration: dict[str, Any], **changes: Any
) -> dict[str, Any]:
    """The organizers' view of a registration, made from its person's view of it."""
    ticket = registration["ticket"]
    return {
        "id": registration["id"],
        "person_id": str(person.person_id),
        "name": name,
        "email": person.email,
        "status": registration["status"],
        "waitlist_position": registration["waitlist_position"],
        "offer_expires_at": registration["offer_expires_at"],
        "ended_reason": registration["ended_reason"],
        "ticket_code": None if ticket is None else ticket["code"],
        "occurrence_id": registration["occurrence_id"],
        "occurrence_starts_at": registration["starts_at"],
        "session_id": registration["session_id"],
        "session_title": registration["session_title"],
        "created_at": registration["created_at"],
        "confirmed_at": registration["confirmed_at"],
        "ended_at": registration["ended_at"],
        "checked_in_at": registration["checked_in_at"],
        **changes,
    }


async def registered(
    client: httpx.AsyncClient,
    settings: Settings,
    event: dict[str, Any],
    *,
    name: str = "Айгерім",
    **body: Any,
) -> tuple[people.SignedIn, dict[str, Any]]:
    """A new person named `name`, registered for the event (confirmed or waitlisted): the
    person and the registration as they see it."""
    person = await people.signed_in_person(settings, name=name)
    return person, await register(client, person, event, **body)


async def cancel_mine(
    client: httpx.AsyncClient, person: people.SignedIn, registration: dict[str, Any]
) -> dict[str, Any]:
    """`DELETE /me/registrations/{id}` as its person: the cancelled registration."""
    response = await client.delete(
        f"/me/registrations/{registration['id']}", headers=person.headers
    )
    assert response.status_code == 200, response.text
    cancelled: dict[str, Any] = response.json()
    return cancelled
