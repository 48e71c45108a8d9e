"""Check-in at the door over HTTP: scans online and in offline batches, the refusals of tickets
that must not let anyone in, undo, the list for offline devices, a third party's check of the
ticket signature, and a rush of devices scanning one ticket at once."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import jwt as pyjwt
import pytest
from joserfc import jwt as jose_jwt
from joserfc.jwk import ECKey
from litestar import Litestar

from events import check_ins
from events.check_in_errors import TicketOtherDate
from events.check_in_schemas import CheckInRequest
from events.registration_tables import CheckIn
from tests.support import organizers, people
from tests.support.events import create_event
from tests.support.http import assert_problem, b64url_json, jwt_claims, jwt_header
from tests.support.organizers import Organizer
from tests.support.registrations import cancel_mine, open_event, registered
from tests.support.statements import counting_statements
from year2026.audit_tables import AuditEntry
from year2026.people.tables import Person
from year2026.settings import Settings

ALMATY = ZoneInfo("Asia/Almaty")
SCANNER = "Данияр"


@pytest.fixture
async def organizer(clean_state: Settings) -> Organizer:
    """A member of the event's organization, named so that "by whom" is told apart."""
    member = await organizers.organizer(clean_state)
    await Person.update({Person.display_name: SCANNER}).where(Person.id == member.person.person_id)
    return member


def yesterday_at(hour: int, minute: int) -> dt.datetime:
    """A scan time in the past (scans ahead of the clock are refused), in Almaty."""
    day = dt.datetime.now(ALMATY) - dt.timedelta(days=1)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


async def scan(
    client: httpx.AsyncClient,
    who: Organizer | people.SignedIn,
    event: dict[str, Any],
    language: str = "en",
    **body: Any,
) -> httpx.Response:
    return await client.post(
        f"/events/{event['id']}/check-ins",
        json=body,
        headers={**who.headers, "Accept-Language": language},
    )


