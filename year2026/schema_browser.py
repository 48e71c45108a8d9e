"""The schema browser at /schema: Swagger UI served from our own origin, never from a CDN.

Swagger UI's files come from the `swagger-ui-bundle-v2` wheel (the npm `swagger-ui-dist` files,
pinned with their hashes in uv.lock); the page has no inline script or style, and its own
Content-Security-Policy lets it load only what we serve. Swagger UI was kept over Scalar (which
Litestar also offers) because it is the one whose files come packaged for Python.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from importlib.abc import Traversable
from importlib.resources import files
from typing import Any

from litestar import Request, Response, Router, get
from litestar.datastructures import ResponseHeader
from litestar.exceptions import NotFoundException
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.params import FromPath
from swagger_ui_bundle import swagger_ui_path

from year2026.response_headers import public_cache

SCHEMA_PATH = "/schema"
#: what the page may load: our own scripts, styles and schema; Swagger UI's icons are data: URIs
SCHEMA_PAGE_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
_ASSET_HANDLER = "year2026.schema-asset"


@dataclass(frozen=True)
class _Asset:
    source: Traversable
    media_type: str


#: every file the page loads, and nothing else of the package (its demo page, its OAuth2 redirect)
_ASSETS = {
    "swagger-ui-bundle.js": _Asset(swagger_ui_path / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": _Asset(swagger_ui_path / "swagger-ui.css", "text/css"),
    "schema-browser.js": _Asset(
        files("year2026") / "static" / "schema-browser.js", "text/javascript"
    ),
}


@functools.cache
def _asset_bytes(name: str) -> bytes:
    return _ASSETS[name].source.read_bytes()


@get(
    "/assets/{file:str}",
    name=_ASSET_HANDLER,
    include_in_schema=False,
    sync_to_thread=False,
    cache_control=public_cache(3600),
)
def schema_asset(file: FromPath[str]) -> Response[bytes]:
    asset = _ASSETS.get(file)
    if asset is None:
        raise NotFoundException
    return Response(_asset_bytes(file), media_type=asset.media_type)


class SchemaBrowser(OpenAPIRenderPlugin):
    """The page at /schema, and the files it loads under /schema/assets/."""

    def __init__(self) -> None:
        super().__init__(path="/")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        def asset(file: str) -> str:
            return html.escape(request.app.route_reverse(_ASSET_HANDLER, file=file))

        title = html.escape(str(openapi_schema["info"]["title"]))
        schema_url = html.escape(self.get_openapi_json_route(request))
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{asset("swagger-ui.css")}">
<script src="{asset("swagger-ui-bundle.js")}" defer></script>
<script src="{asset("schema-browser.js")}" defer></script>
</head>
<body>
<div id="swagger-ui" data-openapi-url="{schema_url}"></div>
</body>
</html>
""".encode()

    def receive_router(self, router: Router) -> None:
        router.register(schema_asset)


def schema_router() -> Router:
    """The router the schema, its page and the page's files are served under, with the page's
    own Content-Security-Policy (the API's default would forbid its scripts)."""
    return Router(
        SCHEMA_PATH,
        route_handlers=[],
        include_in_schema=False,
        response_headers=[
            ResponseHeader(
                name="Content-Security-Policy", value=SCHEMA_PAGE_CONTENT_SECURITY_POLICY
            )
        ],
    )
