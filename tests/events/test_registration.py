"""Registration over HTTP: seats, the waitlist and its promotions, the window, refusals, and a
person's own registrations."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import asyncpg
import httpx
from litestar import Litestar

from tests.support import people
from tests.support.events import create_event, event_body
from tests.support.http import assert_problem
from tests.support.organizers import Organizer
from tests.support.registrations import open_event
from tests.support.registrations import post_registration as register
from tests.support.statements import counting_statements
from year2026.audit_tables import AuditEntry
from year2026.seats import ClaimGate
from year2026.seats_tables import SeatClaim
from year2026.settings import Settings


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


def in_days(days: int, hour: int = 10) -> str:
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


async def test_registration_window_is_enforced(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    guest = await people.signed_in_person(settings)
    not_yet = await open_event(
        client, organizer, registration_opens_at="2027-05-01T09:00:00", capacity=10
    )
    body = assert_problem(await register(client, guest, not_yet), 409, "registration-not-yet-open")
    assert body["detail"] == "Тіркелу 2027-05-01T09:00+05:00 ашылады."
    in_english = await client.post(
        f"/events/{not_yet['id']}/registrations?lang=en", json={}, headers=guest.headers
    )
    body = assert_problem(in_english, 409, "registration-not-yet-open")
    assert body["detail"] == "Registration opens at 2027-05-01T09:00+05:00."
    closed = await open_event(
        client,
        organizer,
        registration_opens_at=in_days(-10),
        registration_closes_at=in_days(-1),
    )
    assert_problem(await register(client, guest, closed), 409, "registration-closed")
    started = await open_event(client, organizer, starts_at=in_days(-1), ends_at=in_days(1))
    assert_problem(await register(client, guest, started), 409, "registration-closed")
    # the window opens when the organizer moves it
    opened = await client.patch(
        f"/events/{not_yet['id']}",
        json={"registration_opens_at": in_days(-1)},
        headers=organizer.headers,
    )
    assert opened.status_code == 200, opened.text
    assert (await register(client, guest, not_yet)).status_code == 201


async def test_a_window_that_closes_before_it_opens_is_refused_naming_the_field(
    client: httpx.AsyncClient, organizer: Organizer
) -> None:
    response = await client.post(
        "/events",
        json=event_body(
            organizer.organization_id,
            registration_opens_at="2027-05-02T09:00:00",
            registration_closes_at="2027-05-01T09:00:00",
        ),
        headers=organizer.headers,
    )
    body = assert_problem(response, 422, "event-registration-window-backwards")
    assert [error["field"] for error in body["errors"]] == ["registration_closes_at"]


async def test_cancelled_draft_and_postponed_events_refuse(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    guest = await people.signed_in_person(settings)
    draft = await create_event(client, organizer)
    assert_problem(await register(client, guest, draft), 404, "event-not-found")
    cancelled = await open_event(client, organizer)
    reason = {"reason_en": "The venue is closed"}
    await client.post(f"/events/{cancelled['id']}/cancel", json=reason, headers=organizer.headers)
    assert_problem(await register(client, guest, cancelled), 409, "event-cancelled")
    undated = await open_event(client, organizer)
    postponed = await client.post(
        f"/events/{undated['id']}/postpone",
        json={**reason, "date_to_be_announced": True},
        headers=organizer.headers,
    )
    assert postponed.status_code == 200, postponed.text
    assert_problem(await register(client, guest, undated), 409, "registration-not-open")


async def test_cancelling_an_event_closes_registration_but_keeps_the_places(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=1)
    first, second = [await people.signed_in_person(settings) for _ in range(2)]
    placed = (await register(client, first, event)).json()
    waiting = (await register(client, second, event)).json()
    reason = {"reason_ru": "Площадка закрыта"}
    await client.post(f"/events/{event['id']}/cancel", json=reason, headers=organizer.headers)
    # the place is given up after the cancellation: nobody is moved up to a cancelled event
    await client.delete(f"/me/registrations/{placed['id']}", headers=first.headers)
    mine = await client.get(f"/me/registrations/{waiting['id']}", headers=second.headers)
    assert (mine.json()["status"], mine.json()["waitlist_position"]) == ("waitlisted", 1)


async def test_recurring_event_registers_one_occurrence_at_a_time(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(
        client,
        organizer,
        starts_at=in_days(7),
        ends_at=in_days(7, hour=12),
        rrule="FREQ=WEEKLY;COUNT=4",
        capacity=1,
        waitlist=False,
    )
    guest = await people.signed_in_person(settings)
    body = assert_problem(await register(client, guest, event), 422, "occurrence-required")
    assert [error["field"] for error in body["errors"]] == ["occurrence_id"]
    upcoming = (await client.get(f"/events/{event['id']}")).json()["upcoming"]
    first = await register(client, guest, event, occurrence_id=upcoming[0]["id"])
    second = await register(client, guest, event, occurrence_id=upcoming[1]["id"])
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["starts_at"] == upcoming[0]["starts_at"]
    assert second.json()["occurrence_id"] == upcoming[1]["id"]
    # a cancelled date takes nobody
    cancelled = await client.patch(
        f"/events/{event['id']}/occurrences/{upcoming[2]['id']}",
        json={"cancelled": True},
        headers=organizer.headers,
    )
    assert cancelled.status_code == 200, cancelled.text
    refused = await register(client, guest, event, occurrence_id=upcoming[2]["id"])
    assert_problem(refused, 409, "registration-not-open")
    other = await register(client, guest, event, occurrence_id=str(uuid.uuid4()))
    assert_problem(other, 404, "occurrence-not-found")


async def test_a_schedule_change_never_removes_a_date_people_registered_for(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(
        client,
        organizer,
        starts_at=in_days(7),
        ends_at=in_days(7, hour=12),
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    upcoming = (await client.get(f"/events/{event['id']}")).json()["upcoming"]
    guest = await people.signed_in_person(settings)
    await register(client, guest, event, occurrence_id=upcoming[3]["id"])
    shorter = await client.patch(
        f"/events/{event['id']}", json={"rrule": "FREQ=WEEKLY;COUNT=2"}, headers=organizer.headers
    )
    assert_problem(shorter, 409, "occurrences-have-registrations")
    # dates nobody registered for may still go
    unregistered = await open_event(
        client,
        organizer,
        starts_at=in_days(7),
        ends_at=in_days(7, hour=12),
        rrule="FREQ=DAILY;COUNT=5",
    )
    fewer = await client.patch(
        f"/events/{unregistered['id']}",
        json={"rrule": "FREQ=DAILY;COUNT=2"},
        headers=organizer.headers,
    )
    assert fewer.status_code == 200, fewer.text


async def test_a_session_with_seats_of_its_own_is_registered_for_apart(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, starts_at=in_days(30), ends_at=in_days(30, 18))
    day = in_days(30, 11)
    workshop = await client.post(
        f"/events/{event['id']}/sessions",
        json={
            "title_en": "Prompting workshop",
            "starts_at": day,
            "ends_at": in_days(30, 12),
            "capacity": 1,
        },
        headers=organizer.headers,
    )
    talk = await client.post(
        f"/events/{event['id']}/sessions",
        json={"title_en": "Keynote", "starts_at": day, "ends_at": in_days(30, 12)},
        headers=organizer.headers,
    )
    assert (workshop.status_code, talk.status_code) == (201, 201), workshop.text
    first, second = [await people.signed_in_person(settings) for _ in range(2)]
    seated = await register(client, first, event, session_id=workshop.json()["id"])
    assert seated.status_code == 201, seated.text
    assert seated.json()["session_title"] == {"text": "Prompting workshop", "language": "en"}
    assert seated.json()["status"] == "confirmed"
    waiting = await register(client, second, event, session_id=workshop.json()["id"])
    assert waiting.json()["status"] == "waitlisted"
    assert_problem(
        await register(client, first, event, session_id=talk.json()["id"]),
        409,
        "session-without-seats",
    )
    # a second seat moves the waiting person up
    more = await client.patch(
        f"/events/{event['id']}/sessions/{workshop.json()['id']}",
        json={"capacity": 2},
        headers=organizer.headers,
    )
    assert more.status_code == 200, more.text
    mine = await client.get(f"/me/registrations/{waiting.json()['id']}", headers=second.headers)
    assert mine.json()["status"] == "confirmed"


async def test_another_persons_registration_is_not_found(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer)
    owner, other = [await people.signed_in_person(settings) for _ in range(2)]
    placed = (await register(client, owner, event)).json()
    for response in (
        await client.get(f"/me/registrations/{placed['id']}", headers=other.headers),
        await client.delete(f"/me/registrations/{placed['id']}", headers=other.headers),
    ):
        assert_problem(response, 404, "registration-not-found")
    mine = await client.get(f"/me/registrations/{placed['id']}", headers=owner.headers)
    assert mine.json()["status"] == "confirmed"


async def test_a_crowded_pool_answers_503_with_retry_after_instead_of_hanging(
    client: httpx.AsyncClient, app: Litestar, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=10)
    occurrence = uuid.UUID((await client.get(f"/events/{event['id']}")).json()["upcoming"][0]["id"])
    guest = await people.signed_in_person(settings)
    app.state.seat_gate = ClaimGate(per_pool=1, wait_seconds=0.05)
    async with app.state.seat_gate.admit(occurrence):  # someone else holds the one place in line
        started = time.monotonic()
        body = assert_problem(await register(client, guest, event), 503, "seats-busy")
        assert time.monotonic() - started < 1
    assert body["retry_after"] == 2
    # other events are not held up by it, and the pool takes claims again once it is free
    assert (await register(client, guest, event)).status_code == 201


async def test_a_pool_row_held_too_long_is_a_503_not_a_hang(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=10)
    occurrence = uuid.UUID((await client.get(f"/events/{event['id']}")).json()["upcoming"][0]["id"])
    guest = await people.signed_in_person(settings)
    holder = await asyncpg.connect(settings.effective_database_url)
    try:
        async with holder.transaction():
            await holder.execute("SELECT 1 FROM seat_pool WHERE id = $1 FOR UPDATE", occurrence)
            started = time.monotonic()
            response = await register(client, guest, event)
            waited = time.monotonic() - started
    finally:
        await holder.close()
    assert_problem(response, 503, "seats-busy")
    assert response.headers["retry-after"] == "2"
    assert 2.5 < waited < 10
    rows = await SeatClaim.raw("SELECT count(*) AS n FROM seat_claim")
    assert rows == [{"n": 0}]  # nothing half-written


async def test_the_event_page_shows_seats_left_and_the_waitlist_of_each_date(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(
        client, organizer, capacity=1, registration_opens_at="2027-01-10T09:00:00"
    )
    page = (await client.get(f"/events/{event['id']}")).json()
    assert page["upcoming"][0]["seats"] == {
        "capacity": 1,
        "left": 1,
        "waitlisted": 0,
        "open": False,
        "waitlist": True,
        "opens_at": "2027-01-10T09:00:00+05:00",
        "closes_at": "2027-06-01T10:00:00+05:00",
    }
    await client.patch(
        f"/events/{event['id']}", json={"registration_opens_at": None}, headers=organizer.headers
    )
    for guest in [await people.signed_in_person(settings) for _ in range(2)]:
        await register(client, guest, event)
    page = (await client.get(f"/events/{event['id']}")).json()
    assert page["upcoming"][0]["seats"] == {
        "capacity": 1,
        "left": 0,
        "waitlisted": 1,
        "open": True,
        "waitlist": True,
        "opens_at": None,
        "closes_at": "2027-06-01T10:00:00+05:00",
    }


async def test_my_registrations_take_as_many_statements_for_one_as_for_three(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    guest = await people.signed_in_person(settings)

    async def register_and_count() -> tuple[int, int]:
        await register(client, guest, await open_event(client, organizer, capacity=3))
        with counting_statements() as listing:
            response = await client.get("/me/registrations", headers=guest.headers)
        assert all(item["ticket"] for item in response.json()["items"])
        return len(response.json()["items"]), listing.value

    one = await register_and_count()
    await register_and_count()
    three = await register_and_count()
    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1] == 1


async def test_every_change_of_a_place_is_audited(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=1)
    first, second = [await people.signed_in_person(settings) for _ in range(2)]
    placed = (await register(client, first, event)).json()
    waiting = (await register(client, second, event)).json()
    await client.delete(f"/me/registrations/{placed['id']}", headers=first.headers)
    entries = await AuditEntry.raw(
        "SELECT actor, action, object_id, before, after FROM audit_entry"
        " WHERE object_type = 'seat_claim' ORDER BY id"
    )
    pool = placed["occurrence_id"]
    assert [
        (row["actor"], row["action"], row["object_id"], row["before"], row["after"])
        for row in entries
    ] == [
        (
            first.person_id,
            "seat_claim.claim",
            placed["id"],
            None,
            f'{{"pool": "{pool}", "status": "confirmed", "position": null, "ended_reason": "",'
            ' "offer_expires_at": null}',
        ),
        (
            second.person_id,
            "seat_claim.claim",
            waiting["id"],
            None,
            f'{{"pool": "{pool}", "status": "waitlisted", "position": 1, "ended_reason": "",'
            ' "offer_expires_at": null}',
        ),
        (
            first.person_id,
            "seat_claim.release",
            placed["id"],
            '{"status": "confirmed", "ended_reason": ""}',
            '{"status": "cancelled", "ended_reason": "withdrawn"}',
        ),
        (
            first.person_id,
            "seat_claim.promote",
            waiting["id"],
            '{"status": "waitlisted"}',
            '{"status": "confirmed"}',
        ),
    ]
