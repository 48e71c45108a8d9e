"""The path parameter that names an event, for every controller under `/events/{event}`."""

from __future__ import annotations

from typing import Annotated

from litestar.params import PathParameter

from year2026.text_types import LINE_TEXT

EventReference = Annotated[
    str,
    PathParameter(
        min_length=1, max_length=120, pattern=LINE_TEXT, description="The event's id, or its slug."
    ),
]
