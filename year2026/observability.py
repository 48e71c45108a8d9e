"""Structured JSON logs and the request id that ties a request's log lines and errors together."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import TextIO

import msgspec
import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from year2026.settings import Settings

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_NAME = REQUEST_ID_HEADER.lower().encode()
_REQUEST_ID_KEY = "year2026.request_id"
# A caller's id is kept only if it is short and plain, so it cannot inject anything into logs.
_ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

access_log = structlog.get_logger("year2026.access")
_ACCESS_LOGGER = "year2026.access"


class _AccessLines:
    """Where JSON access lines go straight (`configure_logging` says): the log handler, whose
    stream and lock they share; None: through structlog, as every other line."""

    handler: logging.StreamHandler[TextIO] | None = None


_access_lines = _AccessLines()

#: paths whose last segment is a secret (a private feed's token): logged without it
_SECRET_PATH = re.compile(r"^(/feeds/private/)[^/]*$")


def loggable_path(path: str) -> str:
    """`path` as logs may show it: a private feed's address names its token, which is as good
    as the feed itself, so it is cut out."""
    return _SECRET_PATH.sub(r"\1…", path)


#: the id of the HTTP request being served (None outside requests: the worker, the CLI); what
#: the audit log writes beside each change
_current_request_id: ContextVar[str | None] = ContextVar("year2026_request_id", default=None)


def configure_logging(settings: Settings) -> None:
    """JSON lines on stderr (or readable lines for a person), for ours and for libraries' logs."""
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if settings.log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        # lines below the level are dropped before any processor runs (an access line a request)
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(settings.log_level.upper())
    # the access line, one a request, is the hottest line there is: in JSON it is written
    # straight to the stream the handler writes to, as the handler would write it (the same
    # keys), instead of through structlog's processors and logging's handler chain
    straight = settings.log_format == "json"
    _access_lines.handler = (
        handler
        if straight and logging.getLogger(_ACCESS_LOGGER).isEnabledFor(logging.INFO)
        else None
    )
    # uvicorn's own access lines would duplicate ours, without the request id
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error", "arq"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True


def current_request_id() -> str | None:
    """The id of the request this code runs for, or None outside any request."""
    return _current_request_id.get()


def request_id_of(scope: Scope) -> str | None:
    state = scope.get("state") or {}
    value = state.get(_REQUEST_ID_KEY)
    return value if isinstance(value, str) else None


def incoming_request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _ACCEPTABLE_REQUEST_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


def _log_access(
    request_id: str, method: str | None, path: str, status: int, duration_ms: float
) -> None:
    handler = _access_lines.handler
    if handler is None:
        access_log.info("request", method=method, path=path, status=status, duration_ms=duration_ms)
        return
    line = {
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": duration_ms,
        "event": "request",
        "request_id": request_id,
        "level": "info",
        "logger": _ACCESS_LOGGER,
        "timestamp": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
    }
    text = msgspec.json.encode(line).decode() + "\n"
    with handler.lock or contextlib.nullcontext():
        handler.stream.write(text)
        handler.stream.flush()


class RequestContextMiddleware:
    """Gives every request an id (the caller's `X-Request-ID` or a new one), returns it, and logs
    one access line per request. Pure ASGI so that it costs little on every request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope)
        scope.setdefault("state", {})[_REQUEST_ID_KEY] = request_id
        started = time.perf_counter()
        status: dict[str, int] = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
                headers = list(message.get("headers", ()))
                if all(bytes(name).lower() != _REQUEST_ID_NAME for name, _ in headers):
                    headers.append((_REQUEST_ID_NAME, request_id.encode()))
                    message["headers"] = headers
            await send(message)

        context = _current_request_id.set(request_id)
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                _current_request_id.reset(context)
                _log_access(
                    request_id,
                    scope.get("method"),
                    loggable_path(scope.get("path", "")),
                    status["code"],
                    round((time.perf_counter() - started) * 1000, 2),
                )
