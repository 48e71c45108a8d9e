"""Counting the SQL statements a piece of code sends, for the query-count tests of listings.

Every statement of ours goes through the Piccolo engine (`run_querystring`, `run_ddl`), which
numbers each one it runs, logged or not (`get_query_id`). The difference of that number around a
block is how many statements the block sent, in a pool, a transaction or a new connection alike
(a transaction's own BEGIN and COMMIT are not counted).
`tests/support/test_statements_selfcheck.py` proves that the count is exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from year2026.db import get_engine


@dataclass
class StatementCount:
    value: int = 0


@contextmanager
def counting_statements() -> Iterator[StatementCount]:
    """`with counting_statements() as count: ...`, then `count.value`; the code inside must be
    the only user of the engine meanwhile (true of one in-process request)."""
    engine = get_engine()
    start = engine.query_id
    count = StatementCount()
    try:
        yield count
    finally:
        count.value = engine.query_id - start
