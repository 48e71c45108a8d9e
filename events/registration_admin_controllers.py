"""HTTP for the organizers' tools: an event's registrations with their counts, the CSV export,
and cancelling a person's registration.

Parse, guard, call one service with the organizer's id, return a schema. Who may see names and
emails is decided by the service, against the database.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.status_codes import HTTP_200_OK

from events import registration_admin
from events.errors import EventNotFound
from events.parameters import EventReference
from events.registration_admin_schemas import AttendeePage, AttendeeRegistration
from events.registration_errors import RegistrationNotFound
from year2026.guards import Principal, requires_signed_in
from year2026.paging import DEFAULT_LIMIT, InvalidCursor
from year2026.parameters import PageSize, ReaderLanguage, cursor_parameter, reader_language
from year2026.people.errors import NotAMember
from year2026.seats_enums import ClaimStatus
from year2026.spreadsheets import CSV_MEDIA_TYPE, csv_response
from year2026.text_types import LINE_TEXT

AttendeeCursor = Annotated[
    str | None, cursor_parameter(registration_admin.ATTENDEES.max_cursor_length)
]
Search = Annotated[
    str | None,
    QueryParameter(
        min_length=1,
        max_length=200,
        pattern=LINE_TEXT,
        description="A part of the person's name or email, in any case.",
    ),
]
OccurrenceFilter = Annotated[
    uuid.UUID | None,
    QueryParameter(description="Only registrations for this occurrence (a recurring event's)."),
]
SessionFilter = Annotated[
    uuid.UUID | None,
    QueryParameter(description="Only registrations for this session with seats of its own."),
]
#: Litestar adds `; charset=utf-8` to a text media type by itself


class AttendeesController(Controller):
    path = "/events/{event:str}"
    tags = ["registration"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    guards = [requires_signed_in]  # noqa: RUF012

    @get(
        "/registrations.csv",
        summary="The event's registrations as a CSV file (its organizers only)",
        description="UTF-8 with a byte order mark and CRLF line ends, so that Excel opens it"
        " as it is; times in the event's zone; the header in the reader's language.",
        media_type=CSV_MEDIA_TYPE,
        opt={"errors": [EventNotFound, NotAMember]},
    )
    async def export_registrations(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        event: EventReference,
        status: FromQuery[ClaimStatus | None] = None,
        occurrence: OccurrenceFilter = None,
        session: SessionFilter = None,
        q: Search = None,
        lang: ReaderLanguage = None,
    ) -> Response[bytes]:
        filters = registration_admin.AttendeeFilters(
            status=status, occurrence_id=occurrence, session_id=session, q=q
        )
        export = await registration_admin.registrations_csv(
            principal.person_id, event, filters, reader_language(request, lang)
        )
        return csv_response(export)

    @delete(
        "/registrations/{registration:uuid}",
        status_code=HTTP_200_OK,
        summary="Cancel a person's registration; the seat goes to the next person waiting",
        description="Its ticket is revoked. Cancelling a cancelled registration changes nothing.",
        opt={"errors": [EventNotFound, NotAMember, RegistrationNotFound]},
    )
    async def cancel_registration(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        event: EventReference,
        registration: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> AttendeeRegistration:
        return await registration_admin.cancel_registration(
            principal.person_id, event, registration, reader_language(request, lang)
        )


# Beside the controller, not in it: `POST /events/{event}/registrations` is another controller's,
# and Litestar 2 refuses two controllers on one path (each brings its own OPTIONS handler); a
# plain handler joins the path's existing route instead. Register it after that controller.
@get(
    "/events/{event:str}/registrations",
    guards=[requires_signed_in],
    tags=["registration"],
    summary="The event's registrations, with counts per status (its organizers only)",
    description="In arrival order. The counts follow `occurrence` and `session` only, so"
    " that they stay the totals beside a list narrowed by `status` or `q`.",
    opt={"errors": [EventNotFound, NotAMember, InvalidCursor]},
)
async def list_registrations(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    event: EventReference,
    status: FromQuery[ClaimStatus | None] = None,
    occurrence: OccurrenceFilter = None,
    session: SessionFilter = None,
    q: Search = None,
    cursor: AttendeeCursor = None,
    limit: PageSize = DEFAULT_LIMIT,
    lang: ReaderLanguage = None,
) -> AttendeePage:
    filters = registration_admin.AttendeeFilters(
        status=status, occurrence_id=occurrence, session_id=session, q=q
    )
    return await registration_admin.event_registrations(
        principal.person_id, event, filters, reader_language(request, lang), cursor, limit
    )
