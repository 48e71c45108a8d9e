"""Seat pools and claims: the capacity of whatever people take places in (an event's occurrence,
a programme session with seats of its own, a course cohort), and each person's place in one.

A pool's id is its owner's id (the occurrence's, the session's, the cohort's): the owner's
domain creates the pool with the owner and keeps its terms in line with the owner's. The pool
row is the one thing a claim locks: its counters and terms decide a claim in one statement.
What Piccolo's columns cannot say (the checks on counters, the one-active-claim index, the
waitlist index) is in a raw migration (migrations/year2026).
"""

from __future__ import annotations

from piccolo.columns import (
    UUID,
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from year2026.people.tables import Person
from year2026.seats_enums import ClaimStatus


class SeatPool(Table, tablename="seat_pool"):
    id = UUID(primary_key=True)
    #: the seats there are; null: no limit
    capacity = Integer(null=True, default=None)
    #: seats held: confirmed places and open offers
    taken = Integer(default=0)
    #: people waiting for a seat
    waitlisted = Integer(default=0)
    #: the last waitlist position handed out: positions grow in arrival order
    last_position = BigInt(default=0)
    #: whether the last claim got a seat (written by the claim statement itself, which returns
    #: it: the statement's SET sees the counters as they were before it)
    last_claim_seated = Boolean(default=False)
    #: when full, newcomers wait (true) or are refused (false)
    waitlist = Boolean(default=True)
    #: a promoted person is offered the seat and has this many minutes to take it; null: a
    #: promotion confirms at once
    offer_minutes = Integer(null=True, default=None)
    #: claims are taken while open, from opens_at (null: at once) until closes_at
    open = Boolean(default=False)
    opens_at = Timestamptz(null=True, default=None)
    #: also the end of promotions: nobody is moved up once the pool has closed
    closes_at = Timestamptz()
    updated_at = Timestamptz(default=TimestamptzNow())


class SeatClaim(Table, tablename="seat_claim"):
    """One person's place in a pool: confirmed, waiting, offered, or ended."""

    id = UUID(primary_key=True)
    pool = ForeignKey(references=SeatPool, on_delete=OnDelete.restrict, null=False)
    person = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=False)
    status = Varchar(length=16, choices=ClaimStatus)
    #: place in the waitlist (smaller waits less); kept after promotion, for the record
    position = BigInt(null=True, default=None)
    #: an offer not taken by then passes to the next person
    offer_expires_at = Timestamptz(null=True, default=None)
    #: why it ended (`withdrawn`, `cancelled-by-organizer`, `offer-expired`, `erased`)
    ended_reason = Varchar(length=32, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    confirmed_at = Timestamptz(null=True, default=None)
    ended_at = Timestamptz(null=True, default=None)


SEAT_TABLES: list[type[Table]] = [SeatPool, SeatClaim]
