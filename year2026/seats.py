"""Seats: the capacity claim, the waitlist in arrival order and promotion, shared by event
registration and course enrolment.

The pool row (`seat_pool`) is the only thing a claim locks, and one conditional statement decides
a claim: it takes a seat while `taken < capacity`, else a waitlist position, else nothing, and
writes the claim row, its audit entry and the owner's own row in the same statement (so a claim
needs no transaction, and holds the row only while PostgreSQL runs it). Everything else that
changes a pool (a release, an offer accepted or expired, new terms) locks the pool row first and
then the claim rows it touches, so all of a pool's changes are ordered by that one lock and its
counters always equal its rows. Every state change of a claim is written to the audit log here
(`seat_claim.*`), in the caller's transaction: the functions below never open one of their own,
except the offer expiry job's.

Promotions never happen once a pool has closed (`closes_at`: the end of registration, at the
latest the start of what it is for), nor while it is not open.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import asyncpg

from year2026 import audit, db
from year2026.db import get_engine
from year2026.exceptions import Unavailable
from year2026.i18n import Language, Texts
from year2026.observability import current_request_id
from year2026.seats_enums import ACTIVE_STATUSES, ClaimStatus, EndedReason
from year2026.seats_tables import SeatClaim, SeatPool

_CLAIM_COLUMNS = (
    "id, pool, person, status, position, offer_expires_at, ended_reason, created_at,"
    " confirmed_at, ended_at"
)


#: The claim, whole, in one statement (so it needs no transaction of its own, and the pool's row
#: is held only while PostgreSQL runs it): the person's active claim if they have one; else a
#: seat while there is one, else a waitlist position (if the pool has a waitlist), else nothing.
#: The pool's SET sees the counters as they were, so `last_claim_seated` says which. The claim's
#: audit entry is written as `audit.record_change` writes one for a created object (the fields
#: of `_audit_view`), and the owner's own row for the claim by the `{companion}` CTE, which reads
#: the new claim from `claim`. It always answers one row: the new claim's columns (null when
#: none was made), the pool's waiting count after it, and the id of a claim the person had.
_CLAIM_SQL = (
    "WITH existing AS (SELECT id FROM seat_claim WHERE pool = {} AND person = {}"
    " AND status IN ('confirmed', 'waitlisted', 'offered')),"
    " pool AS ("
    " UPDATE seat_pool SET"
    " last_claim_seated = (capacity IS NULL OR taken < capacity),"
    " taken = taken + (capacity IS NULL OR taken < capacity)::int,"
    " waitlisted = waitlisted + (capacity IS NOT NULL AND taken >= capacity)::int,"
    " last_position = last_position + (capacity IS NOT NULL AND taken >= capacity)::int"
    " WHERE id = {} AND open AND (opens_at IS NULL OR opens_at <= {}) AND {} < closes_at"
    " AND (capacity IS NULL OR taken < capacity OR waitlist)"
    " AND NOT EXISTS (SELECT 1 FROM existing)"
    " RETURNING last_claim_seated, last_position, waitlisted),"
    " claim AS ("
    " INSERT INTO seat_claim (id, pool, person, status, position, offer_expires_at,"
    " ended_reason, created_at, confirmed_at, ended_at, updated_at)"
    " SELECT {}, {}, {},"
    " CASE WHEN last_claim_seated THEN 'confirmed' ELSE 'waitlisted' END,"
    " CASE WHEN last_claim_seated THEN NULL ELSE last_position END,"
    " NULL, '', {}, CASE WHEN last_claim_seated THEN {}::timestamptz END, NULL, {}"
    " FROM pool RETURNING *),"
    " logged AS (INSERT INTO audit_entry"
    " (occurred_at, actor, action, object_type, object_id, before, after, request_id)"
    " SELECT clock_timestamp(), {}, 'seat_claim.claim', 'seat_claim', id::text, NULL,"
    " jsonb_build_object('pool', pool, 'status', status, 'position', position,"
    " 'offer_expires_at', offer_expires_at, 'ended_reason', ended_reason), {} FROM claim)"
    "{companion}"
    " SELECT c.id, c.pool, c.person, c.status, c.position, c.offer_expires_at,"
    " c.ended_reason, c.created_at, c.confirmed_at, c.ended_at,"
    " p.waitlisted AS pool_waitlisted, (SELECT id FROM existing LIMIT 1) AS existing_id"
    " FROM (SELECT 1) AS one LEFT JOIN claim c ON true LEFT JOIN pool p ON true"
)


class SeatsBusy(Unavailable):
    """Too many people are taking seats in this pool at this moment; try again shortly."""

    code = "seats-busy"
    messages: ClassVar[Texts] = {
        Language.KK: "Орындарға сұраныс қазір өте көп. {retry_after} секундтан кейін қайталаңыз.",
        Language.RU: "Сейчас слишком много желающих занять места. Повторите через {retry_after} с.",
        Language.EN: "Too many people are taking seats right now."
        " Try again in {retry_after} seconds.",
    }

    def __init__(self, retry_after: int = 2) -> None:
        self.retry_after = retry_after
        super().__init__(retry_after=retry_after)


#: the columns a pool's owner sets (`PoolTerms`), in this order
_TERM_COLUMNS = ("capacity", "waitlist", "offer_minutes", "open", "opens_at", "closes_at")


@dataclass(frozen=True)
class PoolTerms:
    """What a pool's owner says about its seats."""

    capacity: int | None
    waitlist: bool
    offer_minutes: int | None
    open: bool
    opens_at: dt.datetime | None
    closes_at: dt.datetime

    def columns(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _TERM_COLUMNS}


