"""Check-in at the door: organizer members scan a ticket's QR code (or type its code), online one
scan at a time or offline in a batch uploaded later; a mistaken check-in is undone.

Attendance is recorded once per registration, by the unique index on
`event_check_in.registration`: an online scan inserts with `ON CONFLICT DO NOTHING` and, when
another scan got there first, answers that one (never read-then-insert, which two devices at once
would both pass). An offline batch keeps the earliest scan of each registration.

Locks: the registrations' seat claims are share-locked, so that a cancellation waits for the
check-in to commit (or the check-in sees it cancelled); a batch locks them, and then the existing
check-ins, in registration id order, so that two devices uploading at once cannot deadlock. The
event row is never locked: a gate with many devices is hot. Only the inserts' foreign keys
key-share it, which an event change (FOR NO KEY UPDATE, `events.access.event_row`) never waits
for, nor makes wait.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from events import access, tickets
from events.check_in_errors import (
    AlreadyCheckedIn,
    CheckInNotFound,
    ScanInFuture,
    TicketCodeUnknown,
    TicketForged,
    TicketNotConfirmed,
    TicketOrCode,
    TicketOtherDate,
    TicketOtherEvent,
    TicketRevoked,
)
from events.check_in_schemas import (
    CheckIn,
    CheckInBatch,
    CheckInBatchResult,
    CheckInList,
    CheckInListEntry,
    CheckInRequest,
    KeptCheckIn,
    ScanOutcome,
    ScanResult,
)
from events.errors import EventNotFound
from events.registration_tables import CheckIn as CheckInRow
from events.registrations import TicketSigner
from year2026 import audit
from year2026.db import get_engine
from year2026.exceptions import DomainError
from year2026.i18n import Language
from year2026.seats_enums import ClaimStatus

#: how far ahead of the server's clock a device's scan time may be (clocks drift)
CLOCK_SKEW = dt.timedelta(minutes=5)
JWKS_PATH = "/.well-known/jwks.json"

#: a recurring event's ticket admits on its own date: from this long before it starts until
#: this long after it ends (a one-off event's, whenever its organizers scan it)
DATE_MARGIN = dt.timedelta(hours=12)

_REGISTRATION_SQL = (
    "SELECT r.id, r.event, r.occurrence, r.session, r.ticket_code, c.status,"
    " p.display_name AS person_name, o.starts_at AS occurrence_starts_at,"
    " o.ends_at AS occurrence_ends_at"
    " FROM event_registration r JOIN seat_claim c ON c.id = r.id"
    " JOIN person p ON p.id = r.person JOIN event_occurrence o ON o.id = r.occurrence"
)
_CHECK_IN_SQL = (
    "SELECT ci.registration, ci.checked_in_at, ci.checked_in_by, ci.device,"
    " p.display_name AS checked_in_by_name"
    " FROM event_check_in ci LEFT JOIN person p ON p.id = ci.checked_in_by"
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Identity:
    """Which registration a scan names: by the ticket's signed id, or by the typed code."""

    registration_id: uuid.UUID | None = None
    code: str | None = None


@dataclass(frozen=True)
class Attendance:
    """A check-in as stored, with the scanning member's name."""

    registration_id: uuid.UUID
    checked_in_at: dt.datetime
    checked_in_by: uuid.UUID | None
    checked_in_by_name: str | None
    device: str

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Attendance:
        return cls(
            registration_id=row["registration"],
            checked_in_at=row["checked_in_at"],
            checked_in_by=row["checked_in_by"],
            checked_in_by_name=row["checked_in_by_name"],
            device=row["device"],
        )

    def audited(self, event_id: uuid.UUID) -> dict[str, Any]:
        # ids and times only: names are personal data the log cannot forget
        return {
            "registration": self.registration_id,
            "event": event_id,
            "checked_in_at": self.checked_in_at,
            "checked_in_by": self.checked_in_by,
            "device": self.device,
        }

    def kept(self, zone: ZoneInfo) -> KeptCheckIn:
        return KeptCheckIn(
            checked_in_at=self.checked_in_at.astimezone(zone),
            checked_in_by=self.checked_in_by_name,
            device=self.device,
        )


# --- who may, and which registration --------------------------------------------------------


