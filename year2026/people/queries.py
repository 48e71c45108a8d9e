"""Reusable reads about people, organizations and roles."""

from __future__ import annotations

import uuid
from typing import Any

from piccolo.query import WhereRaw

from year2026.people.enums import Role
from year2026.people.tables import Membership, Organization, Person, RoleGrant


async def person_row_by_email(email: str) -> dict[str, Any] | None:
    """The live (not erased) person with this email, compared case-insensitively."""
    row: dict[str, Any] | None = (
        await Person.select()
        .where(WhereRaw("lower(email) = lower({})", email), Person.erased_at.is_null())
        .first()
    )
    return row


async def person_row(person_id: uuid.UUID) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await Person.select().where(Person.id == person_id, Person.erased_at.is_null()).first()
    )
    return row


async def grant_role_once(
    person_id: uuid.UUID, role: Role, granted_by: uuid.UUID | None = None
) -> None:
    """Record the grant; a second grant of the same role changes nothing (and cannot race)."""
    await RoleGrant.raw(
        "INSERT INTO role_grant (id, person, role, granted_at, granted_by)"
        " VALUES ({}, {}, {}, now(), {}) ON CONFLICT (person, role) DO NOTHING",
        uuid.uuid4(),
        person_id,
        role.value,
        granted_by,
    )


async def organization_rows_of(person_id: uuid.UUID) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await Organization.select()
        .where(
            Organization.id.is_in(
                Membership.select(Membership.organization).where(Membership.person == person_id)
            )
        )
        .order_by(Organization.name_en)
    )
    return rows


async def is_member(person_id: uuid.UUID, organization_id: uuid.UUID) -> bool:
    return bool(
        await Membership.exists().where(
            Membership.person == person_id, Membership.organization == organization_id
        )
    )


async def token_facts(person_id: uuid.UUID) -> tuple[set[Role], int] | None:
    """What an access token says about a person: their roles and token generation (None when
    there is no such person). Inside a transaction the person's row stays share-locked until it
    ends, so a concurrent "sign out everywhere", which updates that row, waits for the token being
    issued and then revokes it too, instead of missing it."""
    rows = await Person.raw(
        "SELECT p.token_generation,"
        " coalesce((SELECT array_agg(role) FROM role_grant WHERE person = p.id),"
        " ARRAY[]::text[]) AS granted,"
        " EXISTS (SELECT 1 FROM membership WHERE person = p.id) AS member"
        " FROM person p WHERE p.id = {} FOR SHARE OF p",
        person_id,
    )
    if not rows:
        return None
    return _roles(rows[0]["granted"], rows[0]["member"]), int(rows[0]["token_generation"])


def _roles(granted: list[str], member: bool) -> set[Role]:
    roles = {Role.CITIZEN, *(Role(role) for role in granted)}
    if member:
        roles.add(Role.ORGANIZER)
    return roles


async def roles_of(person_id: uuid.UUID) -> set[Role]:
    """Everything the person may act as, from the database (the source of truth); one round trip,
    since every token and every organizer action asks."""
    rows = await RoleGrant.raw(
        "SELECT coalesce((SELECT array_agg(role) FROM role_grant WHERE person = {}),"
        " ARRAY[]::text[]) AS granted,"
        " EXISTS (SELECT 1 FROM membership WHERE person = {}) AS member",
        person_id,
        person_id,
    )
    return _roles(rows[0]["granted"], rows[0]["member"])
