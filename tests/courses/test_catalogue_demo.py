"""The platform's demo brings the courses along: loaded once, its organizer a member of both
providers (so that they can try the providers' side)."""

from __future__ import annotations

import httpx

from courses.demo import DEMO_COURSES, PROVIDERS
from courses.tables import Course
from year2026.demo import DEMO_ACCOUNTS, load_demo_data
from year2026.people import queries
from year2026.people.enums import Role
from year2026.settings import Settings


async def test_platform_demo_loads_the_courses_once_for_its_organizer(
    client: httpx.AsyncClient, clean_state: Settings
) -> None:
    first = await load_demo_data()
    again = await load_demo_data()

    assert first.links == again.links
    assert ("AI basics", "/courses/ai-basics-for-everyone") in first.links
    assert await Course.count() == len(DEMO_COURSES)
    organizer = next(account for account in DEMO_ACCOUNTS if account.role is Role.ORGANIZER)
    row = await queries.person_row_by_email(organizer.email)
    assert row is not None
    for provider in PROVIDERS:
        assert await queries.is_member(row["id"], provider["id"])
    listed = (await client.get("/courses")).json()["items"]
    assert len(listed) == len(DEMO_COURSES)
