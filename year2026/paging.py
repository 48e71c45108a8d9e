"""Keyset paging with cursors that carry the sort key itself.

A page ends at its last row, and the cursor for the next page holds that row's sort key (not its
id). The next page starts after that position whether or not the row is still there, so a removed
or changed row never ends a listing early, and no second query has to look the key up.

A listing declares its key once, as a `Keyset`: the columns it is sorted by (the last one unique,
e.g. `(starts_at, id)`), in SQL and in the result rows. The same declaration writes the `ORDER BY`,
the "after the cursor" condition and the cursor, so the three cannot disagree. Each page is one
statement that fetches `limit + 1` rows: the extra row only says that there is a next page.

Cursors are opaque to clients: base64url (no padding) of a MessagePack array
`[version, listing, *key]`. One that does not decode to exactly this listing's key (garbage, a
cursor of another listing or version, wrong types or count) is `InvalidCursor`, a 400. They are not
signed: a forged cursor only moves the start of a listing that its caller may read anyway.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

import msgspec
from piccolo.querystring import QueryString

from year2026.exceptions import DomainError
from year2026.i18n import Language, Texts

#: rows a page holds when the client does not say, and at most
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
#: what a cursor is made of (base64url without padding); also its query parameter's pattern
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"
#: the layout of the cursor's contents; a new layout gets a new number, and old cursors fail
#: cleanly (a client starts its listing again) instead of being misread
CURSOR_VERSION = 1

KeyValue = uuid.UUID | datetime | str | int
KeyType = type[uuid.UUID] | type[datetime] | type[str] | type[int]
Row = TypeVar("Row", bound=Mapping[str, Any])

_BIGINT = msgspec.Meta(ge=-(2**63), le=2**63 - 1)
_CURSOR_CHARACTERS = re.compile(CURSOR_PATTERN)
#: the most bytes one key value takes in MessagePack (uuid: bin 16; datetime: timestamp 96)
_PACKED_SIZE: dict[KeyType, int] = {uuid.UUID: 18, datetime: 15, int: 9}
_encoder = msgspec.msgpack.Encoder(uuid_format="bytes")


class InvalidCursor(DomainError):
    """A `cursor` that none of our listings handed out (or not this listing).

    Deliberately of no category in `year2026.errors`: like any malformed query parameter, it is
    answered 400 Bad Request."""

    code = "invalid-cursor"
    messages: ClassVar[Texts] = {
        Language.KK: "Бет курсоры жарамсыз. Тізімді басынан ашыңыз.",
        Language.RU: "Недействительный курсор страницы. Откройте список с начала.",
        Language.EN: "The page cursor is not valid. Open the list from its start.",
    }


@dataclass(frozen=True)
class KeyColumn:
    """One column of a sort key."""

    #: the column as the listing's SQL names it, e.g. `m.added_at`
    sql: str
    #: what the value is: uuid, datetime (timezone-aware, kept to the microsecond), str or int
    kind: KeyType
    #: for `str`: the most characters the column holds, which bounds the cursor's length
    max_length: int = 0
    #: the value's name in a result row; by default the column's name without its table alias
    row_field: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?", self.sql):
            raise ValueError(f"a key column is a plain (table.)column name, not {self.sql!r}")
        if self.kind not in (uuid.UUID, datetime, str, int):
            raise TypeError(f"a key column is a uuid, datetime, str or int, not {self.kind!r}")
        if (self.kind is str) != (self.max_length > 0):
            raise ValueError("a str key column needs its max_length (and only a str one)")
        if not self.row_field:
            object.__setattr__(self, "row_field", self.sql.rpartition(".")[2])

    @property
    def decoded_type(self) -> Any:
        """The type a cursor's value must decode to, with its bounds."""
        if self.kind is str:
            return Annotated[str, msgspec.Meta(max_length=self.max_length)]
        if self.kind is datetime:
            return Annotated[datetime, msgspec.Meta(tz=True)]
        if self.kind is int:
            return Annotated[int, _BIGINT]
        return uuid.UUID

    @property
    def packed_size(self) -> int:
        if self.kind is str:
            return _packed_str_size(4 * self.max_length)  # four UTF-8 bytes a character at most
        return _PACKED_SIZE[self.kind]

    def check(self, value: object) -> KeyValue:
        """`value`, if it is of this column's kind; a programming error otherwise."""
        # a naive time means different instants to different readers
        naive = isinstance(value, datetime) and value.tzinfo is None
        too_long = isinstance(value, str) and len(value) > self.max_length
        of_kind = isinstance(value, self.kind) and type(value) is not bool
        if of_kind and not (naive or too_long) and isinstance(value, KeyValue):
            return value
        raise TypeError(f"{self.sql}: {value!r} is not a {self.kind.__name__} key value")


