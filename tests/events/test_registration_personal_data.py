"""A person's registrations in their export, and what erasure does to them: future places are
given up (the next waiting person moves up), attendance stays as an anonymous person's."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx

from events.registration_tables import CheckIn
from tests.support import people
from tests.support.organizers import Organizer
from tests.support.registrations import open_event, register
from year2026.seats_tables import SeatClaim
from year2026.settings import Settings


async def test_export_lists_registrations_and_check_ins(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=5)
    guest = await people.signed_in_person(settings)
    placed = await register(client, guest, event)
    scanned_at = dt.datetime(2027, 6, 1, 5, 1, tzinfo=dt.UTC)
    await CheckIn.insert(
        CheckIn(
            id=uuid.uuid4(),
            registration=uuid.UUID(placed["id"]),
            event=uuid.UUID(event["id"]),
            checked_in_at=scanned_at,
            device="gate-1",
        )
    )
    exported = (await client.get("/me/export", headers=guest.headers)).json()
    assert exported["events"] == {
        "registrations": [
            {
                "id": placed["id"],
                "event_id": event["id"],
                "event_slug": event["slug"],
                "title_kk": event["title_kk"],
                "title_ru": event["title_ru"],
                "title_en": event["title_en"],
                "occurrence_id": placed["occurrence_id"],
                "session_id": None,
                "starts_at": "2027-06-01T05:00:00Z",
                "status": "confirmed",
                "position": None,
                "offer_expires_at": None,
                "ended_reason": "",
                "ticket_code": placed["ticket"]["code"],
                "created_at": exported["events"]["registrations"][0]["created_at"],
                "confirmed_at": exported["events"]["registrations"][0]["confirmed_at"],
                "ended_at": None,
            }
        ],
        "check_ins": [
            {
                "registration_id": placed["id"],
                "event_id": event["id"],
                "checked_in_at": "2027-06-01T05:01:00Z",
                "device": "gate-1",
            }
        ],
    }
    assert dt.datetime.fromisoformat(exported["events"]["registrations"][0]["created_at"])


async def test_erasure_gives_up_future_places_and_keeps_past_attendance(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    coming = await open_event(client, organizer, capacity=1)
    attended = await open_event(client, organizer, capacity=10)
    leaving, waiting = [await people.signed_in_person(settings) for _ in range(2)]
    future_place = await register(client, leaving, coming)
    queued = await register(client, waiting, coming)
    assert queued["status"] == "waitlisted"
    past_place = await register(client, leaving, attended)
    await CheckIn.insert(
        CheckIn(
            id=uuid.uuid4(),
            registration=uuid.UUID(past_place["id"]),
            event=uuid.UUID(attended["id"]),
            checked_in_at=dt.datetime(2026, 11, 1, 5, 0, tzinfo=dt.UTC),
        )
    )
    # the attended event took place last month
    await SeatClaim.raw(
        "UPDATE event_occurrence SET starts_at = {}, ends_at = {} WHERE id = {}",
        dt.datetime(2026, 11, 1, 5, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC),
        uuid.UUID(past_place["occurrence_id"]),
    )
    erased = await client.delete("/me", headers=leaving.headers)
    assert erased.status_code == 204, erased.text
    claims = await SeatClaim.raw(
        "SELECT id::text, status, ended_reason FROM seat_claim ORDER BY created_at"
    )
    assert [dict(row) for row in claims] == [
        {"id": future_place["id"], "status": "cancelled", "ended_reason": "erased"},
        {"id": queued["id"], "status": "confirmed", "ended_reason": ""},
        {"id": past_place["id"], "status": "confirmed", "ended_reason": ""},
    ]
    kept = await CheckIn.raw("SELECT registration::text FROM event_check_in")
    assert [row["registration"] for row in kept] == [past_place["id"]]
