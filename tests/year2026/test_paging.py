"""Keyset cursors: they carry the sort key of every supported type exactly, refuse anything they
did not make, and page a real table so that each row comes once, in order, whatever is removed."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest

from year2026.db import get_engine
from year2026.i18n import Language
from year2026.paging import CURSOR_VERSION, InvalidCursor, KeyColumn, Keyset, page_size
from year2026.people.tables import Person
from year2026.settings import Settings

ALMATY = timezone(timedelta(hours=5))
#: one of each kind of key column
EVERY_KIND = Keyset(
    "probe-every-kind",
    (
        KeyColumn("starts_at", datetime),
        KeyColumn("title", str, max_length=20),
        KeyColumn("rank", int),
        KeyColumn("id", uuid.UUID),
    ),
)
EVENTS = Keyset("probe-events", (KeyColumn("p.starts_at", datetime), KeyColumn("p.id", uuid.UUID)))
NEWEST_FIRST = Keyset(
    "probe-newest", (KeyColumn("p.starts_at", datetime), KeyColumn("p.id", uuid.UUID)), True
)
BY_TITLE = Keyset(
    "probe-titles", (KeyColumn("p.title", str, max_length=20), KeyColumn("p.rank", int))
)
KEY = (datetime(2026, 9, 14, 10, 0, 0, 123456, tzinfo=ALMATY), "Ашық күн", -7, uuid.uuid4())


def forged(*values: object) -> str:
    """What a client that read our cursors could make: base64url of a MessagePack array."""
    return base64.urlsafe_b64encode(msgspec.msgpack.encode(values)).rstrip(b"=").decode()


def test_cursor_carries_every_kind_of_key_exactly() -> None:
    decoded = EVERY_KIND.decode(EVERY_KIND.encode(KEY))
    assert decoded == KEY
    # the same instant, to the microsecond (told in UTC)
    assert decoded[0] == KEY[0]
    assert isinstance(decoded[0], datetime)
    assert (decoded[0].microsecond, decoded[0].utcoffset()) == (123456, timedelta(0))


def test_cursor_is_opaque_url_safe_text() -> None:
    cursor = EVERY_KIND.encode(KEY)
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert "Ашық" not in cursor
    assert str(KEY[3]) not in cursor


@pytest.mark.parametrize(
    "key",
    [
        (datetime(1, 1, 1, tzinfo=UTC), "", -(2**63), uuid.UUID(int=0)),
        (datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), "𝔸" * 20, 2**63 - 1, uuid.uuid4()),
    ],
    ids=["smallest", "largest"],
)
def test_cursor_of_extreme_keys_fits_the_bound(key: tuple[Any, ...]) -> None:
    cursor = EVERY_KIND.encode(key)
    assert EVERY_KIND.decode(cursor) == key
    assert len(cursor) <= EVERY_KIND.max_cursor_length


def test_cursor_of_the_longest_key_is_near_the_bound() -> None:
    """The bound is what the longest key takes, not a guess far above it."""
    key = (datetime(9999, 1, 1, 0, 0, 0, 1, tzinfo=UTC), "𝔸" * 20, 2**63 - 1, uuid.uuid4())
    assert EVERY_KIND.max_cursor_length - len(EVERY_KIND.encode(key)) < 2


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "A",  # not base64 at all (one character too many)
        "not a cursor",  # not base64url
        "Ашық",
        forged("garbage"),
        base64.urlsafe_b64encode(b"\xc1\xff\x00").decode().rstrip("="),  # not MessagePack
        forged(CURSOR_VERSION, "probe-every-kind", *KEY[:3]),
        forged(CURSOR_VERSION, "probe-every-kind", *KEY, 1),
        forged(CURSOR_VERSION, "probe-every-kind", KEY[0], KEY[1], "-7", KEY[3]),
        forged(CURSOR_VERSION, "probe-every-kind", KEY[0], KEY[1], True, KEY[3]),
        forged(CURSOR_VERSION, "probe-every-kind", KEY[0], KEY[1], 2**63, KEY[3]),
        forged(CURSOR_VERSION, "probe-every-kind", KEY[0], "x" * 21, KEY[2], KEY[3]),
        forged(CURSOR_VERSION, "probe-every-kind", KEY[0], KEY[1], KEY[2], "not-a-uuid"),
        forged(CURSOR_VERSION, "probe-every-kind", "2026-09-14T10:00:00", *KEY[1:]),
        forged(CURSOR_VERSION, "probe-every-kind", 1757826000, *KEY[1:]),
        forged(CURSOR_VERSION + 1, "probe-every-kind", *KEY),
        forged(CURSOR_VERSION, "probe-events", *KEY),
        EVERY_KIND.encode(KEY) + "AA",  # trailing bytes
        EVERY_KIND.encode(KEY) + "A" * EVERY_KIND.max_cursor_length,
    ],
    ids=[
        "empty",
        "not-base64",
        "not-base64url",
        "not-ascii",
        "garbage",
        "not-msgpack",
        "too-few-fields",
        "too-many-fields",
        "int-as-string",
        "bool-for-int",
        "int-out-of-range",
        "string-too-long",
        "not-a-uuid",
        "naive-datetime",
        "number-for-datetime",
        "another-version",
        "another-listing",
        "trailing-bytes",
        "too-long",
    ],
)
def test_decode_foreign_cursor_is_invalid(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        EVERY_KIND.decode(cursor)


def test_invalid_cursor_is_a_bad_request_in_three_languages() -> None:
    from year2026.errors import DOMAIN_STATUS

    assert not any(issubclass(InvalidCursor, kind) for kind in DOMAIN_STATUS)  # so: 400
    assert {language: InvalidCursor().message(language) for language in Language} == {
        Language.KK: "Бет курсоры жарамсыз. Тізімді басынан ашыңыз.",
        Language.RU: "Недействительный курсор страницы. Откройте список с начала.",
        Language.EN: "The page cursor is not valid. Open the list from its start.",
    }


@pytest.mark.parametrize(
    "key",
    [
        (KEY[0].replace(tzinfo=None), *KEY[1:]),  # naive: which instant?
        (KEY[0], KEY[1], True, KEY[3]),
        (KEY[0], KEY[1], "7", KEY[3]),
        (KEY[0], KEY[1], KEY[2], str(KEY[3])),
        (KEY[0], "x" * 21, KEY[2], KEY[3]),
        KEY[:3],
    ],
    ids=[
        "naive-datetime",
        "bool-for-int",
        "str-for-int",
        "str-for-uuid",
        "str-too-long",
        "too-few",
    ],
)
def test_encode_wrong_key_is_a_programming_error(key: tuple[Any, ...]) -> None:
    with pytest.raises((TypeError, ValueError)):
        EVERY_KIND.encode(key)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: KeyColumn("title", str), ValueError),
        (lambda: KeyColumn("rank", int, max_length=5), ValueError),
        (lambda: KeyColumn("starts_at DESC", datetime), ValueError),
        (lambda: KeyColumn("id); DROP TABLE person; --", uuid.UUID), ValueError),
        (lambda: KeyColumn("price", float), TypeError),
        (lambda: Keyset("empty", ()), ValueError),
    ],
    ids=["str-without-length", "length-on-int", "not-a-column", "injection", "float", "no-keys"],
)
def test_keyset_declaration_mistakes_fail_at_import(make: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        make()


def test_page_size_is_kept_within_bounds() -> None:
    assert [page_size(n) for n in (-5, 0, 1, 50, 200, 201, 10_000)] == [1, 1, 1, 50, 200, 200, 200]


# --- paging a real table ------------------------------------------------------------------------

T0 = datetime(2026, 9, 14, 10, 0, tzinfo=ALMATY)
#: three rows in each microsecond, so that the id decides ties and a lost microsecond shows
ROWS = [
    (T0 + timedelta(microseconds=n // 3), uuid.UUID(int=(n * 7919) % 1000 + 1), f"Т{n % 4}", n)
    for n in range(11)
]
Row = tuple[datetime, uuid.UUID, str, int]


@asynccontextmanager
async def probe_table() -> AsyncIterator[None]:
    """A temporary table holding ROWS, on one connection (a transaction), dropped at its end."""
    async with get_engine().transaction():
        await Person.raw(
            "CREATE TEMPORARY TABLE paging_probe (starts_at timestamptz NOT NULL, id uuid NOT NULL,"
            " title text NOT NULL, rank integer NOT NULL) ON COMMIT DROP"
        )
        for row in ROWS:
            await Person.raw("INSERT INTO paging_probe VALUES ({}, {}, {}, {})", *row)
        yield


async def page_of(keyset: Keyset, cursor: str | None, limit: int) -> tuple[list[Row], str | None]:
    """One page of the probe table, the way a listing service reads one: a single statement."""
    rows = await Person.raw(
        "SELECT p.starts_at, p.id, p.title, p.rank FROM paging_probe p WHERE {} {}",
        keyset.after(cursor),
        keyset.order_and_limit(limit),
    )
    page = keyset.page(rows, limit)
    found = [(row["starts_at"], row["id"], row["title"], row["rank"]) for row in page.rows]
    return found, page.next_cursor


async def every_page(keyset: Keyset, limit: int) -> list[list[Row]]:
    pages: list[list[Row]] = []
    cursor = None
    while len(pages) < 50:
        rows, cursor = await page_of(keyset, cursor, limit)
        pages.append(rows)
        if cursor is None:
            break
    return pages


def by_time(row: Row) -> tuple[datetime, uuid.UUID]:
    return (row[0], row[1])


@pytest.mark.parametrize(
    ("keyset", "expected"),
    [
        (EVENTS, sorted(ROWS, key=by_time)),
        (NEWEST_FIRST, sorted(ROWS, key=by_time, reverse=True)),
        (BY_TITLE, sorted(ROWS, key=lambda row: (row[2], row[3]))),
    ],
    ids=["datetime-uuid", "descending", "str-int"],
)
@pytest.mark.parametrize("limit", [1, 2, 4])
async def test_paging_returns_each_row_once_in_order(
    settings: Settings, keyset: Keyset, expected: list[Row], limit: int
) -> None:
    async with probe_table():
        pages = await every_page(keyset, limit)
    assert [row for page in pages for row in page] == expected
    # full pages but the last, and no empty page at the end
    assert [len(page) for page in pages[:-1]] == [limit] * (len(pages) - 1)
    assert 1 <= len(pages[-1]) <= limit


async def test_paging_goes_on_after_the_cursors_row_is_removed(settings: Settings) -> None:
    async with probe_table():
        first, cursor = await page_of(EVENTS, None, 4)
        await Person.raw("DELETE FROM paging_probe WHERE id IN ({}, {})", first[-1][1], first[0][1])
        rest, last = await page_of(EVENTS, cursor, 100)
    assert first + rest == sorted(ROWS, key=by_time)
    assert last is None


async def test_paging_exactly_full_last_page_says_there_is_no_next(settings: Settings) -> None:
    async with probe_table():
        pages = await every_page(EVENTS, len(ROWS))
    assert [len(page) for page in pages] == [len(ROWS)]
