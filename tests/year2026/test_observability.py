"""Log lines: the access line of a request, written straight to the log stream in JSON, says what
any JSON line written through structlog and logging says, and the request id the answer
carries."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
import structlog

from year2026.observability import RequestContextMiddleware, configure_logging
from year2026.settings import Settings


@pytest.fixture
def json_log(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Logging configured for JSON lines into a string (and back to the tests' own after)."""
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    configure_logging(msgspec.structs.replace(settings, log_format="json", log_level="info"))
    yield stream
    monkeypatch.undo()
    configure_logging(settings)


async def _answer(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


async def test_an_access_line_has_the_keys_of_every_json_line_and_the_answers_request_id(
    json_log: io.StringIO,
) -> None:
    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": "/feeds/private/SECRET.ics", "headers": []}
    await RequestContextMiddleware(_answer)(scope, receive, send)
    with structlog.contextvars.bound_contextvars(request_id="another-request"):
        structlog.get_logger("year2026.elsewhere").info("something", detail=1)

    access, other = [json.loads(line) for line in json_log.getvalue().splitlines()]
    answered_id = dict(sent[0]["headers"])[b"x-request-id"].decode()
    assert {name: access[name] for name in ("event", "method", "path", "status", "level")} == {
        "event": "request",
        "method": "GET",
        "path": "/feeds/private/…",
        "status": 204,
        "level": "info",
    }
    assert (access["request_id"], access["logger"]) == (answered_id, "year2026.access")
    assert set(access) - {"method", "path", "status", "duration_ms"} == set(other) - {"detail"}
    stamps = [dt.datetime.fromisoformat(line["timestamp"]) for line in (access, other)]
    assert [stamp.utcoffset() for stamp in stamps] == [dt.timedelta(0)] * 2
    assert "SECRET" not in json_log.getvalue()
