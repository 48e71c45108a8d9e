"""The API bodies of check-in at the door (msgspec Structs), in and out.

Bounds: a batch of `MAX_BATCH_SCANS` scans, each with the longest ticket and code, stays under
the default body limit (1 MiB), so the largest valid batch is never refused for its size.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated

import msgspec

from year2026.seats_enums import ClaimStatus
from year2026.text_types import LINE_TEXT

#: the most scans one upload carries (a device with more sends several batches)
MAX_BATCH_SCANS = 1000
#: our tickets are ~600 characters (header with the kid, four ids, the issuer, a signature)
TicketToken = Annotated[str, msgspec.Meta(min_length=1, max_length=900, pattern=LINE_TEXT)]
TypedCode = Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=LINE_TEXT)]
DeviceName = Annotated[str, msgspec.Meta(max_length=100, pattern=LINE_TEXT)]
#: RFC 3339 with its offset: a scan time means one instant wherever the device is
ScanTime = Annotated[dt.datetime, msgspec.Meta(tz=True)]


class CheckInRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One scan at the door: the QR code's content (`ticket`) or the typed `code`, not both."""

    ticket: TicketToken | None = None
    #: `7KQ4-MX2P`; case, spaces and the hyphen do not matter, O reads as 0 and I/L as 1
    code: TypedCode | None = None
    #: the scanning device, as it names itself (`gate-3`)
    device: DeviceName = ""
    #: when it was scanned; default: now
    scanned_at: ScanTime | None = None


class CheckIn(msgspec.Struct, kw_only=True):
    """A registration's attendance."""

    registration_id: uuid.UUID
    ticket_code: str
    person_name: str
    event_id: uuid.UUID
    occurrence_id: uuid.UUID
    session_id: uuid.UUID | None
    #: in the event's time zone
    checked_in_at: dt.datetime
    #: the organizer member who scanned it (null when their account is gone)
    checked_in_by: str | None
    device: str


class BatchScan(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One scan an offline device made: `ticket` or `code`, and when."""

    ticket: TicketToken | None = None
    code: TypedCode | None = None
    scanned_at: ScanTime


class CheckInBatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The scans an offline device made, uploaded when it is back online (any order)."""

    device: DeviceName = ""
    scans: Annotated[list[BatchScan], msgspec.Meta(min_length=1, max_length=MAX_BATCH_SCANS)]


class ScanOutcome(enum.StrEnum):
    #: the first check-in of its registration
    RECORDED = "recorded"
    #: the registration was already checked in at this time or earlier: that one is kept
    ALREADY = "already"
    #: the registration was checked in later than this scan: this scan replaced it
    EARLIER = "earlier"
    #: not let in: `reason` says why
    REFUSED = "refused"


class KeptCheckIn(msgspec.Struct, kw_only=True):
    #: in the event's time zone
    checked_in_at: dt.datetime
    checked_in_by: str | None
    device: str


class ScanResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    """What became of one scan of the batch (results are in the order of the scans)."""

    outcome: ScanOutcome
    #: null when refused before its registration was known (a forged ticket, an unknown code)
    registration_id: uuid.UUID | None = None
    person_name: str | None = None
    #: the check-in now recorded for the registration (not for `refused`)
    check_in: KeptCheckIn | None = None
    #: `earlier` only: the later check-in this scan replaced
    replaced: KeptCheckIn | None = None
    #: `refused` only: the error code an online scan would have answered (`ticket-revoked`…)
    reason: str | None = None
    #: `refused` only: that error's message, in the reader's language
    message: str | None = None


class CheckInBatchResult(msgspec.Struct, kw_only=True):
    results: list[ScanResult]
    recorded: int
    already: int
    earlier: int
    refused: int


class CheckInListEntry(msgspec.Struct, kw_only=True):
    registration_id: uuid.UUID
    ticket_code: str
    person_name: str
    status: ClaimStatus
    occurrence_id: uuid.UUID
    session_id: uuid.UUID | None
    #: in the event's time zone; null: not checked in
    checked_in_at: dt.datetime | None


class CheckInList(msgspec.Struct, kw_only=True):
    """What an offline device needs at the door: every registration of the event, the revoked
    tickets, and where the keys that sign tickets are published."""

    event_id: uuid.UUID
    time_zone: str
    generated_at: dt.datetime
    #: the public keys of ticket signatures (ES256, by `kid`)
    jwks_url: str
    #: what a real ticket's `iss` and `aud` say
    ticket_issuer: str
    ticket_audience: str
    #: registrations cancelled: their tickets, however well signed, admit no one
    revoked: list[uuid.UUID]
    registrations: list[CheckInListEntry]
