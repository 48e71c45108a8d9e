"""Role guards refuse the wrong caller before the handler runs: 401 without a token, 403 without
the role (the token's roles are a fast first check; services check the database again)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import get
from litestar.di import NamedDependency

from tests.support import people
from tests.support.asgi import serving
from tests.support.http import PROBLEM, problem_of
from year2026.app import create_app
from year2026.guards import (
    Principal,
    requires_admin,
    requires_organizer,
    requires_signed_in,
    requires_staff,
)
from year2026.people.enums import Role
from year2026.people.tables import Membership, Organization
from year2026.settings import Settings


@get("/probe/citizen", guards=[requires_signed_in])
async def citizen_probe(principal: NamedDependency[Principal]) -> str:
    return str(principal.person_id)


@get("/probe/organizer", guards=[requires_organizer])
async def organizer_probe() -> str:
    return "organizer"


@get("/probe/staff", guards=[requires_staff])
async def staff_probe() -> str:
    return "staff"


@get("/probe/admin", guards=[requires_admin])
async def admin_probe() -> str:
    return "admin"


PROBES = [citizen_probe, organizer_probe, staff_probe, admin_probe]


@pytest.fixture
async def guarded(clean_state: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(create_app(clean_state, extra_route_handlers=PROBES)) as client:
        yield client


@pytest.mark.parametrize(
    "path", ["/probe/citizen", "/probe/organizer", "/probe/staff", "/probe/admin"]
)
async def test_guards_refuse_without_a_token(guarded: httpx.AsyncClient, path: str) -> None:
    response = await guarded.get(path)
    assert problem_of(response) == (401, PROBLEM, "not-authenticated")


async def test_citizen_passes_only_the_citizen_guard(
    guarded: httpx.AsyncClient, clean_state: Settings
) -> None:
    citizen = await people.signed_in_person(clean_state)
    statuses = {
        path: (await guarded.get(path, headers=citizen.headers)).status_code
        for path in ("/probe/citizen", "/probe/organizer", "/probe/staff", "/probe/admin")
    }
    assert statuses == {
        "/probe/citizen": 200,
        "/probe/organizer": 403,
        "/probe/staff": 403,
        "/probe/admin": 403,
    }
    refused = await guarded.get("/probe/staff", headers=citizen.headers)
    assert problem_of(refused) == (403, PROBLEM, "role-required")


async def test_staff_passes_the_staff_guard_only(
    guarded: httpx.AsyncClient, clean_state: Settings
) -> None:
    staff = await people.signed_in_person(clean_state, roles=[Role.STAFF])
    assert (await guarded.get("/probe/staff", headers=staff.headers)).status_code == 200
    assert (await guarded.get("/probe/admin", headers=staff.headers)).status_code == 403


async def test_admin_passes_the_admin_guard(
    guarded: httpx.AsyncClient, clean_state: Settings
) -> None:
    admin = await people.admin(clean_state)
    assert (await guarded.get("/probe/admin", headers=admin.headers)).status_code == 200
    assert (await guarded.get("/probe/staff", headers=admin.headers)).status_code == 403


async def test_guarded_operations_are_documented_with_bearer_auth(
    guarded: httpx.AsyncClient,
) -> None:
    schema = (await guarded.get("/schema/openapi.json")).json()
    operation = schema["paths"]["/probe/staff"]["get"]
    assert operation["security"] == [{"bearer": []}]
    assert {"401", "403"} <= set(operation["responses"])
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


async def test_member_of_an_organization_passes_the_organizer_guard(
    guarded: httpx.AsyncClient, clean_state: Settings
) -> None:
    person = await people.signed_in_person(clean_state)
    hub = Organization(
        name_kk="Astana Hub", name_ru="Astana Hub", name_en="Astana Hub", kind="tech-park"
    )
    await hub.save()
    await Membership.insert(Membership(organization=hub.id, person=person.person_id))
    organizer = await people.signed_in_again(clean_state, person)
    assert (await guarded.get("/probe/organizer", headers=organizer.headers)).status_code == 200
    # the token taken before the membership still says "citizen": refused until the next one
    assert (await guarded.get("/probe/organizer", headers=person.headers)).status_code == 403