@dataclass(frozen=True)
class Claim:
    id: uuid.UUID
    pool_id: uuid.UUID
    person_id: uuid.UUID
    status: ClaimStatus
    position: int | None
    offer_expires_at: dt.datetime | None
    ended_reason: str
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    ended_at: dt.datetime | None

    @classmethod
    def of(cls, row: Mapping[str, Any] | asyncpg.Record) -> Claim:
        return cls(
            id=row["id"],
            pool_id=row["pool"],
            person_id=row["person"],
            status=ClaimStatus(row["status"]),
            position=row["position"],
            offer_expires_at=row["offer_expires_at"],
            ended_reason=row["ended_reason"],
            created_at=row["created_at"],
            confirmed_at=row["confirmed_at"],
            ended_at=row["ended_at"],
        )

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES


@dataclass(frozen=True)
class Claimed:
    """The outcome of a claim: the person's claim, and whether this request made it."""

    claim: Claim
    created: bool
    #: for a new waitlisted claim: how many wait, itself included (its place in the line)
    waiting: int | None = None


class Refusal(Exception):
    """Why a pool took no claim (the owner's domain says it in its own words)."""

    NOT_OPEN: ClassVar[str] = "not-open"
    NOT_YET: ClassVar[str] = "not-yet"
    CLOSED: ClassVar[str] = "closed"
    FULL: ClassVar[str] = "full"
    NO_POOL: ClassVar[str] = "no-pool"

    def __init__(self, reason: str, pool: Mapping[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.pool = pool


class CapacityBelowTaken(Exception):
    """New terms would leave fewer seats than are held."""

    def __init__(self, pool_id: uuid.UUID, taken: int) -> None:
        super().__init__(pool_id)
        self.pool_id = pool_id
        self.taken = taken


class ClaimGate:
    """At most `per_pool` requests of this process wait on one pool's row at once; the rest queue
    here for up to `wait_seconds` and are then told to come back (`SeatsBusy`), so that a rush on
    one event never holds the whole connection pool, and nobody waits half a minute."""

    def __init__(self, per_pool: int, wait_seconds: float, queue_limit: int = 5000) -> None:
        self.per_pool = per_pool
        self.wait_seconds = wait_seconds
        self.queue_limit = queue_limit
        self._gates: dict[uuid.UUID, asyncio.Semaphore] = {}
        self._users: dict[uuid.UUID, int] = {}

    @contextlib.asynccontextmanager
    async def admit(self, pool_id: uuid.UUID) -> AsyncIterator[None]:
        users = self._users.get(pool_id, 0)
        if users >= self.queue_limit + self.per_pool:
            raise SeatsBusy
        gate = self._gates.get(pool_id)
        if gate is None:
            gate = self._gates[pool_id] = asyncio.Semaphore(self.per_pool)
        self._users[pool_id] = users + 1
        try:
            if gate.locked():  # a line: wait in it, for a while
                try:
                    await asyncio.wait_for(gate.acquire(), self.wait_seconds)
                except TimeoutError:
                    raise SeatsBusy from None
            else:  # a free place: no timer to set up (the common case, and the cheap one)
                await gate.acquire()
            try:
                yield
            finally:
                gate.release()
        finally:
            self._users[pool_id] -= 1
            if not self._users[pool_id]:  # nobody else holds or waits: forget the pool
                del self._users[pool_id]
                del self._gates[pool_id]


#: a gate that admits everyone (the CLI, the worker, tests of the rules themselves)
OPEN_GATE = ClaimGate(per_pool=1_000_000, wait_seconds=3600.0, queue_limit=1_000_000)


def _audit_view(claim: Claim) -> dict[str, Any]:
    return {
        "pool": claim.pool_id,
        "status": claim.status.value,
        "position": claim.position,
        "offer_expires_at": claim.offer_expires_at,
        "ended_reason": claim.ended_reason,
    }


async def _audit(
    actor_id: uuid.UUID | None, action: str, before: Claim | None, after: Claim
) -> None:
    await audit.record_change(
        actor_id=actor_id,
        action=f"seat_claim.{action}",
        object_type="seat_claim",
        object_id=after.id,
        before=None if before is None else _audit_view(before),
        after=_audit_view(after),
    )


async def create_pools(terms: Mapping[uuid.UUID, PoolTerms]) -> None:
    """Pools for new owners (an owner's pool that exists already is left as it is)."""
    if not terms:
        return
    ids = sorted(terms)
    await SeatPool.raw(
        "INSERT INTO seat_pool (id, capacity, waitlist, offer_minutes, open, opens_at, closes_at,"
        " taken, waitlisted, last_position, last_claim_seated, updated_at)"
        " SELECT * , 0, 0, 0, false, now() FROM unnest({}::uuid[], {}::int[], {}::bool[],"
        " {}::int[], {}::bool[], {}::timestamptz[], {}::timestamptz[])"
        " ON CONFLICT (id) DO NOTHING",
        ids,
        *([getattr(terms[pool_id], name) for pool_id in ids] for name in _TERM_COLUMNS),
    )


async def delete_pools(pool_ids: Sequence[uuid.UUID]) -> None:
    """Remove pools nobody ever claimed in (a claim, even an ended one, keeps its pool)."""
    if pool_ids:
        await SeatPool.raw("DELETE FROM seat_pool WHERE id = ANY({})", list(pool_ids))


async def _lock_pools(pool_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """The pools, locked in id order (every multi-pool change locks them in this order)."""
    rows = await SeatPool.raw(
        "SELECT * FROM seat_pool WHERE id = ANY({}) ORDER BY id FOR UPDATE",
        sorted(set(pool_ids)),
    )
    return {row["id"]: dict(row) for row in rows}


async def set_terms(
    terms: Mapping[uuid.UUID, PoolTerms], now: dt.datetime, actor_id: uuid.UUID | None
) -> list[Claim]:
    """Give pools new terms; more seats (or reopened ones) promote the first waiting people at
    once. Fewer seats than are held is refused (`CapacityBelowTaken`), before anything changes.
    Returns the claims promoted."""
    pools = await _lock_pools(list(terms))
    for pool_id, pool in pools.items():
        capacity = terms[pool_id].capacity
        if capacity is not None and capacity < pool["taken"]:
            raise CapacityBelowTaken(pool_id, pool["taken"])
    changed = {
        pool_id: {**pool, **terms[pool_id].columns()}
        for pool_id, pool in pools.items()
        if any(pool[name] != value for name, value in terms[pool_id].columns().items())
    }
    if changed:
        # one statement for all of them: a recurring event has hundreds of pools
        ids = sorted(changed)
        await SeatPool.raw(
            "UPDATE seat_pool p SET capacity = t.capacity, waitlist = t.waitlist,"
            " offer_minutes = t.offer_minutes, open = t.open, opens_at = t.opens_at,"
            " closes_at = t.closes_at, updated_at = {}"
            " FROM unnest({}::uuid[], {}::int[], {}::bool[], {}::int[], {}::bool[],"
            " {}::timestamptz[], {}::timestamptz[])"
            " AS t(id, capacity, waitlist, offer_minutes, open, opens_at, closes_at)"
            " WHERE p.id = t.id",
            now,
            ids,
            *([changed[pool_id][name] for pool_id in ids] for name in _TERM_COLUMNS),
        )
    promoted: list[Claim] = []
    for pool in changed.values():
        promoted += await _promote(pool, now, actor_id)
    return promoted


async def claim_seat(
    pool_id: uuid.UUID,
    person_id: uuid.UUID,
    now: dt.datetime,
    actor_id: uuid.UUID | None = None,
    claim_id: uuid.UUID | None = None,
    companion: tuple[str, Sequence[Any]] | None = None,
) -> Claimed:
    """The person's claim in the pool: theirs already if they have an active one, else a new one,
    confirmed while seats last and then waitlisted in arrival order (or `Refusal`). One
    statement (see `_CLAIM_SQL`): it needs no transaction, and holds the pool's row only while it
    runs (and to the end of the caller's transaction, if it runs in one: keep that short).

    `companion` is the owner's data-modifying statement for the new claim (SQL with `{}`
    placeholders, and their values), run as a CTE of the claim statement (`INSERT INTO … SELECT
    id, … FROM claim`), so that the owner's row and the claim are written together or not at
    all. `claim_id` names the new claim. The statement goes straight to asyncpg (`db.fetch`):
    in a rush, building it through Piccolo cost more than running it.

    Two requests of one person at once both find no claim; the second then fails on the
    database's one-active-claim index (`asyncpg.UniqueViolationError`, constraint
    `seat_claim_one_active`), and its caller answers with the claim the first one made."""
    companion_sql, companion_args = companion or ("", ())
    rows = await db.fetch(
        _CLAIM_SQL.replace("{companion}", f", companion AS ({companion_sql})" if companion else ""),
        pool_id,
        person_id,
        pool_id,
        now,
        now,
        claim_id or uuid.uuid4(),
        pool_id,
        person_id,
        now,
        now,
        now,
        actor_id or person_id,
        current_request_id(),
        *companion_args,
    )
    row = rows[0]
    if row["id"] is None:
        if row["existing_id"] is not None:
            existing = await get_claim(row["existing_id"])
            if existing is not None:
                return Claimed(existing, created=False)
        raise await _refusal(pool_id, now)
    claim = Claim.of(row)
    waiting = row["pool_waitlisted"] if claim.status is ClaimStatus.WAITLISTED else None
    return Claimed(claim, created=True, waiting=waiting)


async def _refusal(pool_id: uuid.UUID, now: dt.datetime) -> Refusal:
    rows = await SeatPool.raw("SELECT * FROM seat_pool WHERE id = {}", pool_id)
    if not rows:
        return Refusal(Refusal.NO_POOL)
    pool = dict(rows[0])
    if not pool["open"]:
        return Refusal(Refusal.NOT_OPEN, pool)
    if pool["opens_at"] is not None and now < pool["opens_at"]:
        return Refusal(Refusal.NOT_YET, pool)
    if now >= pool["closes_at"]:
        return Refusal(Refusal.CLOSED, pool)
    return Refusal(Refusal.FULL, pool)


async def active_claim(pool_id: uuid.UUID, person_id: uuid.UUID) -> Claim | None:
    rows = await SeatClaim.raw(
        f"SELECT {_CLAIM_COLUMNS} FROM seat_claim WHERE pool = {{}} AND person = {{}}"  # noqa: S608
        " AND status IN ('confirmed', 'waitlisted', 'offered')",
        pool_id,
        person_id,
    )
    return Claim.of(rows[0]) if rows else None


async def get_claim(claim_id: uuid.UUID) -> Claim | None:
    rows = await SeatClaim.raw(f"SELECT {_CLAIM_COLUMNS} FROM seat_claim WHERE id = {{}}", claim_id)  # noqa: S608
    return Claim.of(rows[0]) if rows else None


async def _lock_claim(claim_id: uuid.UUID) -> tuple[dict[str, Any], Claim] | None:
    """The claim's pool and then the claim, locked in that order (the order of every change)."""
    pool_of = await SeatClaim.raw("SELECT pool FROM seat_claim WHERE id = {}", claim_id)
    if not pool_of:
        return None
    pools = await _lock_pools([pool_of[0]["pool"]])
    rows = await SeatClaim.raw(
        f"SELECT {_CLAIM_COLUMNS} FROM seat_claim WHERE id = {{}} FOR UPDATE",  # noqa: S608
        claim_id,
    )
    return pools[pool_of[0]["pool"]], Claim.of(rows[0])


@dataclass(frozen=True)
class Released:
    """A claim ended: as it was, as it is, and whom its seat went to."""

    before: Claim
    after: Claim
    promoted: list[Claim]


async def release_claim(
    claim_id: uuid.UUID,
    reason: EndedReason,
    now: dt.datetime,
    actor_id: uuid.UUID | None,
) -> Released | None:
    """End an active claim (an ended one stays as it is: None); a seat it held goes to the first
    waiting people, in the same transaction."""
    locked = await _lock_claim(claim_id)
    if locked is None:
        return None
    pool, before = locked
    if not before.active:
        return None
    after = await _end(before, reason, now)
    seated = before.status is not ClaimStatus.WAITLISTED
    await SeatPool.raw(
        "UPDATE seat_pool SET taken = taken - {}, waitlisted = waitlisted - {}, updated_at = {}"
        " WHERE id = {}",
        int(seated),
        int(not seated),
        now,
        pool["id"],
    )
    await _audit(actor_id, "release", before, after)
    pool = {
        **pool,
        "taken": pool["taken"] - seated,
        "waitlisted": pool["waitlisted"] - (not seated),
    }
    promoted = await _promote(pool, now, actor_id) if seated else []
    return Released(before, after, promoted)


async def _end(claim: Claim, reason: EndedReason, now: dt.datetime) -> Claim:
    rows = await SeatClaim.raw(
        "UPDATE seat_claim SET status = 'cancelled', offer_expires_at = NULL, ended_reason = {},"  # noqa: S608
        f" ended_at = {{}}, updated_at = {{}} WHERE id = {{}} RETURNING {_CLAIM_COLUMNS}",
        reason.value,
        now,
        now,
        claim.id,
    )
    return Claim.of(rows[0])


async def _promote(
    pool: Mapping[str, Any], now: dt.datetime, actor_id: uuid.UUID | None
) -> list[Claim]:
    """Seat the first waiting people while there are free seats (the pool locked by the caller);
    with `offer_minutes` they are offered the seat, else confirmed."""
    if not pool["open"] or now >= pool["closes_at"] or not pool["waitlisted"]:
        return []
    if pool["opens_at"] is not None and now < pool["opens_at"]:
        return []
    free = pool["waitlisted"] if pool["capacity"] is None else pool["capacity"] - pool["taken"]
    if free <= 0:
        return []
    offer_minutes = pool["offer_minutes"]
    expires = None if offer_minutes is None else now + dt.timedelta(minutes=offer_minutes)
    status = ClaimStatus.CONFIRMED if expires is None else ClaimStatus.OFFERED
    rows = await SeatClaim.raw(
        "UPDATE seat_claim SET status = {}, offer_expires_at = {},"  # noqa: S608
        " confirmed_at = CASE WHEN {} = 'confirmed' THEN {}::timestamptz END, updated_at = {}"
        " WHERE id IN (SELECT id FROM seat_claim WHERE pool = {} AND status = 'waitlisted'"
        " ORDER BY position LIMIT {} FOR UPDATE)"
        f" RETURNING {_CLAIM_COLUMNS}",
        status.value,
        expires,
        status.value,
        now,
        now,
        pool["id"],
        free,
    )
    if not rows:
        return []
    await SeatPool.raw(
        "UPDATE seat_pool SET taken = taken + {}, waitlisted = waitlisted - {}, updated_at = {}"
        " WHERE id = {}",
        len(rows),
        len(rows),
        now,
        pool["id"],
    )
    promoted = sorted((Claim.of(row) for row in rows), key=lambda claim: claim.position or 0)
    for claim in promoted:
        before = Claim(**{**claim.__dict__, "status": ClaimStatus.WAITLISTED})
        await _audit(actor_id, "offer" if expires else "promote", before, claim)
    return promoted


class OfferNotOpen(Exception):
    """The claim holds no offer that can still be taken."""


async def accept_offer(
    claim_id: uuid.UUID, now: dt.datetime, actor_id: uuid.UUID | None
) -> Claim | None:
    """Take an offered seat before its deadline (the person confirming); a confirmed claim is
    returned as it is; anything else is `OfferNotOpen`. None: no such claim."""
    locked = await _lock_claim(claim_id)
    if locked is None:
        return None
    _pool, before = locked
    if before.status is ClaimStatus.CONFIRMED:
        return before
    if before.status is not ClaimStatus.OFFERED or (
        before.offer_expires_at is not None and before.offer_expires_at <= now
    ):
        raise OfferNotOpen
    rows = await SeatClaim.raw(
        "UPDATE seat_claim SET status = 'confirmed', offer_expires_at = NULL, confirmed_at = {},"  # noqa: S608
        f" updated_at = {{}} WHERE id = {{}} RETURNING {_CLAIM_COLUMNS}",
        now,
        now,
        claim_id,
    )
    after = Claim.of(rows[0])
    await _audit(actor_id, "accept", before, after)
    return after


async def expire_offers(now: dt.datetime, limit: int = 500) -> list[Claim]:
    """End the offers whose deadline has passed and pass their seats on (each pool in its own
    short transaction). Running it twice, or in two workers at once, ends each offer once.
    Returns the claims that received a seat."""
    due = await SeatClaim.raw(
        "SELECT DISTINCT pool FROM seat_claim WHERE status = 'offered' AND offer_expires_at <= {}"
        " LIMIT {}",
        now,
        limit,
    )
    promoted: list[Claim] = []
    for pool_id in sorted(row["pool"] for row in due):
        async with get_engine().transaction():
            pool = (await _lock_pools([pool_id]))[pool_id]
            rows = await SeatClaim.raw(
                f"SELECT {_CLAIM_COLUMNS} FROM seat_claim WHERE pool = {{}}"  # noqa: S608
                " AND status = 'offered' AND offer_expires_at <= {} ORDER BY position FOR UPDATE",
                pool_id,
                now,
            )
            for row in rows:
                before = Claim.of(row)
                after = await _end(before, EndedReason.OFFER_EXPIRED, now)
                await _audit(None, "expire", before, after)
            if not rows:
                continue
            await SeatPool.raw(
                "UPDATE seat_pool SET taken = taken - {}, updated_at = {} WHERE id = {}",
                len(rows),
                now,
                pool_id,
            )
            pool = {**pool, "taken": pool["taken"] - len(rows)}
            promoted += await _promote(pool, now, None)
    return promoted


async def pool_row(pool_id: uuid.UUID) -> dict[str, Any] | None:
    rows = await SeatPool.raw("SELECT * FROM seat_pool WHERE id = {}", pool_id)
    return dict(rows[0]) if rows else None
