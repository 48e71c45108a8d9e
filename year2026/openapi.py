"""The OpenAPI schema tells the whole truth about errors, so clients and schemathesis can trust it.

Every operation documents the problem responses it can give: 400, 500 and 503 always (any
operation refuses a query parameter it does not read, and PostgreSQL or Redis can be away); 413
with a body, and 415 with a JSON body (nothing else is read as JSON); 404 with path parameters;
401 with a signed-in caller, 403 as well when guarded; plus the domain errors it declares with
`opt={"errors": [...]}` (Litestar's `raises` takes HTTP errors only). Only the operations that
read an access token say they need one.
"""

from __future__ import annotations

from http import HTTPStatus

import msgspec
from litestar._openapi.schema_generation import SchemaCreator
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Schema
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute
from litestar.typing import FieldDefinition

from year2026.errors import DOMAIN_STATUS, PROBLEM_MEDIA_TYPE, Problem
from year2026.exceptions import DomainError
from year2026.request_checks import takes_json_body

BEARER_SCHEME = "bearer"
#: a public read that shows more with a token (drafts to their organizers); one sent must be valid
OPTIONAL_BEARER: list[dict[str, list[str]]] = [{}, {BEARER_SCHEME: []}]


def problem_spec(status: int) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        description=f"{HTTPStatus(status).phrase} (RFC 9457 problem details)",
        media_type=PROBLEM_MEDIA_TYPE,
        generate_examples=False,
    )


def takes_bearer_token(handler: HTTPRouteHandler) -> bool:
    """Whether the operation reads the caller's access token: it is guarded (here or by its
    controller or router) or it takes the `principal`. Sign-in and refresh answer 401 too, for
    bad credentials, yet need no token."""
    return bool(handler.resolve_guards()) or "principal" in handler.parsed_fn_signature.parameters


def error_statuses(handler: HTTPRouteHandler, path_parameters: bool) -> set[int]:
    statuses = {400, 500, 503}
    parameters = handler.parsed_fn_signature.parameters
    if "data" in parameters:
        statuses.add(413)
    if takes_json_body(handler):
        statuses.add(415)
    if path_parameters:
        statuses.add(404)
    if handler.resolve_guards():
        statuses.update({401, 403})
    if "principal" in parameters:
        statuses.add(401)
    declared: tuple[type[DomainError], ...] = tuple(handler.opt.get("errors", ()))
    for error in declared:
        statuses.update(code for kind, code in DOMAIN_STATUS.items() if issubclass(error, kind))
    for http_error in handler.raises or ():
        statuses.add(int(http_error.status_code))
    return statuses


class ProblemResponsesPlugin(ReceiveRoutePlugin):
    """Adds the problem responses to each operation as its route is registered."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            documented: dict[int, ResponseSpec] = {
                status: problem_spec(status)
                for status in error_statuses(handler, bool(route.path_parameters))
            }
            documented.update(handler.responses or {})
            handler.responses = documented
            if takes_bearer_token(handler) and not handler.security:
                handler.security = [{BEARER_SCHEME: []}]
            # Litestar would document `raises` with its own error body; ours above replaces it
            handler.raises = []


class StrictStructSchemaPlugin(StructSchemaPlugin):
    """Structs that refuse unknown fields say so (`additionalProperties: false`); Litestar's own
    plugin leaves it out, and clients would think extra fields are accepted."""

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        info = msgspec.inspect.type_info(field_definition.type_)
        if isinstance(info, msgspec.inspect.StructType) and info.forbid_unknown_fields:
            schema.additional_properties = False
        return schema
