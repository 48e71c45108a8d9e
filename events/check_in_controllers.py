"""HTTP for check-in at the door: organizer members scan tickets online or upload an offline
device's scans, undo a mistaken check-in, and fetch the list an offline device works from.

Parse, guard, call one service with the actor's id, return a schema. Tickets are checked with the
process's signing keys (on the app's state).
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from events import check_ins
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
    CheckInRequest,
)
from events.errors import EventNotFound
from events.parameters import EventReference
from events.registrations import TicketSigner
from year2026.guards import Principal, requires_signed_in
from year2026.parameters import ReaderLanguage, reader_language
from year2026.people.errors import NotAMember


def _signer(request: Request[Any, Any, Any]) -> TicketSigner:
    signer: TicketSigner = request.app.state.token_issuer
    return signer


class CheckInsController(Controller):
    path = "/events/{event:str}"
    tags = ["check-in"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    guards = [requires_signed_in]  # noqa: RUF012

    @post(
        "/check-ins",
        status_code=HTTP_201_CREATED,
        summary="Check a ticket in at the door (its QR code's content, or its typed code)",
        description="For the event's organizers and admins. Attendance is recorded once: a"
        " second scan is 409 `already-checked-in`, saying when (in the event's time zone) and"
        " by whom. Refused: `ticket-forged`, `ticket-other-event`, `ticket-code-unknown` (422);"
        " `ticket-revoked` (cancelled), `ticket-not-confirmed` (waitlisted or offered),"
        " `ticket-other-date` (another date of a recurring event) (409).",
        opt={
            "errors": [
                EventNotFound,
                NotAMember,
                TicketOrCode,
                ScanInFuture,
                TicketForged,
                TicketOtherEvent,
                TicketCodeUnknown,
                TicketRevoked,
                TicketNotConfirmed,
                TicketOtherDate,
                AlreadyCheckedIn,
            ]
        },
    )
    async def check_in(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        event: EventReference,
        data: JSONBody[CheckInRequest],
        lang: ReaderLanguage = None,  # the language of the refusals
    ) -> CheckIn:
        return await check_ins.check_in(principal.person_id, event, data, _signer(request))

    @post(
        "/check-ins/batch",
        status_code=HTTP_200_OK,
        summary="Upload an offline device's scans: the earliest scan of each ticket wins",
        description="Idempotent: the same batch again changes nothing. One result per scan, in"
        " order: `recorded`, `already` (checked in at that time or earlier: the kept check-in"
        " is listed), `earlier` (this scan replaced a later check-in, listed as `replaced`), or"
        " `refused` with the `reason` an online scan would have answered.",
        opt={"errors": [EventNotFound, NotAMember]},
    )
    async def check_in_batch(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        event: EventReference,
        data: JSONBody[CheckInBatch],
        lang: ReaderLanguage = None,
    ) -> CheckInBatchResult:
        return await check_ins.check_in_batch(
            principal.person_id,
            event,
            data,
            _signer(request),
            reader_language(request, lang),
        )

    @delete(
        "/check-ins/{registration:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Undo a mistaken check-in (the ticket may be checked in again)",
        opt={"errors": [EventNotFound, NotAMember, CheckInNotFound]},
    )
    async def undo_check_in(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        registration: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,  # the language of the refusals
    ) -> None:
        await check_ins.undo_check_in(principal.person_id, event, registration)

    @get(
        "/check-in-list",
        summary="The event's registrations for an offline check-in device",
        description="Every registration with its ticket code, holder's name, status and"
        " check-in; the ids of cancelled registrations (`revoked`: their tickets admit no one);"
        " and where the keys that sign tickets are published.",
        opt={"errors": [EventNotFound, NotAMember]},
    )
    async def check_in_list(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        event: EventReference,
        lang: ReaderLanguage = None,  # the language of the refusals
    ) -> CheckInList:
        return await check_ins.check_in_list(principal.person_id, event, _signer(request))
