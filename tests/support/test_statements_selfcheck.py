"""The statement counter counts exactly what is sent: through the pool, in a transaction, raw."""

from __future__ import annotations

from tests.support.statements import counting_statements
from year2026.db import get_engine
from year2026.people.tables import Organization, Person
from year2026.settings import Settings


async def test_counting_statements_counts_each_statement_once(clean_state: Settings) -> None:
    with counting_statements() as none:
        pass
    with counting_statements() as three:
        await Person.count()
        await Organization.raw("SELECT 1")
        async with get_engine().transaction():
            await Person.select().where(Person.display_name == "nobody")
    assert (none.value, three.value) == (0, 3)
