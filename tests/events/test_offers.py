"""Offers from the waitlist: a freed seat is offered to the first waiting person, who has the
event's `offer_hours` to accept it; the worker's job every minute passes an offer not taken on
to the next person, once, however often it runs."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.support import organizers, people
from tests.support.http import assert_problem
from tests.support.registrations import my_registration, open_event, register
from year2026 import seats
from year2026.audit_tables import AuditEntry
from year2026.redis import open_redis
from year2026.seats_tables import SeatClaim, SeatPool
from year2026.settings import Settings
from year2026.worker import QUEUE_NAME


@dataclass(frozen=True)
class Guest:
    person: people.SignedIn
    registration: dict[str, Any]


@dataclass(frozen=True)
class Stage:
    """An event of one seat with offers of an hour: A had the seat and gave it up, so B (first
    in the waitlist) holds an offer, and C waits behind B."""

    a: Guest
    b: Guest
    c: Guest
    #: when A cancelled (B's offer runs an hour from then)
    cancelled_at: dt.datetime


@pytest.fixture
async def stage(client: httpx.AsyncClient, clean_state: Settings) -> Stage:
    organizer = await organizers.organizer(clean_state)
    event = await open_event(client, organizer, capacity=1, offer_hours=1)
    guests = []
    for _ in range(3):
        person = await people.signed_in_person(clean_state)
        guests.append(Guest(person, await register(client, person, event)))
    a, b, c = guests
    assert [guest.registration["status"] for guest in guests] == [
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    before = dt.datetime.now(dt.UTC)
    cancelled = await client.delete(
        f"/me/registrations/{a.registration['id']}", headers=a.person.headers
    )
    assert cancelled.status_code == 200, cancelled.text
    return Stage(a, b, c, before)


async def now_of(client: httpx.AsyncClient, guest: Guest) -> dict[str, Any]:
    return await my_registration(client, guest.person, guest.registration)


def status_of(registration: dict[str, Any]) -> tuple[str, str, int | None]:
    return (
        registration["status"],
        registration["ended_reason"],
        registration["waitlist_position"],
    )


async def accept(client: httpx.AsyncClient, guest: Guest) -> httpx.Response:
    return await client.post(
        f"/me/registrations/{guest.registration['id']}/accept", headers=guest.person.headers
    )


async def pool_counters(guest: Guest) -> tuple[int, int]:
    pool = await seats.pool_row(uuid.UUID(guest.registration["occurrence_id"]))
    assert pool is not None
    return pool["taken"], pool["waitlisted"]


async def test_the_first_waiting_is_offered_the_seat_and_accepts_it(
    client: httpx.AsyncClient, stage: Stage
) -> None:
    offered = await now_of(client, stage.b)
    assert (status_of(offered), offered["ticket"]) == (("offered", "", None), None)
    deadline = dt.datetime.fromisoformat(offered["offer_expires_at"])
    an_hour_on = stage.cancelled_at + dt.timedelta(hours=1)
    assert an_hour_on <= deadline < an_hour_on + dt.timedelta(seconds=30)
    assert status_of(await now_of(client, stage.c)) == ("waitlisted", "", 1)

    accepted = await accept(client, stage.b)

    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert (status_of(body), body["offer_expires_at"]) == (("confirmed", "", None), None)
    assert sorted(body["ticket"]) == ["code", "token"]
    assert body["ticket"]["code"]
    assert body["confirmed_at"] is not None
    # accepting again answers the confirmed registration; C still waits
    again = await accept(client, stage.b)
    assert (again.status_code, again.json()["status"]) == (200, "confirmed")
    assert status_of(await now_of(client, stage.c)) == ("waitlisted", "", 1)
    assert await pool_counters(stage.b) == (1, 1)


async def test_an_offer_not_taken_in_time_passes_to_the_next_person_once(
    client: httpx.AsyncClient, stage: Stage
) -> None:
    offer = await now_of(client, stage.b)
    later = dt.datetime.fromisoformat(offer["offer_expires_at"]) + dt.timedelta(hours=1)

    promoted = await seats.expire_offers(later)

    assert [str(claim.id) for claim in promoted] == [stage.c.registration["id"]]
    expired = await now_of(client, stage.b)
    assert (status_of(expired), expired["offer_expires_at"]) == (
        ("cancelled", "offer-expired", None),
        None,
    )
    passed_on = await now_of(client, stage.c)
    assert status_of(passed_on) == ("offered", "", None)
    assert dt.datetime.fromisoformat(passed_on["offer_expires_at"]) == later + dt.timedelta(hours=1)
    assert await pool_counters(stage.b) == (1, 0)
    # once: another run (or the same one again) changes nothing
    assert await seats.expire_offers(later) == []
    assert status_of(await now_of(client, stage.b)) == ("cancelled", "offer-expired", None)
    assert await now_of(client, stage.c) == passed_on
    assert await pool_counters(stage.b) == (1, 0)
    # the expired offer cannot be taken
    assert_problem(await accept(client, stage.b), 409, "no-open-offer")
    entries = (
        await AuditEntry.select(AuditEntry.action, AuditEntry.actor, AuditEntry.after)
        .where(AuditEntry.action.is_in(["seat_claim.expire", "seat_claim.offer"]))
        .order_by(AuditEntry.id)
    )
    assert [
        (entry["action"], entry["actor"], json.loads(entry["after"])["status"]) for entry in entries
    ] == [
        ("seat_claim.offer", stage.a.person.person_id, "offered"),  # B, when A cancelled
        ("seat_claim.expire", None, "cancelled"),  # B, by the job
        ("seat_claim.offer", None, "offered"),  # C, by the job
    ]


async def test_an_offer_past_its_deadline_cannot_be_accepted_before_the_job_runs(
    client: httpx.AsyncClient, stage: Stage
) -> None:
    await SeatClaim.update(
        {SeatClaim.offer_expires_at: dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)}
    ).where(SeatClaim.id == uuid.UUID(stage.b.registration["id"]))

    assert_problem(await accept(client, stage.b), 409, "no-open-offer")
    assert status_of(await now_of(client, stage.b)) == ("offered", "", None)


async def test_an_offer_that_was_never_made_cannot_be_accepted(
    client: httpx.AsyncClient, stage: Stage
) -> None:
    assert_problem(await accept(client, stage.c), 409, "no-open-offer")  # still waiting
    assert_problem(await accept(client, stage.a), 409, "no-open-offer")  # cancelled


async def test_an_offer_expiring_after_registration_closed_passes_to_nobody(
    client: httpx.AsyncClient, stage: Stage
) -> None:
    offer = await now_of(client, stage.b)
    later = dt.datetime.fromisoformat(offer["offer_expires_at"]) + dt.timedelta(minutes=1)
    await SeatPool.update({SeatPool.closes_at: later - dt.timedelta(seconds=30)}).where(
        SeatPool.id == uuid.UUID(offer["occurrence_id"])
    )

    assert await seats.expire_offers(later) == []

    assert status_of(await now_of(client, stage.b)) == ("cancelled", "offer-expired", None)
    assert status_of(await now_of(client, stage.c)) == ("waitlisted", "", 1)
    assert await pool_counters(stage.b) == (0, 1)


async def test_the_worker_expires_offers_with_its_job(
    client: httpx.AsyncClient,
    clean_state: Settings,
    stage: Stage,
    run_jobs: Callable[[], Awaitable[int]],
) -> None:
    # the job runs at the real time: let B's deadline be a minute ago
    await SeatClaim.update(
        {SeatClaim.offer_expires_at: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)}
    ).where(SeatClaim.id == uuid.UUID(stage.b.registration["id"]))
    redis = await open_redis(clean_state)
    try:
        job = await redis.enqueue_job("expire_seat_offers", _queue_name=QUEUE_NAME)
        assert job is not None
        assert await run_jobs() == 1
        assert await job.result(timeout=5) == 1  # one seat passed on
    finally:
        await redis.aclose()
    assert status_of(await now_of(client, stage.b)) == ("cancelled", "offer-expired", None)
    assert status_of(await now_of(client, stage.c)) == ("offered", "", None)
