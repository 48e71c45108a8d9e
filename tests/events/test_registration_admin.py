"""The organizers' tools over HTTP: an event's registrations with their counts, search and
filters, the CSV export, cancelling a person's registration, and capacity changes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from typing import Any

import httpx
import pytest

from events.registration_tables import CheckIn
from events.tables import Occurrence
from tests.support import organizers, people
from tests.support.events import event_body
from tests.support.http import assert_problem
from tests.support.organizers import Organizer
from tests.support.registrations import (
    as_organizers_see_it,
    my_registration,
    open_event,
    register,
)
from tests.support.statements import counting_statements
from year2026.audit_tables import AuditEntry
from year2026.settings import Settings

UTC = dt.UTC


def path_of(event: dict[str, Any]) -> str:
    return f"/events/{event['id']}/registrations"


async def listing(
    client: httpx.AsyncClient, who: Organizer, event: dict[str, Any], **params: Any
) -> dict[str, Any]:
    response = await client.get(path_of(event), params=params, headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def check_in(registration: dict[str, Any], at: dt.datetime) -> None:
    """A check-in row as the door would write it (the check-in service is not this test's)."""
    await CheckIn.insert(
        CheckIn(
            id=uuid.uuid4(),
            registration=uuid.UUID(registration["id"]),
            event=uuid.UUID(registration["event_id"]),
            checked_in_at=at,
            device="door-1",
        )
    )


def counts(
    confirmed: int = 0,
    waitlisted: int = 0,
    offered: int = 0,
    cancelled: int = 0,
    checked_in: int = 0,
) -> dict[str, int]:
    return {
        "confirmed": confirmed,
        "waitlisted": waitlisted,
        "offered": offered,
        "cancelled": cancelled,
        "checked_in": checked_in,
    }


async def test_organizers_see_counts_and_every_registration_in_arrival_order(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=2)
    names = ["Әлия Серікқызы", "Бауыржан", "Светлана Ким", "Dana"]
    guests = [await people.signed_in_person(settings, name=name) for name in names]
    made = [await register(client, guest, event) for guest in guests]
    withdrawn = await client.delete(f"/me/registrations/{made[3]['id']}", headers=guests[3].headers)
    assert withdrawn.status_code == 200, withdrawn.text
    await check_in(made[0], dt.datetime(2027, 6, 1, 4, 55, tzinfo=UTC))

    body = await listing(client, organizer, event)

    now = [
        await my_registration(client, guest, one) for guest, one in zip(guests, made, strict=True)
    ]
    assert body == {
        "counts": counts(confirmed=2, waitlisted=1, cancelled=1, checked_in=1),
        "items": [
            as_organizers_see_it(guests[0], names[0], now[0], checked_in_at="2027-06-01T04:55:00Z"),
            as_organizers_see_it(guests[1], names[1], now[1]),
            as_organizers_see_it(guests[2], names[2], now[2]),
            as_organizers_see_it(guests[3], names[3], now[3]),
        ],
        "next_cursor": None,
    }
    assert [item["status"] for item in body["items"]] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "cancelled",
    ]
    assert body["items"][2]["waitlist_position"] == 1
    assert body["items"][0]["occurrence_starts_at"] == "2027-06-01T10:00:00+05:00"


async def test_the_list_is_narrowed_by_status_and_searched_by_name_or_email(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=1)
    guests = [
        await people.signed_in_person(settings, name="Әлия Серікқызы", email="aliya@example.kz"),
        await people.signed_in_person(settings, name="100% Bauyrzhan", email="b_z@example.kz"),
        await people.signed_in_person(settings, name="Светлана", email="sveta@MAIL.kz"),
    ]
    made = [await register(client, guest, event) for guest in guests]

    async def ids(**params: Any) -> list[str]:
        return [item["id"] for item in (await listing(client, organizer, event, **params))["items"]]

    assert await ids(status="waitlisted") == [made[1]["id"], made[2]["id"]]
    assert await ids(status="offered") == []
    assert await ids(q="ӘЛИЯ") == [made[0]["id"]]  # Kazakh letters, in any case
    assert await ids(q="светл") == [made[2]["id"]]
    assert await ids(q="mail.KZ") == [made[2]["id"]]  # the email too
    # % and _ are the letters typed, not LIKE's wildcards
    assert await ids(q="%") == [made[1]["id"]]
    assert await ids(q="_") == [made[1]["id"]]
    assert await ids(q="b_z") == [made[1]["id"]]
    assert await ids(q="a_i") == []
    assert await ids(q="\\") == []
    assert await ids(q="aliya", status="waitlisted") == []
    # the counts stay the event's totals beside a narrowed list
    narrowed = await listing(client, organizer, event, q="светл")
    assert narrowed["counts"] == counts(confirmed=1, waitlisted=2)


