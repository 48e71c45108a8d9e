"""Granting and revoking roles (staff, admin), and looking people up for it.

Only admins act here, and that is checked against the database on every call. A change shows in
the person's next access token (tokens carry roles for their short life); services that matter
re-check the database anyway, so a revoked admin cannot act on a token issued before.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

import msgspec

from year2026.audit import record_change
from year2026.db import get_engine
from year2026.exceptions import InvalidInput
from year2026.i18n import Language, Texts
from year2026.people import queries
from year2026.people.enums import GRANTABLE_ROLES, Role
from year2026.people.errors import LastAdmin, PersonNotFound, RoleRequired
from year2026.people.organizations import require_admin
from year2026.people.tables import Person, RoleGrant


class RoleNotGrantable(InvalidInput):
    """citizen comes with an account and organizer with a membership: neither is granted."""

    code = "role-not-grantable"
    messages: ClassVar[Texts] = {
        Language.KK: "«{role}» рөлі қолмен берілмейді: тек staff пен admin беріледі.",
        Language.RU: "Роль «{role}» не выдаётся вручную: выдаются только staff и admin.",
        Language.EN: "The “{role}” role is not granted by hand: only staff and admin are.",
    }


class PersonRoles(msgspec.Struct, frozen=True, kw_only=True):
    """A person as an admin sees them when managing roles."""

    id: uuid.UUID
    display_name: str
    email: str
    roles: list[Role]


def _require_grantable(role: Role) -> None:
    if role not in GRANTABLE_ROLES:
        raise RoleNotGrantable(role=role.value)


async def _person_roles(row: dict[str, Any]) -> PersonRoles:
    return PersonRoles(
        id=row["id"],
        display_name=row["display_name"],
        email=row["email"] or "",
        roles=sorted(await queries.roles_of(row["id"])),
    )


async def _live_person(person_id: uuid.UUID) -> dict[str, Any]:
    row = await queries.person_row(person_id)
    if row is None:
        raise PersonNotFound
    return row


async def find_person(actor_id: uuid.UUID, email: str) -> PersonRoles:
    """An admin looks a person up by the email of their account."""
    await require_admin(actor_id)
    row = await queries.person_row_by_email(email.strip())
    if row is None:
        raise PersonNotFound
    return await _person_roles(row)


async def _locked_grants(person_id: uuid.UUID) -> list[str]:
    """The roles granted to the person, whose row stays locked until the transaction ends: one
    person's grants and revocations happen (and are audited) one after another."""
    await Person.raw("SELECT id FROM person WHERE id = {} FOR NO KEY UPDATE", person_id)
    rows = await RoleGrant.select(RoleGrant.role).where(RoleGrant.person == person_id)
    return sorted(row["role"] for row in rows)


async def grant_role(actor_id: uuid.UUID, person_id: uuid.UUID, role: Role) -> PersonRoles:
    """Give the person `role` (staff or admin); granting a role they hold changes nothing."""
    await require_admin(actor_id)
    _require_grantable(role)
    row = await _live_person(person_id)
    async with get_engine().transaction():
        granted = await _locked_grants(person_id)
        await queries.grant_role_once(person_id, role, granted_by=actor_id)
        await record_change(
            actor_id=actor_id,
            action="role.grant",
            object_type="person",
            object_id=person_id,
            before={"roles": granted},
            after={"roles": sorted({*granted, role.value})},
        )
    return await _person_roles(row)


async def lock_admins() -> set[uuid.UUID]:
    """The admins, their grants locked (in one order, so two callers cannot deadlock) until the
    surrounding transaction ends: whoever checks "is someone else still admin?" sees the truth."""
    locked = await RoleGrant.raw(
        "SELECT person FROM role_grant WHERE role = {} ORDER BY id FOR UPDATE",
        Role.ADMIN.value,
    )
    return {row["person"] for row in locked}


async def revoke_role(actor_id: uuid.UUID, person_id: uuid.UUID, role: Role) -> None:
    """Take `role` from the person (a no-op when they do not hold it); the last admin keeps it.

    Every admin grant is locked before the admins are counted, so concurrent revocations queue
    up: the second one counts what the first left, and cannot take away the last admin.
    """
    await require_admin(actor_id)
    _require_grantable(role)
    await _live_person(person_id)
    async with get_engine().transaction():
        admins = await lock_admins()
        # checked again under the lock: an admin whose own role was just revoked cannot act
        if actor_id not in admins:
            raise RoleRequired(role=Role.ADMIN.value)
        if role is Role.ADMIN and admins == {person_id}:
            raise LastAdmin
        granted = await _locked_grants(person_id)
        await RoleGrant.delete().where(RoleGrant.person == person_id, RoleGrant.role == role.value)
        await record_change(
            actor_id=actor_id,
            action="role.revoke",
            object_type="person",
            object_id=person_id,
            before={"roles": granted},
            after={"roles": [name for name in granted if name != role.value]},
        )


__all__ = [
    "PersonRoles",
    "RoleNotGrantable",
    "find_person",
    "grant_role",
    "revoke_role",
]
