"""The path parameter that names a course, for every controller under `/courses/{course}`."""

from __future__ import annotations

from typing import Annotated

from litestar.params import PathParameter

from year2026.text_types import LINE_TEXT

CourseReference = Annotated[
    str,
    PathParameter(
        min_length=1, max_length=120, pattern=LINE_TEXT, description="The course's id, or its slug."
    ),
]
