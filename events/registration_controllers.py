"""HTTP for registration: a person registers, lists, cancels and accepts an offered seat.

Parse, guard, call one service with the person's id, return a schema. The seat gate and the
ticket signer are the process's (on the app's state).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from events import registrations
from events.errors import EventNotFound, OccurrenceNotFound
from events.parameters import EventReference
from events.programme_errors import SessionNotFound
from events.registration_errors import (
    EventCancelledForRegistration,
    NoOpenOffer,
    NoSeatsLeft,
    OccurrenceRequired,
    RegistrationClosed,
    RegistrationNotFound,
    RegistrationNotOpen,
    RegistrationNotYetOpen,
    SessionWithoutSeats,
)
from events.registration_schemas import Registration, RegistrationPage, RegistrationRequest
from year2026.guards import Principal, requires_signed_in
from year2026.paging import DEFAULT_LIMIT, InvalidCursor
from year2026.parameters import PageSize, ReaderLanguage, cursor_parameter, reader_language
from year2026.seats import ClaimGate, SeatsBusy

RegistrationCursor = Annotated[
    str | None, cursor_parameter(registrations.MY_REGISTRATIONS.max_cursor_length)
]


def _signer(request: Request[Any, Any, Any]) -> registrations.TicketSigner:
    signer: registrations.TicketSigner = request.app.state.token_issuer
    return signer


class EventRegistrationsController(Controller):
    path = "/events/{event:str}/registrations"
    tags = ["registration"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @post(
        "/",
        guards=[requires_signed_in],
        summary="Register for the event (one occurrence of a recurring one), or for a session",
        description="Confirmed while seats last, then waitlisted in arrival order if the event"
        " has a waitlist (else 409 `no-seats-left`). A person has one active registration per"
        " occurrence or session: asking again answers it (200) instead of making another"
        " (201). When too many people register for one event at the same moment, some are"
        " answered 503 `seats-busy` with `Retry-After`: try again then.",
        status_code=HTTP_201_CREATED,
        opt={
            "errors": [
                EventNotFound,
                OccurrenceNotFound,
                SessionNotFound,
                OccurrenceRequired,
                SessionWithoutSeats,
                RegistrationNotOpen,
                RegistrationNotYetOpen,
                RegistrationClosed,
                EventCancelledForRegistration,
                NoSeatsLeft,
                SeatsBusy,
            ]
        },
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        event: EventReference,
        data: JSONBody[RegistrationRequest],
        lang: ReaderLanguage = None,
    ) -> Response[Registration]:
        gate: ClaimGate = request.app.state.seat_gate
        registration, created = await registrations.register(
            principal.person_id,
            event,
            data,
            _signer(request),
            reader_language(request, lang),
            gate,
        )
        return Response(registration, status_code=HTTP_201_CREATED if created else HTTP_200_OK)


class MyRegistrationsController(Controller):
    path = "/me/registrations"
    tags = ["registration"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    guards = [requires_signed_in]  # noqa: RUF012

    @get(
        "/",
        summary="My registrations, newest first, each confirmed one with its ticket",
        opt={"errors": [InvalidCursor]},
    )
    async def list_mine(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        cursor: RegistrationCursor = None,
        limit: PageSize = DEFAULT_LIMIT,
        lang: ReaderLanguage = None,
    ) -> RegistrationPage:
        return await registrations.my_registrations(
            principal.person_id, _signer(request), reader_language(request, lang), cursor, limit
        )

    @get(
        "/{registration:uuid}",
        summary="One of my registrations, with its ticket",
        opt={"errors": [RegistrationNotFound]},
    )
    async def show_mine(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        registration: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> Registration:
        return await registrations.my_registration(
            principal.person_id, registration, _signer(request), reader_language(request, lang)
        )

    @delete(
        "/{registration:uuid}",
        status_code=HTTP_200_OK,
        summary="Cancel my registration (or leave the waitlist); the seat goes to the next person",
        description="Its ticket is revoked. Cancelling a cancelled registration changes nothing.",
        opt={"errors": [RegistrationNotFound]},
    )
    async def cancel_mine(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        registration: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> Registration:
        return await registrations.cancel_my_registration(
            principal.person_id, registration, _signer(request), reader_language(request, lang)
        )

    @post(
        "/{registration:uuid}/accept",
        status_code=HTTP_200_OK,
        summary="Accept the seat offered to me from the waitlist, before its deadline",
        opt={"errors": [RegistrationNotFound, NoOpenOffer]},
    )
    async def accept_offer(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        registration: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> Registration:
        return await registrations.accept_my_offer(
            principal.person_id, registration, _signer(request), reader_language(request, lang)
        )
