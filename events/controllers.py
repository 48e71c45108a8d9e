"""HTTP for the event calendar: the public listing and pages, and the organizers' changes.

Parse, guard, call one service with the actor's id, return a schema. Who may change an event is
decided by the services, against the database.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from events import catalogue, services
from events.enums import EventCategory, EventFormat
from events.errors import (
    CoordinatesIncomplete,
    DraftsNotVisible,
    EndsBeforeStart,
    EventNotFound,
    InvalidTag,
    NotRecurring,
    OccurrenceNotFound,
    OnlineHasNoRegion,
    ReasonRequired,
    RegionRequired,
    SlugTaken,
    StatusChangeRefused,
    TimeRequired,
    TitleRequired,
    TooLong,
)
from events.parameters import EventReference
from events.queries import BY_RELEVANCE, BY_START, EventFilters
from events.schemas import (
    EventCreate,
    EventDetail,
    EventPage,
    EventRecord,
    EventUpdate,
    OccurrenceChange,
    OccurrenceView,
    Postponement,
    StatusReason,
)
from year2026.auth.errors import InvalidAccessToken
from year2026.guards import Principal, authenticate, requires_signed_in
from year2026.i18n import Language
from year2026.instant_query import instant_parameter, parse_instant
from year2026.openapi import OPTIONAL_BEARER
from year2026.paging import DEFAULT_LIMIT, InvalidCursor
from year2026.parameters import PageSize, ReaderLanguage, cursor_parameter, reader_language
from year2026.patching import present_fields
from year2026.people.enums import Region
from year2026.people.errors import NotAMember, OrganizationNotFound
from year2026.recurrence import InvalidRecurrence, UnknownTimeZone
from year2026.text_types import LINE_TEXT

EventCursor = Annotated[
    str | None, cursor_parameter(max(BY_START.max_cursor_length, BY_RELEVANCE.max_cursor_length))
]
#: every refusal of bad event fields (all 422, naming the field)
FIELD_ERRORS = [
    TitleRequired,
    EndsBeforeStart,
    TimeRequired,
    TooLong,
    RegionRequired,
    OnlineHasNoRegion,
    InvalidTag,
    CoordinatesIncomplete,
    InvalidRecurrence,
    UnknownTimeZone,
]
_CHANGE_ERRORS = [EventNotFound, NotAMember, SlugTaken, *FIELD_ERRORS]


class EventsController(Controller):
    path = "/events"
    tags = ["events"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @get(
        "/",
        summary="The Year's calendar: occurrences of public events, in start order",
        description="Recurring events appear once for each occurrence in the range. Without"
        " `from`, what has not ended yet. `q` searches titles, summaries, tags, descriptions"
        " and venues in Kazakh, Russian and English (PostgreSQL full-text search);"
        " `order=relevance` puts the best matches first.",
        opt={"errors": [InvalidCursor, DraftsNotVisible, InvalidAccessToken]},
        security=OPTIONAL_BEARER,
    )
    async def list_events(
        self,
        request: Request[Any, Any, Any],
        starts_from: Annotated[
            str | None, instant_parameter("from", "Occurrences that end after this instant.")
        ] = None,
        until: Annotated[
            str | None, instant_parameter("to", "Occurrences that start before this instant.")
        ] = None,
        category: FromQuery[EventCategory | None] = None,
        region: FromQuery[Region | None] = None,
        event_format: Annotated[EventFormat | None, QueryParameter(name="format")] = None,
        organization: FromQuery[uuid.UUID | None] = None,
        tag: Annotated[
            str | None, QueryParameter(min_length=1, max_length=40, pattern=LINE_TEXT)
        ] = None,
        language: Annotated[
            Language | None,
            QueryParameter(description="Only events whose title is written in this language."),
        ] = None,
        q: Annotated[
            str | None, QueryParameter(min_length=1, max_length=200, pattern=LINE_TEXT)
        ] = None,
        order: FromQuery[Literal["start", "relevance"]] = "start",
        drafts: Annotated[
            bool,
            QueryParameter(
                description="Drafts too: with `organization`, for its members and admins."
            ),
        ] = False,
        cursor: EventCursor = None,
        limit: PageSize = DEFAULT_LIMIT,
        lang: ReaderLanguage = None,
    ) -> EventPage:
        filters = EventFilters(
            starts_from=parse_instant("from", starts_from),
            until=parse_instant("to", until),
            category=category,
            region=region,
            format=event_format,
            organization_id=organization,
            tag=tag,
            language=language,
            q=q,
            with_drafts=drafts,
        )
        viewer = await authenticate(request) if drafts else None
        return await catalogue.list_events(
            filters,
            reader_language(request, lang),
            by_relevance=order == "relevance",
            cursor=cursor,
            limit=limit,
            viewer_id=viewer.person_id if viewer else None,
        )

    @get(
        "/{event:str}",
        summary="One event by id or slug, in the reader's language, with its coming occurrences",
        description="A draft is found only by its organization's members and admins.",
        opt={"errors": [EventNotFound, InvalidAccessToken]},
        security=OPTIONAL_BEARER,
    )
    async def show(
        self, request: Request[Any, Any, Any], event: EventReference, lang: ReaderLanguage = None
    ) -> EventDetail:
        viewer = await authenticate(request)
        return await catalogue.view_event(
            event,
            viewer.person_id if viewer else None,
            reader_language(request, lang),
            request.app.state.settings.effective_public_url,
        )

    @get(
        "/{event:str}/record",
        guards=[requires_signed_in],
        summary="The whole event in every language, for its organizer",
        opt={"errors": [EventNotFound, NotAMember]},
    )
    async def record(
        self, principal: NamedDependency[Principal], event: EventReference
    ) -> EventRecord:
        return await services.get_event_record(principal.person_id, event)

    @post(
        "/",
        guards=[requires_signed_in],
        summary="Create a draft event for an organization (its members and admins)",
        opt={"errors": [NotAMember, OrganizationNotFound, SlugTaken, *FIELD_ERRORS]},
    )
    async def create(
        self, principal: NamedDependency[Principal], data: JSONBody[EventCreate]
    ) -> EventRecord:
        return await services.create_event(principal.person_id, data)

    @patch(
        "/{event:str}",
        guards=[requires_signed_in],
        summary="Change an event (absent fields stay as they are)",
        opt={"errors": _CHANGE_ERRORS},
    )
    async def update(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        data: JSONBody[EventUpdate],
    ) -> EventRecord:
        return await services.update_event(principal.person_id, event, present_fields(data))

    @post(
        "/{event:str}/publish",
        guards=[requires_signed_in],
        status_code=HTTP_200_OK,
        summary="Publish a draft (or a postponed event that has its new time)",
        opt={"errors": [EventNotFound, NotAMember, StatusChangeRefused]},
    )
    async def publish(
        self, principal: NamedDependency[Principal], event: EventReference
    ) -> EventRecord:
        return await services.publish_event(principal.person_id, event)

    @post(
        "/{event:str}/postpone",
        guards=[requires_signed_in],
        status_code=HTTP_200_OK,
        summary="Postpone a public event to a new time, or to a date to be announced",
        opt={"errors": [*_CHANGE_ERRORS, StatusChangeRefused, ReasonRequired]},
    )
    async def postpone(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        data: JSONBody[Postponement],
    ) -> EventRecord:
        return await services.postpone_event(principal.person_id, event, data)

    @post(
        "/{event:str}/cancel",
        guards=[requires_signed_in],
        status_code=HTTP_200_OK,
        summary="Cancel a public event, with a reason (it stays listed, as cancelled)",
        opt={"errors": [EventNotFound, NotAMember, StatusChangeRefused, ReasonRequired]},
    )
    async def cancel(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        data: JSONBody[StatusReason],
    ) -> EventRecord:
        return await services.cancel_event(principal.person_id, event, data)

    @patch(
        "/{event:str}/occurrences/{occurrence_id:uuid}",
        guards=[requires_signed_in],
        summary="Move, cancel or restore one occurrence of a recurring event",
        opt={
            "errors": [
                EventNotFound,
                OccurrenceNotFound,
                NotAMember,
                NotRecurring,
                EndsBeforeStart,
                TooLong,
            ]
        },
    )
    async def change_occurrence(
        self,
        principal: NamedDependency[Principal],
        event: EventReference,
        occurrence_id: FromPath[uuid.UUID],
        data: JSONBody[OccurrenceChange],
    ) -> OccurrenceView:
        return await services.change_occurrence(principal.person_id, event, occurrence_id, data)