async def _organized_event(actor_id: uuid.UUID, reference: str) -> dict[str, Any]:
    """The event, if the actor is one of its organizers (or an admin); not locked."""
    row = await access.event_row(reference)
    if row is None:
        raise EventNotFound
    await access.require_organizer_of(actor_id, row)
    return row


def _checked_scan_time(scanned_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if scanned_at is None:
        return now
    if scanned_at > now + CLOCK_SKEW:
        raise ScanInFuture().at("scanned_at")
    return scanned_at


def identify(
    signer: TicketSigner, event_id: uuid.UUID, ticket: str | None, code: str | None
) -> Identity:
    """The registration a scan names, as far as the scan itself tells: a ticket's signature,
    type, key and event are checked here; that the registration exists is asked later."""
    if (ticket is None) == (code is None):
        raise TicketOrCode()
    if code is not None:
        return Identity(code=tickets.normalized_code(code))
    assert ticket is not None
    try:
        claims = tickets.read_ticket(signer.keys, signer.issuer, ticket)
    except tickets.TicketUnreadable as unreadable:
        raise TicketForged(reason=unreadable.reason).at("ticket") from None
    if claims.event_id != event_id:
        raise TicketOtherEvent().at("ticket")
    return Identity(registration_id=claims.registration_id)


async def _locked_registrations(
    event_id: uuid.UUID, identities: Iterable[Identity]
) -> list[dict[str, Any]]:
    """The event's registrations the scans name, their claims share-locked in id order."""
    ids = sorted({i.registration_id for i in identities if i.registration_id is not None})
    codes = sorted({i.code for i in identities if i.code is not None})
    rows = await CheckInRow.raw(
        _REGISTRATION_SQL + " WHERE r.event = {} AND (r.id = ANY({}::uuid[])"
        " OR r.ticket_code = ANY({}::text[])) ORDER BY c.id FOR SHARE OF c",
        event_id,
        ids,
        codes,
    )
    return [dict(row) for row in rows]


def _registration_named(
    identity: Identity,
    by_id: Mapping[uuid.UUID, dict[str, Any]],
    by_code: Mapping[str, dict[str, Any]],
) -> dict[str, Any]:
    """The registration the scan names, or why there is none."""
    if identity.registration_id is not None:
        registration = by_id.get(identity.registration_id)
        if registration is None:
            # signed by us, yet of no registration of this event: not a ticket we know
            raise TicketForged(reason="unknown-registration").at("ticket")
        return registration
    assert identity.code is not None
    registration = by_code.get(identity.code)
    if registration is None:
        raise TicketCodeUnknown().at("code")
    return registration


def _admit(
    registration: Mapping[str, Any], event: Mapping[str, Any], scanned_at: dt.datetime
) -> None:
    """Refuse a registration that does not admit its holder at `scanned_at`."""
    status = ClaimStatus(registration["status"])
    if status is ClaimStatus.CANCELLED:
        raise TicketRevoked()
    if status is not ClaimStatus.CONFIRMED:
        raise TicketNotConfirmed()
    if event["rrule"] and not (
        registration["occurrence_starts_at"] - DATE_MARGIN
        <= scanned_at
        <= registration["occurrence_ends_at"] + DATE_MARGIN
    ):
        zone = ZoneInfo(event["time_zone"])
        day = registration["occurrence_starts_at"].astimezone(zone).date().isoformat()
        raise TicketOtherDate(date=day)


def _indexed(
    registrations: Sequence[dict[str, Any]],
) -> tuple[dict[uuid.UUID, dict[str, Any]], dict[str, dict[str, Any]]]:
    return (
        {row["id"]: row for row in registrations},
        {row["ticket_code"]: row for row in registrations},
    )


async def _attendance(registration_ids: Sequence[uuid.UUID], *, lock: bool) -> list[Attendance]:
    rows = await CheckInRow.raw(
        _CHECK_IN_SQL
        + " WHERE ci.registration = ANY({}::uuid[]) ORDER BY ci.registration"
        + (" FOR UPDATE OF ci" if lock else ""),
        sorted(registration_ids),
    )
    return [Attendance.of(row) for row in rows]


def _view(registration: Mapping[str, Any], attendance: Attendance, zone: ZoneInfo) -> CheckIn:
    return CheckIn(
        registration_id=registration["id"],
        ticket_code=registration["ticket_code"],
        person_name=registration["person_name"],
        event_id=registration["event"],
        occurrence_id=registration["occurrence"],
        session_id=registration["session"],
        checked_in_at=attendance.checked_in_at.astimezone(zone),
        checked_in_by=attendance.checked_in_by_name,
        device=attendance.device,
    )


def already_checked_in(attendance: Attendance, zone: ZoneInfo) -> AlreadyCheckedIn:
    at = attendance.checked_in_at.astimezone(zone)
    return AlreadyCheckedIn(
        time=at.strftime("%H:%M"),
        checked_in_at=at.isoformat(),
        checked_in_by=attendance.checked_in_by_name or "—",
        device=attendance.device,
    )


# --- recording ------------------------------------------------------------------------------

_INSERT_SQL = (
    "WITH inserted AS ("
    " INSERT INTO event_check_in"
    " (id, registration, event, checked_in_at, checked_in_by, device, recorded_at)"
    " SELECT s.id, s.registration, {}, s.checked_in_at, {}, {}, {}"
    " FROM unnest({}::uuid[], {}::uuid[], {}::timestamptz[]) AS s(id, registration, checked_in_at)"
    " ORDER BY s.registration"
    " ON CONFLICT (registration) DO NOTHING"
    " RETURNING registration, checked_in_at, checked_in_by, device)"
    " SELECT i.*, p.display_name AS checked_in_by_name"
    " FROM inserted i LEFT JOIN person p ON p.id = i.checked_in_by"
)


async def _insert_new(
    event_id: uuid.UUID,
    actor_id: uuid.UUID,
    device: str,
    scans: Mapping[uuid.UUID, dt.datetime],
    now: dt.datetime,
) -> dict[uuid.UUID, Attendance]:
    """Record the registrations not checked in yet (in id order); the others are left as they
    are (a concurrent insert is waited for: the unique index decides)."""
    order = sorted(scans)
    rows = await CheckInRow.raw(
        _INSERT_SQL,
        event_id,
        actor_id,
        device,
        now,
        [uuid.uuid4() for _ in order],
        order,
        [scans[registration_id] for registration_id in order],
    )
    return {row["registration"]: Attendance.of(row) for row in rows}


async def check_in(
    actor_id: uuid.UUID,
    reference: str,
    request: CheckInRequest,
    signer: TicketSigner,
    now: dt.datetime | None = None,
) -> CheckIn:
    """Let the ticket's holder in: their registration's attendance, recorded once. A second
    scan is refused with when and by whom the first was recorded."""
    event = await _organized_event(actor_id, reference)
    zone = ZoneInfo(event["time_zone"])
    now = now or _now()
    scanned_at = _checked_scan_time(request.scanned_at, now)
    identity = identify(signer, event["id"], request.ticket, request.code)
    for _attempt in range(3):
        async with get_engine().transaction():
            registration = _registration_named(
                identity, *_indexed(await _locked_registrations(event["id"], [identity]))
            )
            _admit(registration, event, scanned_at)
            inserted = await _insert_new(
                event["id"], actor_id, request.device, {registration["id"]: scanned_at}, now
            )
            if inserted:
                attendance = inserted[registration["id"]]
                await audit.record_change(
                    actor_id=actor_id,
                    action="check_in.create",
                    object_type="check_in",
                    object_id=registration["id"],
                    before=None,
                    after=attendance.audited(event["id"]),
                )
                return _view(registration, attendance, zone)
            existing = await _attendance([registration["id"]], lock=False)
        if existing:
            raise already_checked_in(existing[0], zone)
        # undone between our insert and our read: try again
    raise RuntimeError("a check-in kept appearing and disappearing")


# --- the offline batch ----------------------------------------------------------------------

_MOVE_EARLIER_SQL = (
    "WITH moved AS ("
    " UPDATE event_check_in ci SET checked_in_at = s.checked_in_at, checked_in_by = {},"
    " device = {}, recorded_at = {}"
    " FROM unnest({}::uuid[], {}::timestamptz[]) AS s(registration, checked_in_at)"
    " WHERE ci.registration = s.registration AND s.checked_in_at < ci.checked_in_at"
    " RETURNING ci.registration, ci.checked_in_at, ci.checked_in_by, ci.device)"
    " SELECT m.*, p.display_name AS checked_in_by_name"
    " FROM moved m LEFT JOIN person p ON p.id = m.checked_in_by"
)


@dataclass(frozen=True)
class _Candidate:
    """A registration's earliest scan in the batch (the first of equal ones)."""

    registration: dict[str, Any]
    index: int
    scanned_at: dt.datetime


@dataclass
class _Recorded:
    """What the batch did to each registration: its outcome, its check-in now, and (earlier)
    the check-in it replaced."""

    outcome: dict[uuid.UUID, ScanOutcome]
    now_kept: dict[uuid.UUID, Attendance]
    replaced: dict[uuid.UUID, Attendance]


async def _record_earliest(
    event_id: uuid.UUID,
    actor_id: uuid.UUID,
    device: str,
    earliest: Mapping[uuid.UUID, dt.datetime],
    now: dt.datetime,
) -> _Recorded:
    """Insert the registrations not checked in yet; move those checked in later than their scan
    to the scan's time; keep the rest. Rows are taken in registration id order throughout.

    Not one `ON CONFLICT DO UPDATE … WHERE excluded.checked_in_at < checked_in_at`: that says
    nothing of the check-in it replaced, which the answer and the audit entry need; the rows
    locked before the update do."""
    done = _Recorded({}, {}, {})
    pending = dict(earliest)
    for _attempt in range(3):
        inserted = await _insert_new(event_id, actor_id, device, pending, now)
        for registration_id in sorted(inserted):
            done.outcome[registration_id] = ScanOutcome.RECORDED
            done.now_kept[registration_id] = inserted[registration_id]
            await audit.record_change(
                actor_id=actor_id,
                action="check_in.create",
                object_type="check_in",
                object_id=registration_id,
                before=None,
                after=inserted[registration_id].audited(event_id),
            )
        rest = [registration_id for registration_id in pending if registration_id not in inserted]
        later: dict[uuid.UUID, dt.datetime] = {}
        for attendance in await _attendance(rest, lock=True):
            registration_id = attendance.registration_id
            if pending[registration_id] < attendance.checked_in_at:
                later[registration_id] = pending[registration_id]
                done.replaced[registration_id] = attendance
            else:
                done.outcome[registration_id] = ScanOutcome.ALREADY
                done.now_kept[registration_id] = attendance
        if later:
            order = sorted(later)
            rows = await CheckInRow.raw(
                _MOVE_EARLIER_SQL,
                actor_id,
                device,
                now,
                order,
                [later[registration_id] for registration_id in order],
            )
            for moved in sorted((Attendance.of(row) for row in rows), key=_by_registration):
                registration_id = moved.registration_id
                done.outcome[registration_id] = ScanOutcome.EARLIER
                done.now_kept[registration_id] = moved
                await audit.record_change(
                    actor_id=actor_id,
                    action="check_in.update",
                    object_type="check_in",
                    object_id=registration_id,
                    before=done.replaced[registration_id].audited(event_id),
                    after=moved.audited(event_id),
                )
        # what is left was undone between our insert and our lock: insert it again
        pending = {key: value for key, value in pending.items() if key not in done.outcome}
        if not pending:
            return done
    raise RuntimeError("check-ins kept appearing and disappearing")


def _by_registration(attendance: Attendance) -> uuid.UUID:
    return attendance.registration_id


def _refused(
    error: DomainError, language: Language, registration: Mapping[str, Any] | None = None
) -> ScanResult:
    return ScanResult(
        outcome=ScanOutcome.REFUSED,
        registration_id=None if registration is None else registration["id"],
        person_name=None if registration is None else registration["person_name"],
        reason=error.code,
        message=error.message(language),
    )


async def check_in_batch(
    actor_id: uuid.UUID,
    reference: str,
    batch: CheckInBatch,
    signer: TicketSigner,
    language: Language,
    now: dt.datetime | None = None,
) -> CheckInBatchResult:
    """Record an offline device's scans: each registration keeps its earliest scan, whichever
    device made it. Idempotent: the same batch again changes nothing. One result per scan, in
    the order of the scans."""
    event = await _organized_event(actor_id, reference)
    zone = ZoneInfo(event["time_zone"])
    now = now or _now()
    results: list[ScanResult | None] = [None] * len(batch.scans)
    named: list[tuple[int, Identity, dt.datetime]] = []
    for index, scan in enumerate(batch.scans):
        try:
            scanned_at = _checked_scan_time(scan.scanned_at, now)
            named.append((index, identify(signer, event["id"], scan.ticket, scan.code), scanned_at))
        except DomainError as error:
            results[index] = _refused(error, language)
    admitted: list[tuple[int, uuid.UUID]] = []
    candidates: dict[uuid.UUID, _Candidate] = {}
    async with get_engine().transaction():
        by_id, by_code = _indexed(
            await _locked_registrations(event["id"], [identity for _, identity, _ in named])
        )
        for index, identity, scanned_at in named:
            registration: dict[str, Any] | None = None
            try:
                registration = _registration_named(identity, by_id, by_code)
                _admit(registration, event, scanned_at)
            except DomainError as error:
                results[index] = _refused(error, language, registration)
                continue
            admitted.append((index, registration["id"]))
            candidate = candidates.get(registration["id"])
            if candidate is None or scanned_at < candidate.scanned_at:
                candidates[registration["id"]] = _Candidate(registration, index, scanned_at)
        recorded = await _record_earliest(
            event["id"],
            actor_id,
            batch.device,
            {key: candidate.scanned_at for key, candidate in candidates.items()},
            now,
        )
    for index, registration_id in admitted:
        candidate = candidates[registration_id]
        own = index == candidate.index
        outcome = recorded.outcome[registration_id] if own else ScanOutcome.ALREADY
        replaced = recorded.replaced.get(registration_id) if own else None
        results[index] = ScanResult(
            outcome=outcome,
            registration_id=registration_id,
            person_name=candidate.registration["person_name"],
            check_in=recorded.now_kept[registration_id].kept(zone),
            replaced=None
            if outcome is not ScanOutcome.EARLIER or replaced is None
            else replaced.kept(zone),
        )
    answered = [result for result in results if result is not None]
    assert len(answered) == len(results)
    return CheckInBatchResult(
        results=answered,
        **{
            outcome.value: sum(result.outcome is outcome for result in answered)
            for outcome in ScanOutcome
        },
    )


# --- undo, and the list for offline devices --------------------------------------------------


async def undo_check_in(actor_id: uuid.UUID, reference: str, registration_id: uuid.UUID) -> None:
    """Remove a mistaken check-in: the registration may be checked in again."""
    event = await _organized_event(actor_id, reference)
    async with get_engine().transaction():
        rows = await CheckInRow.raw(
            "DELETE FROM event_check_in WHERE registration = {} AND event = {}"
            " RETURNING registration, checked_in_at, checked_in_by, device,"
            " NULL::text AS checked_in_by_name",
            registration_id,
            event["id"],
        )
        if not rows:
            raise CheckInNotFound
        await audit.record_change(
            actor_id=actor_id,
            action="check_in.undo",
            object_type="check_in",
            object_id=registration_id,
            before=Attendance.of(rows[0]).audited(event["id"]),
            after=None,
        )


async def check_in_list(
    actor_id: uuid.UUID, reference: str, signer: TicketSigner, now: dt.datetime | None = None
) -> CheckInList:
    """Every registration of the event, for a device that checks tickets with no network."""
    event = await _organized_event(actor_id, reference)
    zone = ZoneInfo(event["time_zone"])
    rows = await CheckInRow.raw(
        "SELECT r.id, r.ticket_code, r.occurrence, r.session, c.status,"
        " p.display_name AS person_name, ci.checked_in_at"
        " FROM event_registration r JOIN seat_claim c ON c.id = r.id"
        " JOIN person p ON p.id = r.person"
        " LEFT JOIN event_check_in ci ON ci.registration = r.id"
        " WHERE r.event = {} ORDER BY r.created_at, r.id",
        event["id"],
    )
    entries = [
        CheckInListEntry(
            registration_id=row["id"],
            ticket_code=row["ticket_code"],
            person_name=row["person_name"],
            status=ClaimStatus(row["status"]),
            occurrence_id=row["occurrence"],
            session_id=row["session"],
            checked_in_at=None
            if row["checked_in_at"] is None
            else row["checked_in_at"].astimezone(zone),
        )
        for row in rows
    ]
    return CheckInList(
        event_id=event["id"],
        time_zone=event["time_zone"],
        generated_at=(now or _now()).astimezone(zone),
        jwks_url=signer.issuer + JWKS_PATH,
        ticket_issuer=signer.issuer,
        ticket_audience=tickets.TICKET_AUDIENCE,
        revoked=[
            entry.registration_id for entry in entries if entry.status is ClaimStatus.CANCELLED
        ],
        registrations=entries,
    )
