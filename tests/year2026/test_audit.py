"""The audit log: written with the change or not at all, only the changed fields, append-only in
the database, read by admins (and only admins, per the database) with filters and keyset pages."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest

from tests.support import people
from tests.support.http import assert_problem
from tests.support.state import reset_state
from tests.support.statements import counting_statements
from year2026.audit import changed_fields, json_safe, record_change
from year2026.audit_listing import AuditFilters, list_audit_entries
from year2026.audit_tables import AuditEntry
from year2026.db import get_engine
from year2026.observability import current_request_id
from year2026.people.enums import Role
from year2026.people.errors import RoleRequired
from year2026.people.tables import Organization, RoleGrant
from year2026.settings import Settings

ASTANA_HUB = {
    "name_kk": "Astana Hub халықаралық технопаркі",
    "name_ru": "Международный технопарк Astana Hub",
    "name_en": "Astana Hub International Technopark",
    "kind": "tech-park",
    "region": "astana",
    "website": "https://astanahub.com",
}


class Status(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


async def stored_entries() -> list[dict[str, Any]]:
    """Every entry, oldest first, its JSON read back as Python values."""
    rows = await AuditEntry.raw(
        "SELECT id, occurred_at, actor, action, object_type, object_id, before, after, request_id"
        " FROM audit_entry ORDER BY occurred_at, id"
    )
    for row in rows:
        for side in ("before", "after"):
            row[side] = None if row[side] is None else msgspec.json.decode(row[side])
    return list(rows)


def as_listed(row: dict[str, Any]) -> dict[str, Any]:
    """A stored entry as the admin listing shows it."""
    return {
        "id": row["id"],
        "occurred_at": msgspec.to_builtins(row["occurred_at"]),
        "actor_id": None if row["actor"] is None else str(row["actor"]),
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "before": row["before"],
        "after": row["after"],
        "request_id": row["request_id"],
    }


async def record(**overrides: Any) -> None:
    """One entry, in a transaction of its own."""
    fields: dict[str, Any] = {
        "actor_id": None,
        "action": "event.publish",
        "object_type": "event",
        "object_id": uuid.uuid4(),
        "before": {"status": "draft"},
        "after": {"status": "published"},
        **overrides,
    }
    async with get_engine().transaction():
        await record_change(**fields)


# the diff ---------------------------------------------------------------------------------------


def test_changed_fields_keeps_only_what_differs_json_safe() -> None:
    event_id = uuid.uuid4()
    before = {
        "id": event_id,
        "starts_at": dt.datetime(2026, 6, 1, 5, 0, tzinfo=dt.UTC),
        "day": dt.date(2026, 6, 1),
        "status": Status.DRAFT,
        "price": Decimal("10.50"),
        "venue": {"name": "Expo", "hall": 1},
        "tags": ["ai", "forum"],
        "removed": "x",
    }
    after = {
        "id": event_id,
        "starts_at": dt.datetime(2026, 6, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        "day": dt.date(2026, 6, 1),
        "status": Status.PUBLISHED,
        "price": Decimal("12.00"),
        "venue": {"name": "Expo", "hall": 2},
        "tags": ["ai", "forum"],
        "added": None,
    }
    assert changed_fields(before, after) == (
        {
            "starts_at": "2026-06-01T05:00:00Z",
            "status": "draft",
            "price": "10.50",
            "venue": {"name": "Expo", "hall": 1},
            "removed": "x",
        },
        {
            "starts_at": "2026-06-02T10:00:00+05:00",
            "status": "published",
            "price": "12.00",
            "venue": {"name": "Expo", "hall": 2},
            "added": None,
        },
    )


def test_changed_fields_tells_numbers_and_booleans_apart() -> None:
    # in Python 1 == 1.0 == True; as JSON they are three different values
    assert changed_fields({"a": 1, "b": 1, "c": 0}, {"a": True, "b": 1.0, "c": 0}) == (
        {"a": 1, "b": 1},
        {"a": True, "b": 1.0},
    )


def test_changed_fields_of_a_created_object_is_all_of_it() -> None:
    assert changed_fields(None, {"name": "GITEX", "sets": {3, 1, 2}}) == (
        {},
        {"name": "GITEX", "sets": [1, 2, 3]},
    )


def test_changed_fields_of_equal_states_is_nothing() -> None:
    state = {"tags": {"b", "a"}, "at": dt.date(2026, 1, 1)}
    assert changed_fields(state, {"tags": {"a", "b"}, "at": dt.date(2026, 1, 1)}) == ({}, {})


def test_json_safe_refuses_what_json_cannot_say() -> None:
    with pytest.raises(TypeError):
        json_safe({"handle": object()})


# writing --------------------------------------------------------------------------------------


async def test_record_change_writes_exactly_the_changed_fields(clean_state: Settings) -> None:
    actor_id = uuid.uuid4()
    event_id = uuid.uuid4()
    async with get_engine().transaction():
        await record_change(
            actor_id=actor_id,
            action="event.postpone",
            object_type="event",
            object_id=event_id,
            before={
                "status": Status.PUBLISHED,
                "starts_at": dt.datetime(2026, 6, 1, 5, 0, tzinfo=dt.UTC),
                "title_en": "GITEX Central Asia",
            },
            after={
                "status": "postponed",
                "starts_at": dt.datetime(2026, 9, 1, 5, 0, tzinfo=dt.UTC),
                "title_en": "GITEX Central Asia",
            },
        )
    [entry] = await stored_entries()
    assert {name: value for name, value in entry.items() if name not in ("id", "occurred_at")} == {
        "actor": actor_id,
        "action": "event.postpone",
        "object_type": "event",
        "object_id": str(event_id),
        "before": {"status": "published", "starts_at": "2026-06-01T05:00:00Z"},
        "after": {"status": "postponed", "starts_at": "2026-09-01T05:00:00Z"},
        # no HTTP request here (as in the worker or the CLI)
        "request_id": None,
    }


async def test_record_change_without_a_transaction_is_a_programming_error(
    clean_state: Settings,
) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        await record_change(
            actor_id=None,
            action="event.publish",
            object_type="event",
            object_id="e1",
            before={"status": "draft"},
            after={"status": "published"},
        )
    assert await stored_entries() == []


async def test_record_change_of_nothing_changed_writes_no_entry(clean_state: Settings) -> None:
    await record(before={"status": "draft"}, after={"status": "draft"})
    assert await stored_entries() == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"action": "publish"},  # no object type in front
        {"action": "Event.Publish"},
        {"object_type": "event type"},
        {"object_id": "with space"},
        {"object_id": "x" * 201},
        {"before": None, "after": None},
    ],
)
async def test_record_change_refuses_malformed_entries(
    clean_state: Settings, overrides: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match="audit"):
        await record(**overrides)
    assert await stored_entries() == []


async def _create_organization_row(name_en: str) -> uuid.UUID:
    organization_id = uuid.uuid4()
    await Organization.insert(
        Organization(id=organization_id, **{**ASTANA_HUB, "name_en": name_en})
    )
    await record_change(
        actor_id=None,
        action="organization.create",
        object_type="organization",
        object_id=organization_id,
        before=None,
        after={"name_en": name_en},
    )
    return organization_id


async def test_committed_transaction_keeps_the_change_and_its_entry(clean_state: Settings) -> None:
    # the control for the rollback below: the same work, committed, leaves both
    async with get_engine().transaction():
        organization_id = await _create_organization_row("Kept")
    assert await Organization.count() == 1
    assert [(row["object_id"], row["after"]) for row in await stored_entries()] == [
        (str(organization_id), {"name_en": "Kept"})
    ]


async def test_rolled_back_transaction_leaves_neither_change_nor_entry(
    clean_state: Settings,
) -> None:
    class Abandoned(Exception):
        pass

    async def change_then_fail() -> None:
        async with get_engine().transaction():
            await _create_organization_row("Gone")
            raise Abandoned

    with pytest.raises(Abandoned):
        await change_then_fail()
    assert await Organization.count() == 0
    assert await stored_entries() == []


async def test_entries_of_one_transaction_keep_their_order(clean_state: Settings) -> None:
    """clock_timestamp(), not the transaction's now(): the second change is later."""
    async with get_engine().transaction():
        await record_change(
            actor_id=None,
            action="event.create",
            object_type="event",
            object_id="e1",
            before=None,
            after={"status": "draft"},
        )
        await record_change(
            actor_id=None,
            action="event.publish",
            object_type="event",
            object_id="e1",
            before={"status": "draft"},
            after={"status": "published"},
        )
    first, second = await stored_entries()
    assert (first["action"], second["action"]) == ("event.create", "event.publish")
    assert first["occurred_at"] < second["occurred_at"]


