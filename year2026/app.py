"""The app factory: the composition root that wires the platform and the domains together."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, MediaType, Request, Response
from litestar._openapi.plugin import handle_schema_path_not_found
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import (
    ImproperlyConfiguredException,
    NotFoundException,
    ValidationException,
)
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_204_NO_CONTENT
from litestar.types import ControllerRouterHandler, Scope

from courses.catalogue_controllers import CoursesController
from courses.catalogue_structure_controllers import CourseStructureController
from courses.cohort_controllers import CohortsController, create_cohort
from courses.enrolment_controllers import (
    EnrolInCohortController,
    EnrolInCourseController,
    MyEnrolmentsController,
)
from courses.learning_controllers import InstructorRecordsController, MyLearningController
from courses.provider_controllers import (
    CohortEnrolmentsController,
    CourseEnrolmentsController,
    list_cohort_enrolments,
    list_course_enrolments,
)
from events.check_in_controllers import CheckInsController
from events.controllers import EventsController
from events.feed_controllers import EventFeedsController
from events.programme_controllers import ProgrammeController, SessionsController
from events.registration_admin_controllers import AttendeesController, list_registrations
from events.registration_controllers import (
    EventRegistrationsController,
    MyRegistrationsController,
)
from year2026 import __doc__ as platform_description
from year2026.audit_controllers import AuditController
from year2026.auth.controllers import AuthController, JwksController, MeController
from year2026.auth.oidc_controller import OidcController
from year2026.auth.sessions import TokenIssuer
from year2026.calendar.controllers import MyCalendarFeedController, PrivateFeedController
from year2026.calendar.fast_path import FeedFastPath
from year2026.calendar.store import FeedStore
from year2026.db import database_pool
from year2026.domains import CALENDAR_PARTS, PERSONAL_DATA
from year2026.errors import EXCEPTION_HANDLERS
from year2026.guards import provide_principal
from year2026.health import HealthController
from year2026.observability import RequestContextMiddleware, configure_logging
from year2026.openapi import BEARER_SCHEME, ProblemResponsesPlugin, StrictStructSchemaPlugin
from year2026.people.controllers import RegionsController
from year2026.people.org_controllers import AdminController, OrganizationsController
from year2026.redis import open_redis
from year2026.request_checks import refuse_unreadable_json_body
from year2026.response_headers import ResponseCacheRefused, ResponseHeaders
from year2026.schema_browser import SchemaBrowser, schema_router
from year2026.seats import ClaimGate
from year2026.settings import Settings, get_settings

API_VERSION = "0.1.0"


def create_served_app() -> Litestar:
    """The app as `year2026 serve` runs it, in each of its processes: logging configured from
    the settings first (a process uvicorn spawns starts with none of its parent's)."""
    settings = get_settings()
    configure_logging(settings)
    return create_app(settings)


def create_app(
    settings: Settings | None = None,
    extra_route_handlers: Sequence[ControllerRouterHandler] = (),
) -> Litestar:
    """The API for `settings`; `extra_route_handlers` lets tests mount probes beside it."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def connections(app: Litestar) -> AsyncIterator[None]:
        app.state.token_issuer = TokenIssuer(settings)
        app.state.seat_gate = ClaimGate(
            per_pool=settings.seat_claims_per_pool, wait_seconds=settings.seat_claim_wait_seconds
        )
        async with database_pool(settings):
            app.state.redis = await open_redis(settings)  # connects on first use
            app.state.feed_store = FeedStore(app.state.redis)
            listening = asyncio.create_task(app.state.feed_store.listen())
            try:
                yield
            finally:
                app.state.feed_store.stop_listening()
                listening.cancel()  # (redis-py may swallow it while waiting for a message)
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(listening, 2)
                await app.state.redis.aclose()

    app = Litestar(
        route_handlers=[
            HealthController,
            JwksController,
            AuthController,
            OidcController,
            MeController,
            RegionsController,
            OrganizationsController,
            AdminController,
            ProgrammeController,
            SessionsController,
            AuditController,
            EventsController,
            EventRegistrationsController,
            MyRegistrationsController,
            AttendeesController,
            list_registrations,  # after EventRegistrationsController: it joins that path
            CheckInsController,
            EventFeedsController,
            PrivateFeedController,
            MyCalendarFeedController,
            CoursesController,
            CourseStructureController,
            CohortsController,
            CohortEnrolmentsController,
            CourseEnrolmentsController,
            MyLearningController,
            InstructorRecordsController,
            # they hold the enrolment paths the providers' listings join
            EnrolInCohortController,
            EnrolInCourseController,
            MyEnrolmentsController,
            # plain handlers after every controller: they join paths other controllers hold
            create_cohort,
            list_cohort_enrolments,
            list_course_enrolments,
            *extra_route_handlers,
        ],
        dependencies={"principal": Provide(provide_principal)},
        before_request=check_request,
        lifespan=[connections],
        exception_handlers=EXCEPTION_HANDLERS,
        # the fast path inside: it has the request id and access line, and the same headers
        middleware=[RequestContextMiddleware, FeedFastPath],
        # a hook, not middleware, so that it also sees the answers to unmatched routes
        before_send=[ResponseHeaders(settings)],
        plugins=[ProblemResponsesPlugin(), StrictStructSchemaPlugin(), ResponseCacheRefused()],
        openapi_config=OpenAPIConfig(
            title="year2026 API",
            version=API_VERSION,
            description=platform_description,
            openapi_router=schema_router(),
            components=Components(
                security_schemes={
                    BEARER_SCHEME: SecurityScheme(
                        type="http",
                        scheme="bearer",
                        bearer_format="JWT",
                        description="An access token from /auth/sign-in or /auth/refresh",
                    )
                }
            ),
            render_plugins=[SchemaBrowser()],
        ),
        request_max_body_size=settings.max_body_bytes,
        state=State(
            {
                "settings": settings,
                "personal_data": PERSONAL_DATA,
                "calendar_parts": CALENDAR_PARTS,
            }
        ),
        debug=False,
        # logging is configured once per process by the CLI (JSON lines with the request id)
        logging_config=None,
    )
    _complete_options_allow(app)
    _schema_paths_not_found_as_problems(app)
    _remember_query_names(app)
    _refuse_other_before_request_hooks(app)
    return app


def _refuse_other_before_request_hooks(app: Litestar) -> None:
    """Litestar runs only the closest `before_request` hook, so a controller or handler with a
    hook of its own would silently skip `check_request` (the unknown-query, 415 and bad-bytes
    checks): refuse to start instead."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler, _ in route.route_handler_map.values():
            if handler.resolve_before_request() is not check_request:
                raise ImproperlyConfiguredException(
                    f"{route.path}: a before_request hook of its own would skip check_request;"
                    " call check_request from it, or do the work in the handler"
                )


_QUERY_NAMES = "year2026.query_names"


def _remember_query_names(app: Litestar) -> None:
    """Note on each handler the query parameters it reads, for `refuse_unknown_query`."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler, kwargs_model in route.route_handler_map.values():
            if "query" in kwargs_model.expected_reserved_kwargs or handler.opt.get("open_query"):
                continue  # it takes whatever query parameters come (e.g. a provider's redirect)
            names = {param.field_alias for param in kwargs_model.expected_query_params}
            handler.opt[_QUERY_NAMES] = frozenset(names)


async def check_request(request: Request[Any, Any, Any]) -> None:
    """What every request must pass before its handler's parameters are read."""
    await refuse_unknown_query(request)
    await refuse_unreadable_json_body(request)


async def refuse_unknown_query(request: Request[Any, Any, Any]) -> None:
    """A query parameter no operation reads is a mistake (a typo, an outdated client): say so
    with a 400 rather than answer as if it had not been sent."""
    known: frozenset[str] | None = request.route_handler.opt.get(_QUERY_NAMES)
    if known is None:
        return
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ValidationException(
            detail="Unknown query parameter",
            extra=[
                {"source": "query", "key": name, "message": "Unknown query parameter"}
                for name in unknown[:10]
            ],
        )


def _complete_options_allow(app: Litestar) -> None:
    """Litestar 2 builds the automatic OPTIONS answer for the first handler registered on a path,
    so its `Allow` misses the methods of the handlers added after it (litestar#4169, fixed in
    v3). Point each one at the finished route's methods."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "OPTIONS" not in route.route_handler_map:
            continue
        handler = route.route_handler_map["OPTIONS"][0]
        if handler.fn.__name__ != "options_handler":
            continue  # an OPTIONS handler of our own
        allow = ", ".join(sorted(route.methods))

        def options_handler(scope: Scope, allow: str = allow) -> Response[None]:
            return Response(
                content=None,
                status_code=HTTP_204_NO_CONTENT,
                headers={"Allow": allow},
                media_type=MediaType.TEXT,
            )

        handler._fn = options_handler  # type: ignore[assignment] # Litestar's own is sync too


def _schema_paths_not_found_as_problems(app: Litestar) -> None:
    """Litestar answers an unknown path under /schema with an HTML page of its own: make it the
    404 problem every other unknown path gets."""

    def not_found(path: str = "/") -> None:
        raise NotFoundException

    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler, _ in route.route_handler_map.values():
            original: object = handler.fn
            if original is handle_schema_path_not_found:
                handler._fn = not_found  # type: ignore[assignment] # sync, as the original
