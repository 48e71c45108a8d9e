"""Small factories for the event calendar in tests: an organization with its members, and an
event inserted directly (its row and its one occurrence), so that tests of what builds on events
do not depend on the event services."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from events.enums import EventCategory, EventFormat, EventStatus
from events.tables import Event, Occurrence
from tests.support.organizers import Organizer
from year2026.people.enums import OrganizationKind, Region
from year2026.people.tables import Membership, Organization

_numbers = itertools.count(1)
ALMATY = ZoneInfo("Asia/Almaty")
#: GITEX Central Asia's three days: 13–15 October 2026, 09:00–18:00 in Almaty (UTC+5)
GITEX_STARTS = dt.datetime(2026, 10, 13, 9, 0, tzinfo=ALMATY)
GITEX_ENDS = dt.datetime(2026, 10, 15, 18, 0, tzinfo=ALMATY)


async def an_organization(members: Iterable[uuid.UUID] = ()) -> uuid.UUID:
    """A new organization, with these people as its members."""
    organization_id = uuid.uuid4()
    number = next(_numbers)
    await Organization.insert(
        Organization(
            id=organization_id,
            name_kk=f"Ұйым {number}",
            name_ru=f"Организация {number}",
            name_en=f"Organization {number}",
            kind=OrganizationKind.NGO.value,
        )
    )
    for person_id in members:
        await Membership.insert(
            Membership(id=uuid.uuid4(), organization=organization_id, person=person_id)
        )
    return organization_id


async def an_event(
    organization_id: uuid.UUID,
    *,
    status: EventStatus = EventStatus.PUBLISHED,
    starts_at: dt.datetime = GITEX_STARTS,
    ends_at: dt.datetime = GITEX_ENDS,
    time_zone: str = "Asia/Almaty",
    rrule: str = "",
    slug: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A new event of the organization and its first (or only) occurrence; the event's row.
    A recurring one (`rrule`) gets only its first occurrence: enough for what the programme
    asks of it."""
    event_id = uuid.uuid4()
    values: dict[str, Any] = {
        "id": event_id,
        "organization": organization_id,
        "slug": slug or f"event-{next(_numbers)}-{event_id.hex[:8]}",
        "status": status.value,
        "title_kk": "GITEX Central Asia 2026",
        "title_ru": "GITEX Central Asia 2026",
        "title_en": "GITEX Central Asia 2026",
        "category": EventCategory.FORUM.value,
        "format": EventFormat.OFFLINE.value,
        "region": Region.ALMATY.value,
        "time_zone": time_zone,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "rrule": rrule,
        **fields,
    }
    inserted = await Event.insert(Event(**values)).returning(*Event.all_columns())
    await Occurrence.insert(
        Occurrence(
            id=uuid.uuid4(),
            event=event_id,
            original_start=starts_at,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    )
    return dict(inserted[0])


# --- through the API ---------------------------------------------------------------------


def event_body(organization_id: uuid.UUID, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organization_id": str(organization_id),
        "slug": f"event-{uuid.uuid4().hex[:10]}",
        "title_kk": "Жасанды интеллект күні",
        "title_ru": "День искусственного интеллекта",
        "title_en": "AI Day",
        "category": "conference",
        "format": "offline",
        "region": "astana",
        "time_zone": "Asia/Almaty",
        "starts_at": "2027-06-01T10:00:00",
        "ends_at": "2027-06-01T18:00:00",
    }
    body.update(changes)
    return {name: value for name, value in body.items() if value is not None}


async def create_event(client: httpx.AsyncClient, who: Organizer, **changes: Any) -> dict[str, Any]:
    response = await client.post(
        "/events", json=event_body(who.organization_id, **changes), headers=who.headers
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def publish_event(client: httpx.AsyncClient, who: Organizer, event: dict[str, Any]) -> None:
    response = await client.post(f"/events/{event['id']}/publish", headers=who.headers)
    assert response.status_code == 200, response.text
