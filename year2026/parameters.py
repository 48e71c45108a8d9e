"""Query and path parameters every domain's controllers declare the same way."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.params import QueryParameter

from year2026.i18n import Language, requested_language
from year2026.paging import CURSOR_PATTERN, MAX_LIMIT

ReaderLanguage = Annotated[
    Language | None,
    QueryParameter(
        description="The language to read texts in (else Accept-Language); a text missing in it"
        " falls back to Kazakh, Russian, English, and says which it is in."
    ),
]
PageSize = Annotated[
    int, QueryParameter(ge=1, le=MAX_LIMIT, description=f"How many at most (1–{MAX_LIMIT}).")
]


def cursor_parameter(max_length: int) -> QueryParameter:
    """For `Annotated[str | None, cursor_parameter(KEYSET.max_cursor_length)]`."""
    return QueryParameter(
        min_length=1,
        max_length=max_length,
        pattern=CURSOR_PATTERN,
        description="The previous page's `next_cursor` (opaque); without it, the first page.",
    )


def reader_language(request: Request[Any, Any, Any], lang: Language | None) -> Language:
    """The language a person reads the answer in: `lang`, else Accept-Language, else Kazakh."""
    return requested_language(lang, request.headers.get("accept-language"))
