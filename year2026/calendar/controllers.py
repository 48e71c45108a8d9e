"""HTTP of the private feed (`/feeds/private/{token}.ics`) and of its address under `/me`.

Parse, guard, call one service, translate. The feed store and the domains' calendar parts are
the app's (`app.state.feed_store`, `app.state.calendar_parts`).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post, route
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from year2026.calendar import private
from year2026.calendar.errors import FeedNotFound, NoCalendarFeed
from year2026.calendar.http import FEED_RESPONSES, MEDIA_TYPE, FeedTerms, feed_response
from year2026.calendar.parts import CalendarParts
from year2026.calendar.private import FeedAddress
from year2026.calendar.schemas import (
    CalendarFeedAddress,
    CalendarFeedState,
    CalendarFeedUpdate,
    feed_links,
)
from year2026.calendar.store import FeedStore
from year2026.guards import Principal, requires_signed_in
from year2026.parameters import ReaderLanguage
from year2026.settings import Settings

ICS_FILE = r"^[A-Za-z0-9_-]{1,120}\.ics$"
FeedFile = Annotated[
    str,
    PathParameter(min_length=5, max_length=124, pattern=ICS_FILE, description="`<token>.ics`"),
]


def feed_store(request: Request[Any, Any, Any]) -> FeedStore:
    store: FeedStore = request.app.state.feed_store
    return store


def calendar_parts(request: Request[Any, Any, Any]) -> CalendarParts:
    parts: CalendarParts = request.app.state.calendar_parts
    return parts


class PrivateFeedController(Controller):
    path = "/feeds/private"
    tags = ["calendars"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @route(
        "/{file:str}",
        http_method=["GET", "HEAD"],
        media_type=MEDIA_TYPE,
        responses=FEED_RESPONSES,
        summary="My private calendar: what I registered for (subscribe with its address)",
        description="The address comes from `POST /me/calendar-feed`. Texts are in `lang`, else"
        " in the person's language. An unknown or revoked address is 404.",
        opt={"errors": [FeedNotFound]},
    )
    async def private_feed(
        self, request: Request[Any, Any, Any], file: FeedFile, lang: ReaderLanguage = None
    ) -> Response[bytes]:
        settings: Settings = request.app.state.settings
        feed = await private.private_feed(
            file.removesuffix(".ics"),
            lang,
            parts=calendar_parts(request),
            settings=settings,
            store=feed_store(request),
        )
        if feed is None:
            raise FeedNotFound
        terms = FeedTerms(
            private=True,
            max_age=settings.feed_refresh_minutes * 60,
            filename="year2026-my-calendar.ics",
            varies_by_language=False,
        )
        return feed_response(request, feed, terms)


def _address(settings: Settings, feed: FeedAddress) -> CalendarFeedAddress:
    links = feed_links(settings.effective_public_url, f"/feeds/private/{feed.token}.ics")
    return CalendarFeedAddress(
        https_url=links.https_url,
        webcal_url=links.webcal_url,
        reminder_minutes=feed.reminder_minutes,
        created_at=feed.created_at,
    )


def _state(feed: FeedAddress) -> CalendarFeedState:
    return CalendarFeedState(reminder_minutes=feed.reminder_minutes, created_at=feed.created_at)


class MyCalendarFeedController(Controller):
    path = "/me/calendar-feed"
    tags = ["calendars"]  # noqa: RUF012
    guards = [requires_signed_in]  # noqa: RUF012

    @get(
        "/",
        summary="Whether I have a private calendar address, and my reminder",
        opt={"errors": [NoCalendarFeed]},
    )
    async def show(self, principal: NamedDependency[Principal]) -> CalendarFeedState:
        feed = await private.calendar_feed_of(principal.person_id)
        if feed is None:
            raise NoCalendarFeed
        return _state(feed)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="A new private calendar address (the previous one stops working at once)",
    )
    async def create(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> CalendarFeedAddress:
        feed = await private.new_calendar_feed(principal.person_id, feed_store(request))
        return _address(request.app.state.settings, feed)

    @patch(
        "/",
        summary="Set the reminder before each item of my private calendar",
        opt={"errors": [NoCalendarFeed]},
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[CalendarFeedUpdate],
    ) -> CalendarFeedState:
        feed = await private.set_calendar_reminder(
            principal.person_id, data.reminder_minutes, feed_store(request)
        )
        if feed is None:
            raise NoCalendarFeed
        return _state(feed)

    @delete(
        "/",
        status_code=HTTP_204_NO_CONTENT,
        summary="Stop my private calendar address",
        opt={"errors": [NoCalendarFeed]},
    )
    async def revoke(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> None:
        if not await private.revoke_calendar_feed(principal.person_id, feed_store(request)):
            raise NoCalendarFeed