@dataclass(frozen=True)
class Page(Generic[Row]):
    """The rows of one page, and the cursor of the next one (None on the last page)."""

    rows: list[Row]
    next_cursor: str | None


@dataclass(frozen=True)
class Keyset:
    """How one listing is sorted and paged; declared once, next to its query."""

    #: the listing's name, written into its cursors so that another listing's are refused
    listing: str
    columns: tuple[KeyColumn, ...]
    #: newest first and the like: every column descending (keyset order is all one way)
    descending: bool = False
    _decoder: msgspec.msgpack.Decoder[tuple[Any, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if not self.columns or len(self.columns) > 8:
            raise ValueError("a keyset has one to eight columns")
        layout = (Literal[CURSOR_VERSION], Literal[self.listing])
        layout += tuple(column.decoded_type for column in self.columns)
        object.__setattr__(self, "_decoder", msgspec.msgpack.Decoder(tuple[layout]))  # type: ignore[valid-type]

    @property
    def max_cursor_length(self) -> int:
        """The longest cursor this listing hands out (for the query parameter's bound)."""
        # array header, version, listing, key values
        packed = 1 + 1 + _packed_str_size(len(self.listing.encode()))
        packed += sum(column.packed_size for column in self.columns)
        return -(-packed * 4 // 3)

    def encode(self, key: Sequence[object]) -> str:
        if len(key) != len(self.columns):
            raise ValueError(f"{self.listing}: a key of {len(self.columns)} values, not {key!r}")
        values = [column.check(value) for column, value in zip(self.columns, key, strict=True)]
        packed = _encoder.encode([CURSOR_VERSION, self.listing, *values])
        return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")

    def decode(self, cursor: str) -> tuple[KeyValue, ...]:
        """The key a cursor of this listing carries; `InvalidCursor` for anything else."""
        if len(cursor) > self.max_cursor_length or not _CURSOR_CHARACTERS.fullmatch(cursor):
            raise InvalidCursor
        try:
            packed = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            decoded = self._decoder.decode(packed)
        except (binascii.Error, ValueError):  # msgspec's DecodeError is a ValueError too
            raise InvalidCursor from None
        return tuple(decoded[2:])

    def cursor_of(self, row: Mapping[str, Any]) -> str:
        return self.encode([row[column.row_field] for column in self.columns])

    def after(self, cursor: str | None) -> QueryString:
        """The SQL condition "after the cursor's position" (TRUE without a cursor)."""
        if cursor is None:
            return QueryString("TRUE")
        key = self.decode(cursor)
        names = ", ".join(column.sql for column in self.columns)
        placeholders = ", ".join("{}" for _ in self.columns)
        comparison = "<" if self.descending else ">"
        return QueryString(f"({names}) {comparison} ({placeholders})", *key)

    def order_and_limit(self, limit: int) -> QueryString:
        """`ORDER BY` the key, `LIMIT` one row more than the page holds."""
        direction = " DESC" if self.descending else ""
        order = ", ".join(f"{column.sql}{direction}" for column in self.columns)
        return QueryString(f"ORDER BY {order} LIMIT {{}}", page_size(limit) + 1)

    def page(self, rows: Sequence[Row], limit: int) -> Page[Row]:
        """One page out of the `limit + 1` rows fetched with `order_and_limit(limit)`."""
        size = page_size(limit)
        if len(rows) <= size:
            return Page(rows=list(rows), next_cursor=None)
        return Page(rows=list(rows[:size]), next_cursor=self.cursor_of(rows[size - 1]))


def _packed_str_size(utf8_bytes: int) -> int:
    """MessagePack's size for a string of this many bytes: fixstr, str8, str16 or str32 header."""
    header = next(size for size, most in ((1, 31), (2, 255), (3, 65535)) if utf8_bytes <= most)
    return header + utf8_bytes


def page_size(limit: int) -> int:
    """`limit` within 1…MAX_LIMIT (the API refuses others; services called directly clamp)."""
    return max(1, min(limit, MAX_LIMIT))


__all__ = [
    "CURSOR_PATTERN",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "InvalidCursor",
    "KeyColumn",
    "Keyset",
    "Page",
    "page_size",
]
