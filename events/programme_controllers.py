"""HTTP for an event's programme: anyone reads it, the event's organizers change it.

Parse, guard, call one service with the actor's id, return a schema. Who may change a programme
is decided by the services, against the database (`events.access`). The event is named by its
id or its slug in `{event:str}`, the path parameter of the event controller on `/events` too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from events import programme, programme_queries, programme_sessions
from events.errors import EventNotFound
from events.parameters import EventReference
from events.programme_errors import (
    CapacityNotPositive,
    InUseBySessions,
    NameRequired,
    RoomNotFound,
    RoomOfAnotherEvent,
    SessionAlreadyCancelled,
    SessionEndsBeforeStart,
    SessionNotFound,
    SessionOutsideEventDays,
    SessionTimeWithoutOffset,
    SessionTitleRequired,
    SpeakerNamedTwice,
    SpeakerNotFound,
    SpeakerOfAnotherEvent,
    TrackNotFound,
    TrackOfAnotherEvent,
)
from events.programme_queries import SESSIONS_KEYSET, SessionFilters
from events.programme_schemas import (
    Programme,
    RoomCreate,
    RoomRecord,
    RoomUpdate,
    SessionCreate,
    SessionPage,
    SessionRecord,
    SessionUpdate,
    SessionView,
    SpeakerCreate,
    SpeakerRecord,
    SpeakerUpdate,
    TrackCreate,
    TrackRecord,
    TrackUpdate,
)
from year2026.auth.errors import InvalidAccessToken
from year2026.exceptions import DomainError
from year2026.guards import Principal, authenticate, requires_signed_in
from year2026.openapi import OPTIONAL_BEARER
from year2026.paging import DEFAULT_LIMIT, InvalidCursor
from year2026.parameters import PageSize, ReaderLanguage, cursor_parameter, reader_language
from year2026.patching import present_fields
from year2026.people.errors import NotAMember

SessionCursor = Annotated[str | None, cursor_parameter(SESSIONS_KEYSET.max_cursor_length)]

#: a public read: anyone, and with a token a draft's organizers too (one sent must be valid)
_READ_SECURITY = OPTIONAL_BEARER
_READ_ERRORS: list[type[DomainError]] = [EventNotFound, InvalidAccessToken]
#: every change: the event must exist for the actor, who must be one of its organizers
_CHANGE_ERRORS: list[type[DomainError]] = [EventNotFound, NotAMember]
_SESSION_FIELD_ERRORS: list[type[DomainError]] = [
    SessionTitleRequired,
    SessionTimeWithoutOffset,
    SessionEndsBeforeStart,
    SessionOutsideEventDays,
    CapacityNotPositive,
    RoomOfAnotherEvent,
    TrackOfAnotherEvent,
    SpeakerOfAnotherEvent,
    SpeakerNamedTwice,
]


async def _viewer(request: Request[Any, Any, Any]) -> uuid.UUID | None:
    principal = await authenticate(request)
    return principal.person_id if principal else None


class ProgrammeController(Controller):
    """The programme under its event: `/events/{event}/…`."""

    path = "/events"
    tags = ["programme"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @get(
        "/{event:str}/programme",
        summary="An event's programme: its days, tracks, rooms and speakers",
        description="Days are the dates of its sessions in the event's time zone. A draft's"
        " programme is found only by its organization's members and admins.",
        opt={"errors": _READ_ERRORS},
        security=_READ_SECURITY,
    )
    async def show_programme(
        self, request: Request[Any, Any, Any], event: EventReference, lang: ReaderLanguage = None
    ) -> Programme:
        return await programme_queries.view_programme(
            event, await _viewer(request), reader_language(request, lang)
        )

    @get(
        "/{event:str}/sessions",
        summary="An event's sessions in start order, with their room, track and speakers",
        description="Cancelled sessions are listed too, as cancelled. `day` is a date in the"
        " event's time zone.",
        opt={"errors": [*_READ_ERRORS, InvalidCursor]},
        security=_READ_SECURITY,
    )
    async def list_sessions(
        self,
        request: Request[Any, Any, Any],
        event: EventReference,
        day: Annotated[
            dt.date | None,
            QueryParameter(description="Only the sessions that start on this date."),
        ] = None,
        track: Annotated[
            uuid.UUID | None, QueryParameter(description="Only the sessions of this track.")
        ] = None,
        room: Annotated[
            uuid.UUID | None, QueryParameter(description="Only the sessions in this room.")
        ] = None,
        cursor: SessionCursor = None,
        limit: PageSize = DEFAULT_LIMIT,
        lang: ReaderLanguage = None,
    ) -> SessionPage:
        return await programme_queries.list_sessions(
            event,
            await _viewer(request),
            reader_language(request, lang),
            SessionFilters(day=day, track_id=track, room_id=room),
            cursor=cursor,
            limit=limit,
        )

    @post(
        "/{event:str}/sessions",
        guards=[requires_signed_in],
        summary="Add a session to an event's programme (its organizers)",
        opt={"errors": [*_CHANGE_ERRORS, *_SESSION_FIELD_ERRORS]},
    )
    async def create_session(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        data: JSONBody[SessionCreate],
    ) -> SessionRecord:
        return await programme_sessions.create_session(principal.person_id, event, data)

    @patch(
        "/{event:str}/sessions/{session_id:uuid}",
        guards=[requires_signed_in],
        summary="Change a session (absent fields stay as they are)",
        description="A change of time, room or title raises its `sequence`.",
        opt={"errors": [*_CHANGE_ERRORS, SessionNotFound, *_SESSION_FIELD_ERRORS]},
    )
    async def update_session(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        session_id: FromPath[uuid.UUID],
        data: JSONBody[SessionUpdate],
    ) -> SessionRecord:
        return await programme_sessions.update_session(
            principal.person_id, event, session_id, present_fields(data)
        )

    @post(
        "/{event:str}/sessions/{session_id:uuid}/cancel",
        guards=[requires_signed_in],
        status_code=HTTP_200_OK,
        summary="Cancel a session (it stays in the programme, as cancelled)",
        opt={"errors": [*_CHANGE_ERRORS, SessionNotFound, SessionAlreadyCancelled]},
    )
    async def cancel_session(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        session_id: FromPath[uuid.UUID],
    ) -> SessionRecord:
        return await programme_sessions.cancel_session(principal.person_id, event, session_id)

    @post(
        "/{event:str}/tracks",
        guards=[requires_signed_in],
        summary="Add a track to an event's programme (its organizers)",
        opt={"errors": [*_CHANGE_ERRORS, NameRequired]},
    )
    async def create_track(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        data: JSONBody[TrackCreate],
    ) -> TrackRecord:
        return await programme.create_track(principal.person_id, event, data)

    @patch(
        "/{event:str}/tracks/{track_id:uuid}",
        guards=[requires_signed_in],
        summary="Change a track (absent fields stay as they are)",
        opt={"errors": [*_CHANGE_ERRORS, TrackNotFound, NameRequired]},
    )
    async def update_track(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        track_id: FromPath[uuid.UUID],
        data: JSONBody[TrackUpdate],
    ) -> TrackRecord:
        return await programme.update_track(
            principal.person_id, event, track_id, present_fields(data)
        )

    @delete(
        "/{event:str}/tracks/{track_id:uuid}",
        guards=[requires_signed_in],
        summary="Remove a track that no session is in",
        opt={"errors": [*_CHANGE_ERRORS, TrackNotFound, InUseBySessions]},
    )
    async def delete_track(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        track_id: FromPath[uuid.UUID],
    ) -> None:
        await programme.delete_track(principal.person_id, event, track_id)

    @post(
        "/{event:str}/rooms",
        guards=[requires_signed_in],
        summary="Add a room to an event's programme (its organizers)",
        opt={"errors": [*_CHANGE_ERRORS, NameRequired, CapacityNotPositive]},
    )
    async def create_room(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        data: JSONBody[RoomCreate],
    ) -> RoomRecord:
        return await programme.create_room(principal.person_id, event, data)

    @patch(
        "/{event:str}/rooms/{room_id:uuid}",
        guards=[requires_signed_in],
        summary="Change a room (a new name raises the sequence of its sessions)",
        opt={"errors": [*_CHANGE_ERRORS, RoomNotFound, NameRequired, CapacityNotPositive]},
    )
    async def update_room(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        room_id: FromPath[uuid.UUID],
        data: JSONBody[RoomUpdate],
    ) -> RoomRecord:
        return await programme.update_room(
            principal.person_id, event, room_id, present_fields(data)
        )

    @delete(
        "/{event:str}/rooms/{room_id:uuid}",
        guards=[requires_signed_in],
        summary="Remove a room that no session is in",
        opt={"errors": [*_CHANGE_ERRORS, RoomNotFound, InUseBySessions]},
    )
    async def delete_room(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        room_id: FromPath[uuid.UUID],
    ) -> None:
        await programme.delete_room(principal.person_id, event, room_id)

    @post(
        "/{event:str}/speakers",
        guards=[requires_signed_in],
        summary="Add a speaker to an event's programme (its organizers)",
        opt={"errors": _CHANGE_ERRORS},
    )
    async def create_speaker(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        data: JSONBody[SpeakerCreate],
    ) -> SpeakerRecord:
        return await programme.create_speaker(principal.person_id, event, data)

    @patch(
        "/{event:str}/speakers/{speaker_id:uuid}",
        guards=[requires_signed_in],
        summary="Change a speaker (absent fields stay as they are)",
        opt={"errors": [*_CHANGE_ERRORS, SpeakerNotFound]},
    )
    async def update_speaker(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        speaker_id: FromPath[uuid.UUID],
        data: JSONBody[SpeakerUpdate],
    ) -> SpeakerRecord:
        return await programme.update_speaker(
            principal.person_id, event, speaker_id, present_fields(data)
        )

    @delete(
        "/{event:str}/speakers/{speaker_id:uuid}",
        guards=[requires_signed_in],
        summary="Remove a speaker that no session names",
        opt={"errors": [*_CHANGE_ERRORS, SpeakerNotFound, InUseBySessions]},
    )
    async def delete_speaker(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        speaker_id: FromPath[uuid.UUID],
    ) -> None:
        await programme.delete_speaker(principal.person_id, event, speaker_id)


class SessionsController(Controller):
    """One session by its id: `/sessions/{session_id}`."""

    path = "/sessions"
    tags = ["programme"]  # noqa: RUF012

    @get(
        "/{session_id:uuid}",
        summary="One session, with its room, track and speakers, in the reader's language",
        description="A session of a draft is found only by its organization's members and admins.",
        opt={"errors": [SessionNotFound, InvalidAccessToken]},
        security=_READ_SECURITY,
    )
    async def show(
        self,
        request: Request[Any, Any, Any],
        session_id: FromPath[uuid.UUID],
        lang: ReaderLanguage = None,
    ) -> SessionView:
        return await programme_queries.view_session(
            session_id, await _viewer(request), reader_language(request, lang)
        )
