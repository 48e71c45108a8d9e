"""HTTP of the event calendar's feeds: every public event (filtered by query), one event, one
programme session. The calendars' platform writes, caches and serves them; this says which."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, route
from litestar.params import FromQuery, PathParameter, QueryParameter

from events import calendar_items
from events.enums import EventCategory, EventFormat
from year2026.calendar.controllers import calendar_parts, feed_store
from year2026.calendar.errors import FeedNotFound
from year2026.calendar.feeds import items_feed, listing_feed
from year2026.calendar.http import FEED_RESPONSES, MEDIA_TYPE, FeedTerms, feed_response
from year2026.calendar.parts import CalendarContext
from year2026.calendar.store import StoredFeed
from year2026.i18n import Language
from year2026.parameters import ReaderLanguage, reader_language
from year2026.people.enums import Region
from year2026.settings import Settings
from year2026.text_types import LINE_TEXT

EventFile = Annotated[
    str,
    PathParameter(
        min_length=5,
        max_length=124,
        pattern=r"^[A-Za-z0-9-]{1,120}\.ics$",
        description="`<event id or slug>.ics`",
    ),
]
SessionFile = Annotated[
    str,
    PathParameter(
        min_length=40,
        max_length=40,
        pattern=r"^[0-9a-fA-F-]{36}\.ics$",
        description="`<session id>.ics`",
    ),
]


def _respond(
    request: Request[Any, Any, Any], feed: StoredFeed, filename: str, lang: Language | None
) -> Response[bytes]:
    settings: Settings = request.app.state.settings
    terms = FeedTerms(
        private=False,
        max_age=settings.feed_refresh_minutes * 60,
        filename=filename,
        varies_by_language=lang is None,
    )
    return feed_response(request, feed, terms)


class EventFeedsController(Controller):
    path = "/feeds"
    tags = ["calendars"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @route(
        "/events.ics",
        http_method=["GET", "HEAD"],
        media_type=MEDIA_TYPE,
        responses=FEED_RESPONSES,
        summary="The Year's public events as a calendar to subscribe to (filters optional)",
        description="Every public event (recurring ones as series), cancelled ones as"
        " STATUS:CANCELLED for a while; with `sessions=true` their programme sessions too.",
    )
    async def events_feed(
        self,
        request: Request[Any, Any, Any],
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
        sessions: Annotated[
            bool, QueryParameter(description="Programme sessions too, each its own item.")
        ] = False,
        lang: ReaderLanguage = None,
    ) -> Response[bytes]:
        query = {
            name: str(value)
            for name, value in (
                ("category", category),
                ("region", region),
                ("format", event_format),
                ("organization", organization),
                ("tag", tag.lower() if tag else None),
                ("language", language),
            )
            if value is not None
        }
        if sessions:
            query["sessions"] = "true"
        feed = await listing_feed(
            "events",
            query,
            reader_language(request, lang),
            parts=calendar_parts(request),
            settings=request.app.state.settings,
            store=feed_store(request),
        )
        return _respond(request, feed, "year2026-events.ics", lang)

    @route(
        "/events/{file:str}",
        http_method=["GET", "HEAD"],
        media_type=MEDIA_TYPE,
        responses=FEED_RESPONSES,
        summary="One public event as a calendar, with its programme sessions",
        opt={"errors": [FeedNotFound]},
    )
    async def event_feed(
        self,
        request: Request[Any, Any, Any],
        file: EventFile,
        sessions: Annotated[
            bool, QueryParameter(description="Its programme sessions too (the default).")
        ] = True,
        lang: ReaderLanguage = None,
    ) -> Response[bytes]:
        reference = file.removesuffix(".ics")
        language = reader_language(request, lang)

        async def items(context: CalendarContext) -> Any:
            return await calendar_items.event_feed(reference, language, sessions, context)

        feed = await items_feed(
            f"event:{reference}:{language.value}:{int(sessions)}",
            items,
            settings=request.app.state.settings,
            store=feed_store(request),
        )
        if feed is None:
            raise FeedNotFound
        return _respond(request, feed, f"{reference}.ics", lang)

    @route(
        "/sessions/{file:str}",
        http_method=["GET", "HEAD"],
        media_type=MEDIA_TYPE,
        responses=FEED_RESPONSES,
        summary="One programme session of a public event as a calendar",
        opt={"errors": [FeedNotFound]},
    )
    async def session_feed(
        self, request: Request[Any, Any, Any], file: SessionFile, lang: ReaderLanguage = None
    ) -> Response[bytes]:
        try:
            session_id = uuid.UUID(file.removesuffix(".ics"))
        except ValueError:
            raise FeedNotFound from None
        language = reader_language(request, lang)

        async def items(context: CalendarContext) -> Any:
            return await calendar_items.session_feed(session_id, language, context)

        feed = await items_feed(
            f"session:{session_id}:{language.value}",
            items,
            settings=request.app.state.settings,
            store=feed_store(request),
        )
        if feed is None:
            raise FeedNotFound
        return _respond(request, feed, f"session-{session_id}.ics", lang)