async def upload(
    client: httpx.AsyncClient, who: Organizer, event: dict[str, Any], body: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(
        f"/events/{event['id']}/check-ins/batch",
        json=body,
        headers={**who.headers, "Accept-Language": "en"},
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def without_request_id(body: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name != "request_id"}


async def check_in_rows() -> list[dict[str, Any]]:
    rows = await CheckIn.raw(
        "SELECT registration, checked_in_at, checked_in_by, device, recorded_at"
        " FROM event_check_in ORDER BY registration"
    )
    return [dict(row) for row in rows]


async def audit_of(registration_id: str) -> list[tuple[str, Any, Any]]:
    rows = await AuditEntry.raw(
        "SELECT action, before, after FROM audit_entry"
        " WHERE object_type = 'check_in' AND object_id = {} ORDER BY id",
        registration_id,
    )

    def loaded(value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    return [(row["action"], loaded(row["before"]), loaded(row["after"])) for row in rows]


def typed_badly(code: str) -> str:
    """The code as someone types it from a phone screen: lower case, no hyphen, 0 as o, 1 as l."""
    return code.replace("-", "").replace("0", "o").replace("1", "l").lower()


def kept(at: dt.datetime, device: str, by: str | None = SCANNER) -> dict[str, Any]:
    return {"checked_in_at": at.isoformat(), "checked_in_by": by, "device": device}


# --- online ---------------------------------------------------------------------------------


async def test_check_in_then_a_second_scan_says_when_and_by_whom(
    client: httpx.AsyncClient, app: Litestar, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=5)
    _, registration = await registered(client, settings, event, name="Айгерім Сапарова")
    token = registration["ticket"]["token"]
    at = yesterday_at(10, 42)

    first = await scan(
        client, organizer, event, ticket=token, device="gate-3", scanned_at=at.isoformat()
    )
    assert first.status_code == 201, first.text
    assert first.json() == {
        "registration_id": registration["id"],
        "ticket_code": registration["ticket"]["code"],
        "person_name": "Айгерім Сапарова",
        "event_id": event["id"],
        "occurrence_id": registration["occurrence_id"],
        "session_id": None,
        "checked_in_at": at.isoformat(),
        "checked_in_by": SCANNER,
        "device": "gate-3",
    }

    again = await scan(client, organizer, event, ticket=token, device="gate-4")
    assert without_request_id(assert_problem(again, 409, "already-checked-in")) == {
        "type": "/problems/already-checked-in",
        "title": "Conflict",
        "status": 409,
        "detail": f"This ticket was already checked in at 10:42 by {SCANNER}.",
        "code": "already-checked-in",
        "params": {
            "time": "10:42",
            "checked_in_at": at.isoformat(),
            "checked_in_by": SCANNER,
            "device": "gate-3",
        },
    }
    in_russian = await client.post(
        f"/events/{event['id']}/check-ins?lang=ru",
        json={"code": registration["ticket"]["code"]},
        headers=organizer.headers,
    )
    assert without_request_id(assert_problem(in_russian, 409)) == {
        "type": "/problems/already-checked-in",
        "title": "Конфликт",
        "status": 409,
        "detail": f"По этому билету уже отмечен вход в 10:42, отметил(а) {SCANNER}.",
        "code": "already-checked-in",
        "params": {
            "time": "10:42",
            "checked_in_at": at.isoformat(),
            "checked_in_by": SCANNER,
            "device": "gate-3",
        },
    }
    assert [row["device"] for row in await check_in_rows()] == ["gate-3"]
    assert await audit_of(registration["id"]) == [
        (
            "check_in.create",
            None,
            {
                "registration": registration["id"],
                "event": event["id"],
                "checked_in_at": at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
                "checked_in_by": str(organizer.person.person_id),
                "device": "gate-3",
            },
        )
    ]


async def test_typed_code_checks_in_and_admins_may_scan(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=5)
    _, registration = await registered(client, settings, event)
    admin = await people.admin(settings)

    answer = await scan(client, admin, event, code=typed_badly(registration["ticket"]["code"]))
    assert answer.status_code == 201, answer.text
    assert (answer.json()["registration_id"], answer.json()["device"]) == (registration["id"], "")

    unknown = await scan(client, organizer, event, code="ZZZZ-ZZZZ")
    body = assert_problem(unknown, 422, "ticket-code-unknown")
    assert body["errors"] == [
        {"source": "body", "field": "code", "message": "No ticket of this event has this code."}
    ]
    both = await scan(
        client, organizer, event, code="ZZZZ-ZZZZ", ticket=registration["ticket"]["token"]
    )
    assert_problem(both, 422, "ticket-or-code")
    neither = await scan(client, organizer, event, device="gate-1")
    assert_problem(neither, 422, "ticket-or-code")
    ahead = dt.datetime.now(ALMATY) + dt.timedelta(hours=1)
    future = await scan(client, organizer, event, code="ZZZZ-ZZZZ", scanned_at=ahead.isoformat())
    assert_problem(future, 422, "scan-in-future")
    assert len(await check_in_rows()) == 1


async def test_tampered_and_foreign_tokens_are_forged(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=5)
    _, mine = await registered(client, settings, event)
    _, theirs = await registered(client, settings, event)
    token = mine["ticket"]["token"]
    header, payload, signature = token.split(".")

    middle = len(payload) // 2
    flipped = payload[:middle] + ("A" if payload[middle] != "A" else "B") + payload[middle + 1 :]
    # the same signature over claims that name another person's registration
    claims = jwt_claims(token)
    retargeted = b64url_json({**claims, "jti": theirs["id"]})
    other_key = ECKey.generate_key("P-256", private=True)
    signed_elsewhere = jose_jwt.encode(jwt_header(token), claims, other_key, algorithms=["ES256"])
    unknown_kid = jose_jwt.encode(
        {**jwt_header(token), "kid": "not-our-key"}, claims, other_key, algorithms=["ES256"]
    )
    forgeries = {
        "flipped": f"{header}.{flipped}.{signature}",
        "retargeted": f"{header}.{retargeted}.{signature}",
        "other key, our kid": signed_elsewhere,
        "unknown kid": unknown_kid,
        "an access token": organizer.person.access_token,
        "not a token": "hello",
    }
    for what, forged in forgeries.items():
        answer = await scan(client, organizer, event, ticket=forged)
        body = assert_problem(answer, 422)
        assert (body["code"], body["errors"][0]["field"]) == ("ticket-forged", "ticket"), what
    assert await check_in_rows() == []
    assert (await scan(client, organizer, event, ticket=token)).status_code == 201


async def test_revoked_waitlisted_and_other_event_tickets_are_refused(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=2)
    other_event = await open_event(client, organizer, capacity=2)
    person, cancelled = await registered(client, settings, event)
    _, confirmed = await registered(client, settings, event)
    _, waitlisted = await registered(client, settings, event, name="Бауыржан")
    _, elsewhere = await registered(client, settings, other_event)
    assert waitlisted["status"] == "waitlisted"
    token = cancelled["ticket"]["token"]
    await cancel_mine(client, person, cancelled)  # the waitlisted person gets the seat...
    _, last = await registered(client, settings, event, name="Салтанат")  # ...this one waits

    revoked = await scan(client, organizer, event, ticket=token)
    assert without_request_id(assert_problem(revoked, 409, "ticket-revoked")) == {
        "type": "/problems/ticket-revoked",
        "title": "Conflict",
        "status": 409,
        "detail": "This ticket has been revoked: the registration was cancelled.",
        "code": "ticket-revoked",
    }
    other = await scan(client, organizer, event, ticket=elsewhere["ticket"]["token"])
    assert_problem(other, 422, "ticket-other-event")
    # the other event's code is not this event's
    other_code = await scan(client, organizer, event, code=elsewhere["ticket"]["code"])
    assert_problem(other_code, 422, "ticket-code-unknown")

    listing = await client.get(f"/events/{event['id']}/check-in-list", headers=organizer.headers)
    assert listing.status_code == 200, listing.text
    body = listing.json()
    codes = {entry["registration_id"]: entry["ticket_code"] for entry in body["registrations"]}
    waiting = await scan(client, organizer, event, code=codes[last["id"]])
    assert_problem(waiting, 409, "ticket-not-confirmed")
    assert (await scan(client, organizer, event, code=codes[waitlisted["id"]])).status_code == 201

    occurrence = confirmed["occurrence_id"]
    assert body["revoked"] == [cancelled["id"]]
    assert body["jwks_url"] == f"{body['ticket_issuer']}/.well-known/jwks.json"
    assert (body["event_id"], body["time_zone"], body["ticket_audience"]) == (
        event["id"],
        "Asia/Almaty",
        "year2026-check-in",
    )
    assert body["registrations"] == [
        {
            "registration_id": registration_id,
            "ticket_code": codes[registration_id],
            "person_name": name,
            "status": status,
            "occurrence_id": occurrence,
            "session_id": None,
            "checked_in_at": None,
        }
        for registration_id, name, status in [
            (cancelled["id"], "Айгерім", "cancelled"),
            (confirmed["id"], "Айгерім", "confirmed"),
            (waitlisted["id"], "Бауыржан", "confirmed"),
            (last["id"], "Салтанат", "waitlisted"),
        ]
    ]
    assert [row["registration"] for row in await check_in_rows()] == [uuid.UUID(waitlisted["id"])]


async def test_only_the_events_organizers_check_in(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=5)
    draft = await create_event(client, organizer)
    guest, registration = await registered(client, settings, event)
    stranger = await organizers.organizer(settings)  # a member of another organization
    code = registration["ticket"]["code"]

    for who in (stranger, guest):
        assert_problem(await scan(client, who, event, code=code), 403, "not-a-member")
        listing = await client.get(f"/events/{event['id']}/check-in-list", headers=who.headers)
        assert_problem(listing, 403, "not-a-member")
    batch = await client.post(
        f"/events/{event['id']}/check-ins/batch",
        json={"scans": [{"code": code, "scanned_at": yesterday_at(9, 0).isoformat()}]},
        headers=stranger.headers,
    )
    assert_problem(batch, 403, "not-a-member")
    undo = await client.delete(
        f"/events/{event['id']}/check-ins/{registration['id']}", headers=stranger.headers
    )
    assert_problem(undo, 403, "not-a-member")
    assert_problem(await scan(client, stranger, draft, code=code), 404, "event-not-found")
    anonymous = await client.post(f"/events/{event['id']}/check-ins", json={"code": code})
    assert_problem(anonymous, 401)
    assert await check_in_rows() == []


async def test_check_in_list_takes_as_many_statements_for_one_as_for_three(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=5)
    path = f"/events/{event['id']}/check-in-list"

    async def register_and_count() -> tuple[int, int]:
        _, registration = await registered(client, settings, event)
        await scan(client, organizer, event, code=registration["ticket"]["code"])
        with counting_statements() as listing:
            response = await client.get(path, headers=organizer.headers)
        entries = response.json()["registrations"]
        assert all(entry["checked_in_at"] for entry in entries)
        return len(entries), listing.value

    one = await register_and_count()
    await register_and_count()
    three = await register_and_count()
    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1]


# --- offline batches ------------------------------------------------------------------------


async def test_offline_batch_keeps_the_earliest_scan_and_is_idempotent(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=4)
    _, early = await registered(client, settings, event, name="Әли")
    _, twice = await registered(client, settings, event, name="Бек")
    _, typed = await registered(client, settings, event, name="Гүл")
    leaver, gone = await registered(client, settings, event, name="Дана")
    await cancel_mine(client, leaver, gone)
    t0 = yesterday_at(9, 0)
    online = await scan(
        client,
        organizer,
        event,
        ticket=early["ticket"]["token"],
        device="gate-1",
        scanned_at=(t0 + dt.timedelta(minutes=10)).isoformat(),
    )
    assert online.status_code == 201, online.text

    def at(minutes: int) -> str:
        return (t0 + dt.timedelta(minutes=minutes)).isoformat()

    batch = {
        "device": "handheld-7",
        "scans": [
            {"ticket": early["ticket"]["token"], "scanned_at": at(0)},
            {"ticket": twice["ticket"]["token"], "scanned_at": at(5)},
            {"ticket": twice["ticket"]["token"], "scanned_at": at(1)},
            {"code": typed_badly(typed["ticket"]["code"]), "scanned_at": at(2)},
            {"ticket": gone["ticket"]["token"], "scanned_at": at(3)},
            {"ticket": "not.a.ticket", "scanned_at": at(3)},
            {"code": "ZZZZ-ZZZZ", "scanned_at": at(4)},
        ],
    }
    first = await upload(client, organizer, event, batch)
    handheld = "handheld-7"
    assert first == {
        "results": [
            {
                "outcome": "earlier",
                "registration_id": early["id"],
                "person_name": "Әли",
                "check_in": kept(t0, handheld),
                "replaced": kept(t0 + dt.timedelta(minutes=10), "gate-1"),
            },
            {
                "outcome": "already",
                "registration_id": twice["id"],
                "person_name": "Бек",
                "check_in": kept(t0 + dt.timedelta(minutes=1), handheld),
            },
            {
                "outcome": "recorded",
                "registration_id": twice["id"],
                "person_name": "Бек",
                "check_in": kept(t0 + dt.timedelta(minutes=1), handheld),
            },
            {
                "outcome": "recorded",
                "registration_id": typed["id"],
                "person_name": "Гүл",
                "check_in": kept(t0 + dt.timedelta(minutes=2), handheld),
            },
            {
                "outcome": "refused",
                "registration_id": gone["id"],
                "person_name": "Дана",
                "reason": "ticket-revoked",
                "message": "This ticket has been revoked: the registration was cancelled.",
            },
            {
                "outcome": "refused",
                "reason": "ticket-forged",
                "message": "This ticket is not valid: it was not issued by the platform, or it"
                " has been altered.",
            },
            {
                "outcome": "refused",
                "reason": "ticket-code-unknown",
                "message": "No ticket of this event has this code.",
            },
        ],
        "recorded": 2,
        "already": 1,
        "earlier": 1,
        "refused": 3,
    }
    rows = await check_in_rows()
    entries = await AuditEntry.count().where(AuditEntry.object_type == "check_in")
    assert [action for action, _, _ in await audit_of(early["id"])] == [
        "check_in.create",
        "check_in.update",
    ]

    second = await upload(client, organizer, event, batch)
    assert [result["outcome"] for result in second["results"]] == [
        "already",
        "already",
        "already",
        "already",
        "refused",
        "refused",
        "refused",
    ]
    assert [result.get("check_in") for result in second["results"]] == [
        result.get("check_in") for result in first["results"]
    ]
    assert await check_in_rows() == rows
    assert await AuditEntry.count().where(AuditEntry.object_type == "check_in") == entries

    # another device's later scan of a ticket already in: the kept check-in is listed
    late = await upload(
        client,
        organizer,
        event,
        {"device": "gate-2", "scans": [{"code": early["ticket"]["code"], "scanned_at": at(30)}]},
    )
    assert late["results"] == [
        {
            "outcome": "already",
            "registration_id": early["id"],
            "person_name": "Әли",
            "check_in": kept(t0, handheld),
        }
    ]


async def test_a_batch_may_hold_at_most_a_thousand_scans(
    client: httpx.AsyncClient, organizer: Organizer
) -> None:
    event = await open_event(client, organizer, capacity=5)
    scans = [{"code": "ZZZZ-ZZZZ", "scanned_at": yesterday_at(9, 0).isoformat()}] * 1001
    answer = await client.post(
        f"/events/{event['id']}/check-ins/batch",
        json={"device": "d", "scans": scans},
        headers=organizer.headers,
    )
    assert_problem(answer, 400)
    accepted = await upload(client, organizer, event, {"device": "d", "scans": scans[:1000]})
    assert accepted["refused"] == 1000


# --- undo -----------------------------------------------------------------------------------


async def test_undo_removes_the_check_in_and_is_audited(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=5)
    _, registration = await registered(client, settings, event)
    at = yesterday_at(11, 5)
    code = registration["ticket"]["code"]
    checked = await scan(
        client, organizer, event, code=code, device="gate-9", scanned_at=at.isoformat()
    )
    assert checked.status_code == 201, checked.text
    path = f"/events/{event['id']}/check-ins/{registration['id']}"

    undone = await client.delete(path, headers=organizer.headers)
    assert undone.status_code == 204, undone.text
    assert await check_in_rows() == []
    state = {
        "registration": registration["id"],
        "event": event["id"],
        "checked_in_at": at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "checked_in_by": str(organizer.person.person_id),
        "device": "gate-9",
    }
    assert await audit_of(registration["id"]) == [
        ("check_in.create", None, state),
        ("check_in.undo", state, None),
    ]
    actors = await AuditEntry.raw(
        "SELECT DISTINCT actor FROM audit_entry WHERE object_type = 'check_in'"
    )
    assert [row["actor"] for row in actors] == [organizer.person.person_id]
    assert_problem(await client.delete(path, headers=organizer.headers), 404, "check-in-not-found")
    assert (await scan(client, organizer, event, code=code)).status_code == 201


# --- a third party checks the ticket ----------------------------------------------------------


async def test_ticket_verifies_with_another_jose_library_and_the_published_keys(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=5)
    guest, registration = await registered(client, settings, event)
    mine = await client.get("/me/registrations", headers=guest.headers)
    token = mine.json()["items"][0]["ticket"]["token"]
    listing = (
        await client.get(f"/events/{event['id']}/check-in-list", headers=organizer.headers)
    ).json()
    jwks = await client.get(httpx.URL(listing["jwks_url"]).path)
    assert jwks.status_code == 200

    key_set = pyjwt.PyJWKSet.from_dict(jwks.json())
    header = pyjwt.get_unverified_header(token)
    key = next(key for key in key_set.keys if key.key_id == header["kid"])
    claims = pyjwt.decode(
        token,
        key,
        algorithms=["ES256"],
        audience=listing["ticket_audience"],
        issuer=listing["ticket_issuer"],
    )
    assert (header["alg"], header["typ"]) == ("ES256", "ticket+jwt")
    assert {name: claims[name] for name in ("jti", "evt", "occ")} == {
        "jti": registration["id"],
        "evt": event["id"],
        "occ": registration["occurrence_id"],
    }
    header_part, _, signature = token.split(".")
    tampered = f"{header_part}.{b64url_json({**claims, 'jti': str(uuid.uuid4())})}.{signature}"
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(tampered, key, algorithms=["ES256"], audience=listing["ticket_audience"])


# --- the rush -------------------------------------------------------------------------------


async def rush(
    client: httpx.AsyncClient, who: Organizer, event: dict[str, Any], token: str
) -> list[httpx.Response]:
    """Eight devices scanning one ticket at the same moment."""
    return await asyncio.gather(
        *(scan(client, who, event, ticket=token, device=f"gate-{n}") for n in range(8))
    )


def assert_one_check_in(answers: list[httpx.Response]) -> dict[str, Any]:
    """Exactly one 201, and seven 409s that name its time and scanner: the winner's body."""
    assert sorted(answer.status_code for answer in answers) == [201] + [409] * 7
    winner: dict[str, Any] = next(answer.json() for answer in answers if answer.status_code == 201)
    losers = [answer.json() for answer in answers if answer.status_code == 409]
    assert {body["code"] for body in losers} == {"already-checked-in"}
    winning_time = dt.datetime.fromisoformat(winner["checked_in_at"]).strftime("%H:%M")
    assert {body["detail"] for body in losers} == {
        f"This ticket was already checked in at {winning_time} by {SCANNER}."
    }
    return winner


async def test_eight_devices_scanning_one_ticket_at_once_record_one_check_in(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=5)
    _, warm_up = await registered(client, settings, event)
    _, registration = await registered(client, settings, event)
    # a first rush opens the pool's connections and readies their statements, as a running
    # server has them: else the first request is done before the others have connected, and
    # the second rush would not be one (with a read-then-insert instead of the unique index,
    # the second rush answers 500s, the first often does not)
    assert_one_check_in(await rush(client, organizer, event, warm_up["ticket"]["token"]))

    winner = assert_one_check_in(
        await rush(client, organizer, event, registration["ticket"]["token"])
    )
    devices = {str(row["registration"]): row["device"] for row in await check_in_rows()}
    assert devices.keys() == {warm_up["id"], registration["id"]}
    assert devices[registration["id"]] == winner["device"]
    assert len(await audit_of(registration["id"])) == 1


async def uploaded_together(
    client: httpx.AsyncClient,
    who: Organizer,
    event: dict[str, Any],
    batches: list[dict[str, Any]],
    settings: Settings,
) -> list[dict[str, Any]]:
    """Upload the batches so that their transactions overlap for certain: the event's claims
    are held until every upload waits for them, then let go at once."""
    holder = await asyncpg.connect(settings.effective_database_url)
    try:
        async with holder.transaction():
            await holder.execute(
                "SELECT 1 FROM seat_claim c JOIN event_registration r ON r.id = c.id"
                " WHERE r.event = $1 FOR UPDATE OF c",
                uuid.UUID(event["id"]),
            )
            uploads = [asyncio.ensure_future(upload(client, who, event, b)) for b in batches]
            for _ in range(500):
                # pg_stat_activity is read once per transaction unless told to read it again
                await holder.execute("SELECT pg_stat_clear_snapshot()")
                waiting = await holder.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database()"
                )
                if waiting == len(batches):
                    break
                await asyncio.sleep(0.01)
            else:
                raise AssertionError("the uploads never waited for the claims")
    finally:
        await holder.close()
    return list(await asyncio.gather(*uploads))


async def test_two_devices_uploading_overlapping_batches_at_once_keep_the_earliest_scans(
    client: httpx.AsyncClient, organizer: Organizer, settings: Settings
) -> None:
    event = await open_event(client, organizer, capacity=20)
    tokens = [(await registered(client, settings, event))[1]["ticket"]["token"] for _ in range(20)]
    t0 = yesterday_at(9, 0)
    # device A scanned the even ones first, device B the odd ones; each lists them in another
    # order, so that without a fixed lock order the two would wait for each other
    batches = [
        {
            "device": device,
            "scans": [
                {
                    "ticket": token,
                    "scanned_at": (t0 + dt.timedelta(minutes=(n + shift) % 2)).isoformat(),
                }
                for n, token in ordered
            ],
        }
        for device, shift, ordered in [
            ("A", 0, list(enumerate(tokens))),
            ("B", 1, list(reversed(list(enumerate(tokens))))),
        ]
    ]
    answers = await uploaded_together(client, organizer, event, batches, settings)
    # in a fixed order, whichever inserts the first row inserts all 20; the other then finds
    # them and moves the ten it scanned first to its earlier time
    outcomes = sorted((a["recorded"], a["earlier"], a["already"], a["refused"]) for a in answers)
    assert outcomes == [(0, 10, 10, 0), (20, 0, 0, 0)]
    rows = await check_in_rows()
    assert len(rows) == 20
    assert {row["checked_in_at"] for row in rows} == {t0}
    registration_ids = [jwt_claims(token)["jti"] for token in tokens]
    devices = {str(row["registration"]): row["device"] for row in rows}
    assert [devices[registration_id] for registration_id in registration_ids] == ["A", "B"] * 10


async def test_negative_control_read_then_insert_without_the_unique_index_records_twice(
    clean_state: Settings,
) -> None:
    """What the unique index on `event_check_in.registration` is for: two devices that each
    check "not checked in yet?" before inserting both pass the check, and both insert. Played
    in a fixed interleaving on a copy of the table without its indexes, so it is certain."""
    first = await asyncpg.connect(clean_state.effective_database_url)
    second = await asyncpg.connect(clean_state.effective_database_url)
    table = f"check_in_control_{uuid.uuid4().hex[:8]}"
    registration_id = uuid.uuid4()
    try:
        await first.execute(f"CREATE TABLE {table} (LIKE event_check_in)")

        async def not_yet(connection: asyncpg.Connection) -> bool:
            count = await connection.fetchval(
                f"SELECT count(*) FROM {table} WHERE registration = $1",  # noqa: S608
                registration_id,
            )
            return bool(count == 0)

        async def record(connection: asyncpg.Connection, device: str) -> None:
            await connection.execute(
                f"INSERT INTO {table} (id, registration, event, checked_in_at, device,"  # noqa: S608
                " recorded_at) VALUES ($1, $2, $3, now(), $4, now())",
                uuid.uuid4(),
                registration_id,
                uuid.uuid4(),
                device,
            )

        async with first.transaction(), second.transaction():
            assert await not_yet(first)
            assert await not_yet(second)  # the first one's insert is not there yet
            await record(first, "gate-1")
            await record(second, "gate-2")
        count = await first.fetchval(
            f"SELECT count(*) FROM {table} WHERE registration = $1",  # noqa: S608
            registration_id,
        )
        assert count == 2
    finally:
        await first.execute(f"DROP TABLE IF EXISTS {table}")
        await first.close()
        await second.close()


async def test_a_recurring_events_ticket_admits_on_its_own_date_only(
    client: httpx.AsyncClient, app: Litestar, organizer: Organizer, settings: Settings
) -> None:
    first_day = (dt.datetime.now(ALMATY) + dt.timedelta(days=7)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    event = await open_event(
        client,
        organizer,
        starts_at=first_day.isoformat(),
        ends_at=(first_day + dt.timedelta(hours=2)).isoformat(),
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    upcoming = (await client.get(f"/events/{event['id']}")).json()["upcoming"]
    _, this_week = await registered(client, settings, event, occurrence_id=upcoming[0]["id"])
    _, next_week = await registered(client, settings, event, occurrence_id=upcoming[1]["id"])
    at_the_door = first_day + dt.timedelta(minutes=10)

    async def scan_on_the_day(registration: dict[str, Any]) -> Any:
        return await check_ins.check_in(
            organizer.person.person_id,
            event["id"],
            CheckInRequest(ticket=registration["ticket"]["token"]),
            app.state.token_issuer,
            now=at_the_door,
        )

    admitted = await scan_on_the_day(this_week)
    assert admitted.registration_id == uuid.UUID(this_week["id"])
    with pytest.raises(TicketOtherDate) as refused:
        await scan_on_the_day(next_week)
    assert refused.value.params == {"date": (first_day + dt.timedelta(days=7)).date().isoformat()}
    assert [row["registration"] for row in await check_in_rows()] == [uuid.UUID(this_week["id"])]