# append-only ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        'UPDATE audit_entry SET after = \'{"status": "draft"}\'',
        "DELETE FROM audit_entry",
        # refused as a statement, even where it would touch no row
        "DELETE FROM audit_entry WHERE false",
    ],
)
async def test_database_refuses_to_change_or_remove_entries(
    clean_state: Settings, statement: str
) -> None:
    await record()
    before = await stored_entries()
    connection = await asyncpg.connect(clean_state.effective_database_url)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await connection.execute(statement)
    finally:
        await connection.close()
    assert await stored_entries() == before


async def test_test_harness_still_empties_the_log(clean_state: Settings) -> None:
    await record()
    assert len(await stored_entries()) == 1
    await reset_state(clean_state)  # TRUNCATE is left possible
    assert await stored_entries() == []


# the admin listing ----------------------------------------------------------------------------


async def test_admin_lists_entries_newest_first_with_every_field(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    await record(actor_id=admin.person_id, object_id="e1")
    await record(action="event.cancel", object_id="e2", after={"status": "cancelled"})
    response = await client.get("/admin/audit", headers=admin.headers)
    assert response.status_code == 200, response.text
    stored = await stored_entries()
    assert response.json() == {
        "items": [as_listed(row) for row in reversed(stored)],
        "next_cursor": None,
    }
    assert [item["object_id"] for item in response.json()["items"]] == ["e2", "e1"]


async def _listed(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> list[str]:
    response = await client.get("/admin/audit", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["object_id"] for item in response.json()["items"]]


async def test_admin_listing_filters(client: httpx.AsyncClient, settings: Settings) -> None:
    admin = await people.admin(settings)
    someone = uuid.uuid4()
    await record(actor_id=someone, object_id="e1")
    await record(object_id="e2", action="event.cancel", after={"status": "cancelled"})
    await record(object_type="organization", object_id="e1", action="organization.update")
    await record(actor_id=someone, object_id="e3")
    times = [row["occurred_at"] for row in await stored_entries()]
    headers = admin.headers
    assert await _listed(client, headers, actor=str(someone)) == ["e3", "e1"]
    assert await _listed(client, headers, object_type="organization") == ["e1"]
    assert await _listed(client, headers, object_id="e1") == ["e1", "e1"]
    assert await _listed(client, headers, object_type="event", object_id="e1") == ["e1"]
    assert await _listed(client, headers, action="event.cancel") == ["e2"]
    assert await _listed(client, headers, action="event.publish") == ["e3", "e1"]
    # from is included, to is not
    period = {"from": times[1].isoformat(), "to": times[3].isoformat()}
    assert await _listed(client, headers, **period) == ["e1", "e2"]
    assert await _listed(client, headers, **{"from": times[3].isoformat()}) == ["e3"]
    assert await _listed(client, headers, to=times[1].isoformat()) == ["e1"]
    # the same instant written with another offset
    almaty = times[3].astimezone(dt.timezone(dt.timedelta(hours=5))).isoformat()
    assert await _listed(client, headers, **{"from": almaty}) == ["e3"]
    assert await _listed(client, headers, actor=str(someone), action="event.cancel") == []
    # a period that ends before it starts holds nothing
    backwards = {"from": times[3].isoformat(), "to": times[0].isoformat()}
    assert await _listed(client, headers, **backwards) == []


async def test_admin_listing_pages_without_gaps_or_repeats_at_one_instant(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    await record(object_id="oldest")
    async with get_engine().transaction():
        # now() is the transaction's start: seven entries at one and the same instant
        for number in range(7):
            await AuditEntry.raw(
                "INSERT INTO audit_entry (occurred_at, action, object_type, object_id, after)"
                " VALUES (now(), 'event.create', 'event', {}, jsonb_build_object())",
                f"same-{number}",
            )
    await record(object_id="newest")
    stored = await stored_entries()
    assert len({row["occurred_at"] for row in stored}) == 3
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/admin/audit", params=params, headers=admin.headers)).json()
        seen.extend(item["object_id"] for item in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["newest", *(f"same-{n}" for n in reversed(range(7))), "oldest"]
    assert pages == 5


async def test_admin_listing_pages_within_its_filters(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    for number in range(3):
        await record(object_id=f"e{number}")
        await record(object_id=f"o{number}", object_type="organization")
    first = await client.get(
        "/admin/audit", params={"object_type": "organization", "limit": "2"}, headers=admin.headers
    )
    cursor = first.json()["next_cursor"]
    second = await client.get(
        "/admin/audit",
        params={"object_type": "organization", "limit": "2", "cursor": cursor},
        headers=admin.headers,
    )
    assert [item["object_id"] for item in first.json()["items"]] == ["o2", "o1"]
    assert second.json()["items"][0]["object_id"] == "o0"
    assert second.json()["next_cursor"] is None


async def test_citizen_and_staff_cannot_read_the_log(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await record()
    for roles in ([], [Role.STAFF]):
        person = await people.signed_in_person(settings, roles=roles)
        response = await client.get("/admin/audit", headers=person.headers)
        assert_problem(response, 403, "role-required")
    assert_problem(await client.get("/admin/audit"), 401, "not-authenticated")


async def test_revoked_admin_with_an_admin_token_is_refused_by_the_service(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    await record()
    assert (await client.get("/admin/audit", headers=admin.headers)).status_code == 200
    await RoleGrant.delete().where(RoleGrant.person == admin.person_id)
    # the token still says admin, so the guard lets the request through; the service asks
    response = await client.get("/admin/audit", headers=admin.headers)
    assert_problem(response, 403, "role-required")
    with pytest.raises(RoleRequired):
        await list_audit_entries(admin.person_id, AuditFilters())


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-06-01T10:00:00"},  # naive: which instant?
        {"to": "1780000000"},  # Unix seconds are not RFC 3339
        {"from": "2026-02-30T00:00:00Z"},  # no such day
        {"from": "0000-12-31T00:00:00Z"},  # no year 0 in Python
        {"to": "2026-06-01 10:00:00Z"},
        {"actor": "someone"},
        {"action": "publish"},
        {"object_type": "Event"},
        {"object_id": "with space"},
        {"limit": "0"},
        {"cursor": "bm90IG91cnM"},
    ],
)
async def test_admin_listing_bad_parameters_are_bad_requests(
    client: httpx.AsyncClient, settings: Settings, params: dict[str, str]
) -> None:
    admin = await people.admin(settings)
    response = await client.get("/admin/audit", params=params, headers=admin.headers)
    assert_problem(response, 400)


async def test_admin_listing_period_at_the_ends_of_time(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Instants that do not fit in UTC's years 1–9999 still bound a period (before or after
    every entry), rather than overflowing on the way to PostgreSQL."""
    admin = await people.admin(settings)
    await record(object_id="e1")
    earliest, latest = "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"
    assert await _listed(client, admin.headers, **{"from": earliest}) == ["e1"]
    assert await _listed(client, admin.headers, to=latest) == ["e1"]
    assert await _listed(client, admin.headers, **{"from": latest}) == []
    assert await _listed(client, admin.headers, to=earliest) == []


@pytest.mark.parametrize("count", [1, 3])
async def test_admin_listing_statements_do_not_grow_with_the_page(
    client: httpx.AsyncClient, settings: Settings, count: int
) -> None:
    """The caller's roles (asked of the database) and the page: two statements."""
    admin = await people.admin(settings)
    for _ in range(count):
        await record()
    # the first request also reads the token's generation (then cached in Redis)
    assert (await client.get("/admin/audit", headers=admin.headers)).status_code == 200
    with counting_statements() as statements:
        response = await client.get("/admin/audit", headers=admin.headers)
    assert len(response.json()["items"]) == count
    assert statements.value == 2


async def test_admin_listing_is_documented_with_free_form_before_and_after(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    operation = schema["paths"]["/admin/audit"]["get"]
    assert sorted(parameter["name"] for parameter in operation["parameters"]) == [
        "action",
        "actor",
        "cursor",
        "from",
        "limit",
        "object_id",
        "object_type",
        "to",
    ]
    content = operation["responses"]["200"]["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/AuditPage"}
    record_schema = schema["components"]["schemas"]["AuditRecord"]
    for side in ("before", "after"):
        assert record_schema["properties"][side]["oneOf"] == [
            {"type": "object", "additionalProperties": {}},
            {"type": "null"},
        ]
    period = next(p for p in operation["parameters"] if p["name"] == "from")["schema"]
    assert period["format"] == "date-time"


# the request id and the first users -----------------------------------------------------------


async def test_entry_carries_the_request_id_of_the_request_that_made_the_change(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    created = await client.post(
        "/organizations",
        json=ASTANA_HUB,
        headers={**admin.headers, "X-Request-ID": "audit-test.create-1"},
    )
    assert created.status_code == 201, created.text
    updated = await client.patch(
        f"/organizations/{created.json()['id']}",
        json={"website": "https://hub.kz"},
        headers=admin.headers,
    )
    assert updated.status_code == 200, updated.text
    assert [row["request_id"] for row in await stored_entries()] == [
        "audit-test.create-1",
        updated.headers["x-request-id"],  # one the API made up
    ]
    # and it does not outlive its request
    assert current_request_id() is None


async def test_organization_create_and_update_are_recorded(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    created = (await client.post("/organizations", json=ASTANA_HUB, headers=admin.headers)).json()
    path = f"/organizations/{created['id']}"
    changes = {"website": "https://hub.kz", "region": None, "name_en": ASTANA_HUB["name_en"]}
    assert (await client.patch(path, json=changes, headers=admin.headers)).status_code == 200
    # the same values again change nothing, so nothing is recorded
    assert (await client.patch(path, json=changes, headers=admin.headers)).status_code == 200
    entries = await stored_entries()
    assert [
        (row["actor"], row["action"], row["object_type"], row["object_id"]) for row in entries
    ] == [
        (admin.person_id, "organization.create", "organization", created["id"]),
        (admin.person_id, "organization.update", "organization", created["id"]),
    ]
    assert [(row["before"], row["after"]) for row in entries] == [
        (None, ASTANA_HUB),
        (
            {"website": "https://astanahub.com", "region": "astana"},
            {"website": "https://hub.kz", "region": None},
        ),
    ]


async def test_organization_update_by_a_non_member_records_nothing(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    created = (await client.post("/organizations", json=ASTANA_HUB, headers=admin.headers)).json()
    stranger = await people.signed_in_person(settings)
    response = await client.patch(
        f"/organizations/{created['id']}", json={"website": ""}, headers=stranger.headers
    )
    assert_problem(response, 403, "not-a-member")
    assert [row["action"] for row in await stored_entries()] == ["organization.create"]


async def test_role_grant_and_revoke_are_recorded(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    person = await people.signed_in_person(settings)
    grants = f"/admin/people/{person.person_id}/roles"
    for role in ("staff", "admin", "admin"):  # the second admin grant changes nothing
        response = await client.post(grants, json={"role": role}, headers=admin.headers)
        assert response.status_code == 200, response.text
    for role in ("staff", "staff"):  # as does revoking a role no longer held
        response = await client.delete(f"{grants}/{role}", headers=admin.headers)
        assert response.status_code == 204, response.text
    entries = await stored_entries()
    assert [
        (row["actor"], row["action"], row["object_type"], row["object_id"]) for row in entries
    ] == [
        (admin.person_id, "role.grant", "person", str(person.person_id)),
        (admin.person_id, "role.grant", "person", str(person.person_id)),
        (admin.person_id, "role.revoke", "person", str(person.person_id)),
    ]
    assert [(row["before"], row["after"]) for row in entries] == [
        ({"roles": []}, {"roles": ["staff"]}),
        ({"roles": ["staff"]}, {"roles": ["admin", "staff"]}),
        ({"roles": ["admin", "staff"]}, {"roles": ["admin"]}),
    ]
    listed = await client.get(
        "/admin/audit", params={"object_id": str(person.person_id)}, headers=admin.headers
    )
    assert listed.json()["items"] == [as_listed(row) for row in reversed(entries)]


async def test_refused_revocation_records_nothing(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    response = await client.delete(
        f"/admin/people/{admin.person_id}/roles/admin", headers=admin.headers
    )
    assert_problem(response, 409, "last-admin")
    assert await stored_entries() == []


async def _blocked_until_released(
    settings: Settings, lock_sql: str, key: uuid.UUID, change_sql: str, request: Any
) -> httpx.Response:
    """Send `request` while another transaction holds the row lock `lock_sql` takes, make the
    change `change_sql` in that transaction, commit it, and return the request's answer."""
    connection = await asyncpg.connect(settings.effective_database_url)
    try:
        transaction = connection.transaction()
        await transaction.start()
        await connection.execute(lock_sql, key)
        pending = asyncio.ensure_future(request)
        await asyncio.sleep(0.3)
        # the service waits for the row before it reads what it will record as "before"
        assert not pending.done()
        await connection.execute(change_sql, key)
        await transaction.commit()
        return await pending
    finally:
        await connection.close()


async def test_role_grant_records_the_roles_it_found_under_the_lock(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Without the person's row lock, the grant would have read no roles and finished while the
    other transaction was still open; with it, "before" holds the staff role granted meanwhile."""
    admin = await people.admin(settings)
    person = await people.signed_in_person(settings)
    response = await _blocked_until_released(
        settings,
        "SELECT id FROM person WHERE id = $1 FOR NO KEY UPDATE",
        person.person_id,
        "INSERT INTO role_grant (id, person, role, granted_at)"
        " VALUES (gen_random_uuid(), $1, 'staff', now())",
        client.post(
            f"/admin/people/{person.person_id}/roles", json={"role": "admin"}, headers=admin.headers
        ),
    )
    assert response.status_code == 200, response.text
    assert [(row["before"], row["after"]) for row in await stored_entries()] == [
        ({"roles": ["staff"]}, {"roles": ["admin", "staff"]})
    ]


async def test_organization_update_records_what_it_changed_under_the_lock(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await people.admin(settings)
    created = (await client.post("/organizations", json=ASTANA_HUB, headers=admin.headers)).json()
    response = await _blocked_until_released(
        settings,
        "SELECT id FROM organization WHERE id = $1 FOR NO KEY UPDATE",
        uuid.UUID(created["id"]),
        "UPDATE organization SET website = 'https://meanwhile.kz' WHERE id = $1",
        client.patch(
            f"/organizations/{created['id']}",
            json={"website": "https://hub.kz"},
            headers=admin.headers,
        ),
    )
    assert response.status_code == 200, response.text
    assert [(row["before"], row["after"]) for row in await stored_entries()][1:] == [
        ({"website": "https://meanwhile.kz"}, {"website": "https://hub.kz"})
    ]