async def test_occurrence_and_session_filters_narrow_the_list_and_its_counts(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(
        client,
        organizer,
        rrule="FREQ=WEEKLY;COUNT=3",
        starts_at="2027-06-01T10:00:00",
        ends_at="2027-06-01T18:00:00",
    )
    occurrences = (
        await Occurrence.select(Occurrence.id)
        .where(Occurrence.event == uuid.UUID(event["id"]))
        .order_by(Occurrence.starts_at)
    )
    first, second = (str(row["id"]) for row in occurrences[:2])
    session = await client.post(
        f"/events/{event['id']}/sessions",
        json={
            "title_en": "Workshop",
            "starts_at": "2027-06-01T11:00:00+05:00",
            "ends_at": "2027-06-01T12:00:00+05:00",
            "capacity": 5,
        },
        headers=organizer.headers,
    )
    assert session.status_code == 201, session.text
    session_id = session.json()["id"]
    guest, other = [await people.signed_in_person(settings) for _ in range(2)]
    at_first = await register(client, guest, event, occurrence_id=first)
    at_second = await register(client, other, event, occurrence_id=second)
    at_session = await register(client, guest, event, session_id=session_id)

    def ids(body: dict[str, Any]) -> list[str]:
        return [item["id"] for item in body["items"]]

    everything = await listing(client, organizer, event)
    assert ids(everything) == [at_first["id"], at_second["id"], at_session["id"]]
    assert everything["counts"] == counts(confirmed=3)
    by_second = await listing(client, organizer, event, occurrence=second)
    assert (ids(by_second), by_second["counts"]) == ([at_second["id"]], counts(confirmed=1))
    by_first = await listing(client, organizer, event, occurrence=first)
    assert ids(by_first) == [at_first["id"], at_session["id"]]
    by_session = await listing(client, organizer, event, session=session_id)
    assert (ids(by_session), by_session["counts"]) == ([at_session["id"]], counts(confirmed=1))
    item = by_session["items"][0]
    assert (item["session_title"], item["occurrence_id"], item["occurrence_starts_at"]) == (
        {"text": "Workshop", "language": "en"},
        first,
        "2027-06-01T10:00:00+05:00",
    )
    # an occurrence of another event selects nothing
    assert ids(await listing(client, organizer, event, occurrence=str(uuid.uuid4()))) == []


async def test_pages_follow_one_another_in_arrival_order(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer)
    made = [
        await register(client, await people.signed_in_person(settings), event) for _ in range(5)
    ]
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = await listing(client, organizer, event, **params)
        assert body["counts"] == counts(confirmed=5)
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert (pages, seen) == (3, [one["id"] for one in made])
    refused = await client.get(path_of(event), params={"cursor": "AAAA"}, headers=organizer.headers)
    assert_problem(refused, 400, "invalid-cursor")


async def test_the_listing_sends_the_same_statements_for_one_or_three_registrations(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=1)
    made: list[dict[str, Any]] = []

    async def add_and_count() -> tuple[int, int]:
        made.append(await register(client, await people.signed_in_person(settings), event))
        if len(made) == 1:
            await check_in(made[0], dt.datetime.now(UTC))
        with counting_statements() as statements:
            response = await client.get(path_of(event), headers=organizer.headers)
        assert response.status_code == 200, response.text
        return len(response.json()["items"]), statements.value

    one = await add_and_count()
    await add_and_count()
    three = await add_and_count()
    assert (one[0], three[0]) == (1, 3)
    # the event, the membership, the counts, the page
    assert (one[1], three[1]) == (4, 4)


async def test_only_the_events_organizers_and_admins_see_its_registrations(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer)
    guest = await people.signed_in_person(settings)
    await register(client, guest, event)
    stranger = await organizers.organizer(settings)
    admin = await people.admin(settings)
    for path in (path_of(event), path_of(event) + ".csv"):
        assert_problem(await client.get(path), 401)
        assert_problem(await client.get(path, headers=guest.headers), 403, "not-a-member")
        assert_problem(await client.get(path, headers=stranger.headers), 403, "not-a-member")
        assert (await client.get(path, headers=admin.headers)).status_code == 200
    draft = await client.post(
        "/events",
        json=event_body(organizer.organization_id, slug="hidden-draft"),
        headers=organizer.headers,
    )
    assert draft.status_code == 201, draft.text
    hidden = await client.get("/events/hidden-draft/registrations", headers=stranger.headers)
    assert_problem(hidden, 404, "event-not-found")
    mine = await client.get("/events/hidden-draft/registrations", headers=organizer.headers)
    assert mine.json() == {"counts": counts(), "items": [], "next_cursor": None}


# --- the CSV export ---------------------------------------------------------------------------


def csv_rows(response: httpx.Response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel looks for
    text = response.content.decode("utf-8-sig")
    lines = text.split("\r\n")
    # CRLF after every line, the last one too
    assert lines[-1] == ""
    assert not any("\n" in line for line in lines)
    return list(csv.reader(io.StringIO(text, newline="")))


async def test_the_csv_export_opens_in_excel_with_every_registration(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=2, slug="ai-day-2027")
    names = ["Әлия Серікқызы", '=HYPERLINK("http://evil.example","click")', 'Иван, "Ваня"']
    guests = [await people.signed_in_person(settings, name=name) for name in names]
    made = [await register(client, guest, event) for guest in guests]
    await check_in(made[0], dt.datetime(2027, 6, 1, 4, 55, 12, tzinfo=UTC))

    response = await client.get(
        path_of(event) + ".csv", params={"lang": "en"}, headers=organizer.headers
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="ai-day-2027-registrations.csv"'
    )

    def registered_at(registration: dict[str, Any]) -> str:
        moment = dt.datetime.fromisoformat(registration["created_at"])
        return moment.astimezone(dt.timezone(dt.timedelta(hours=5))).strftime("%Y-%m-%d %H:%M:%S")

    assert csv_rows(response) == [
        [
            "Name",
            "Email",
            "Status",
            "Ticket code",
            "Starts at (Asia/Almaty)",
            "Session",
            "Registered at (Asia/Almaty)",
            "Checked in at (Asia/Almaty)",
        ],
        [
            names[0],
            guests[0].email,
            "confirmed",
            made[0]["ticket"]["code"],
            "2027-06-01 10:00:00",
            "",
            registered_at(made[0]),
            "2027-06-01 09:55:12",
        ],
        [
            "'" + names[1],  # a spreadsheet would run it as a formula
            guests[1].email,
            "confirmed",
            made[1]["ticket"]["code"],
            "2027-06-01 10:00:00",
            "",
            registered_at(made[1]),
            "",
        ],
        [
            names[2],
            guests[2].email,
            "waitlisted",
            "",
            "2027-06-01 10:00:00",
            "",
            registered_at(made[2]),
            "",
        ],
    ]
    # the header in the reader's language, and the list's filters
    russian = await client.get(
        path_of(event) + ".csv",
        params={"status": "waitlisted"},
        headers={**organizer.headers, "Accept-Language": "ru"},
    )
    rows = csv_rows(russian)
    assert (rows[0][:4], [row[0] for row in rows[1:]]) == (
        ["Имя", "Эл. почта", "Статус", "Код билета"],
        [names[2]],
    )


@pytest.mark.parametrize("name", ["=1+1", "+77011234567", "-2", "@SUM(A1)", "\tx", "\rx"])
async def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings, name: str
) -> None:
    event = await open_event(client, organizer)
    await register(client, await people.signed_in_person(settings, name=name), event)
    response = await client.get(path_of(event) + ".csv", headers=organizer.headers)
    assert csv_rows(response)[1][0] == "'" + name


# --- an organizer cancels a person's registration ----------------------------------------------


async def _audit_of(registration_id: str) -> list[tuple[str, Any, dict[str, Any], dict[str, Any]]]:
    rows = (
        await AuditEntry.select(
            AuditEntry.action, AuditEntry.actor, AuditEntry.before, AuditEntry.after
        )
        .where(AuditEntry.object_id == registration_id)
        .order_by(AuditEntry.id)
    )
    return [
        (
            row["action"],
            row["actor"],
            json.loads(row["before"]) if row["before"] else {},
            json.loads(row["after"]),
        )
        for row in rows
    ]


async def test_an_organizer_cancels_a_registration_and_the_next_person_gets_the_seat(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=1)
    first, second = [await people.signed_in_person(settings) for _ in range(2)]
    seated = await register(client, first, event)
    waiting = await register(client, second, event)

    cancelled = await client.delete(f"{path_of(event)}/{seated['id']}", headers=organizer.headers)

    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert (body["status"], body["ended_reason"], body["ticket_code"]) == (
        "cancelled",
        "cancelled-by-organizer",
        None,
    )
    assert (await my_registration(client, first, seated))["ticket"] is None
    promoted = await my_registration(client, second, waiting)
    assert (promoted["status"], promoted["ticket"] is not None) == ("confirmed", True)
    actions = [(action, actor) for action, actor, _, _ in await _audit_of(seated["id"])]
    assert actions == [
        ("seat_claim.claim", first.person_id),
        ("seat_claim.release", organizer.person.person_id),
    ]
    assert [entry[0:2] for entry in await _audit_of(waiting["id"])] == [
        ("seat_claim.claim", second.person_id),
        ("seat_claim.promote", organizer.person.person_id),
    ]
    # again: nothing changes, nothing more is written
    again = await client.delete(f"{path_of(event)}/{seated['id']}", headers=organizer.headers)
    assert (again.status_code, again.json()) == (200, body)
    assert len(await _audit_of(seated["id"])) == 2


async def test_a_registration_of_another_event_cannot_be_cancelled_through_this_one(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    mine = await open_event(client, organizer)
    other_organizer = await organizers.organizer(settings)
    theirs = await open_event(client, other_organizer)
    guest = await people.signed_in_person(settings)
    registration = await register(client, guest, theirs)

    for registration_id in (registration["id"], str(uuid.uuid4())):
        answer = await client.delete(
            f"{path_of(mine)}/{registration_id}", headers=organizer.headers
        )
        assert_problem(answer, 404, "registration-not-found")
    refused = await client.delete(
        f"{path_of(theirs)}/{registration['id']}", headers=organizer.headers
    )
    assert_problem(refused, 403, "not-a-member")
    assert (await my_registration(client, guest, registration))["status"] == "confirmed"


# --- capacity changes (PATCH /events/{event}) -----------------------------------------------


async def test_raising_the_capacity_promotes_the_first_waiting_in_order(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=1)
    guests = [await people.signed_in_person(settings) for _ in range(4)]
    made = [await register(client, guest, event) for guest in guests]

    raised = await client.patch(
        f"/events/{event['id']}", json={"capacity": 3}, headers=organizer.headers
    )

    assert raised.status_code == 200, raised.text
    now = [
        await my_registration(client, guest, one) for guest, one in zip(guests, made, strict=True)
    ]
    assert [(one["status"], one["waitlist_position"]) for one in now] == [
        ("confirmed", None),
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
    ]
    # the promotions were written by the change itself: the same request, the same transaction
    entries = (
        await AuditEntry.select(AuditEntry.action, AuditEntry.request_id)
        .where(AuditEntry.action.is_in(["event.update", "seat_claim.promote"]))
        .order_by(AuditEntry.id)
    )
    assert [entry["action"] for entry in entries] == [
        "seat_claim.promote",
        "seat_claim.promote",
        "event.update",
    ]
    assert {entry["request_id"] for entry in entries} == {raised.headers["x-request-id"]}
    assert (await listing(client, organizer, event))["counts"] == counts(confirmed=3, waitlisted=1)


async def test_lowering_the_capacity_below_the_seats_taken_is_refused(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=3)
    for _ in range(3):
        await register(client, await people.signed_in_person(settings), event)

    lowered = await client.patch(
        f"/events/{event['id']}", json={"capacity": 2}, headers=organizer.headers
    )

    body = assert_problem(lowered, 409, "capacity-below-confirmed")
    assert [(error["source"], error["field"]) for error in body["errors"]] == [("body", "capacity")]
    record = await client.get(f"/events/{event['id']}/record", headers=organizer.headers)
    assert record.json()["capacity"] == 3
    same = await client.patch(
        f"/events/{event['id']}", json={"capacity": 3}, headers=organizer.headers
    )
    assert same.status_code == 200, same.text


async def test_nobody_is_promoted_once_registration_has_closed(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=1)
    first, second = [await people.signed_in_person(settings) for _ in range(2)]
    seated = await register(client, first, event)
    waiting = await register(client, second, event)
    closed = await client.patch(
        f"/events/{event['id']}",
        json={"registration_closes_at": "2020-01-01T00:00:00Z"},
        headers=organizer.headers,
    )
    assert closed.status_code == 200, closed.text

    raised = await client.patch(
        f"/events/{event['id']}", json={"capacity": 2}, headers=organizer.headers
    )
    assert raised.status_code == 200, raised.text
    assert (await my_registration(client, second, waiting))["status"] == "waitlisted"
    cancelled = await client.delete(f"{path_of(event)}/{seated['id']}", headers=organizer.headers)
    assert cancelled.json()["status"] == "cancelled"
    assert (await my_registration(client, second, waiting))["status"] == "waitlisted"
    assert (await listing(client, organizer, event))["counts"] == counts(waitlisted=1, cancelled=1)
