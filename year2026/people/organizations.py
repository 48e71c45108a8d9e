"""Organizations and their members: who may act for which organization.

Every function that acts takes the acting person's id and checks their rights against the
database (`roles_of`, `is_member`), never only the roles an access token carried: a token lives
for minutes after a role is revoked or a membership removed.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from year2026.audit import record_change
from year2026.db import get_engine
from year2026.exceptions import NotFound
from year2026.i18n import Language, Texts
from year2026.paging import DEFAULT_LIMIT, KeyColumn, Keyset
from year2026.patching import column_values
from year2026.people import queries
from year2026.people.enums import OrganizationKind, Region, Role
from year2026.people.errors import (
    AlreadyMember,
    NotAMember,
    OrganizationNotFound,
    PersonNotFound,
    RoleRequired,
)
from year2026.people.records import Member, MemberPage, Organization, OrganizationPage
from year2026.people.tables import Membership
from year2026.people.tables import Organization as OrganizationTable

#: fields of an organization that can change after it is created
_EDITABLE = ("name_kk", "name_ru", "name_en", "kind", "region", "website")


class MembershipNotFound(NotFound):
    """The person is not a member of the organization (so there is nothing to remove)."""

    code = "membership-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл адам ұйымның мүшесі емес.",
        Language.RU: "Этот человек не состоит в организации.",
        Language.EN: "This person is not a member of the organization.",
    }


def _organization(row: Mapping[str, Any]) -> Organization:
    return Organization(
        id=row["id"],
        name_kk=row["name_kk"],
        name_ru=row["name_ru"],
        name_en=row["name_en"],
        kind=OrganizationKind(row["kind"]),
        region=Region(row["region"]) if row["region"] else None,
        website=row["website"],
        created_at=row["created_at"],
    )


#: organizations by English name, then id
ORGANIZATION_KEYSET = Keyset(
    "organizations",
    (
        KeyColumn("name_en", str, max_length=OrganizationTable.name_en.length or 0),
        KeyColumn("id", uuid.UUID),
    ),
)
_ORGANIZATIONS_SQL = (
    "SELECT id, name_kk, name_ru, name_en, kind, region, website, created_at"
    " FROM organization WHERE {} {}"
)

#: the members of an organization, oldest membership first, then by person id
MEMBER_KEYSET = Keyset(
    "members",
    (KeyColumn("m.added_at", datetime), KeyColumn("m.person", uuid.UUID, row_field="person_id")),
)
_MEMBERS_SQL = (
    "SELECT m.person AS person_id, p.display_name, p.email, m.added_at"
    " FROM membership m JOIN person p ON p.id = m.person"
    " WHERE m.organization = {} AND p.erased_at IS NULL AND {} {}"
)


async def require_admin(actor_id: uuid.UUID) -> None:
    """Refuse unless the database says the actor is an admin now."""
    if Role.ADMIN not in await queries.roles_of(actor_id):
        raise RoleRequired(role=Role.ADMIN.value)


async def is_member_or_admin(person_id: uuid.UUID | None, organization_id: uuid.UUID) -> bool:
    """Whether the person belongs to this organization (or is an admin), per the database: who
    may see what it has not published."""
    if person_id is None:
        return False
    if await queries.is_member(person_id, organization_id):
        return True
    return Role.ADMIN in await queries.roles_of(person_id)


async def require_member_or_admin(actor_id: uuid.UUID, organization_id: uuid.UUID) -> None:
    """Refuse unless the actor belongs to this organization (or is an admin), per the database."""
    if await queries.is_member(actor_id, organization_id):
        return
    if Role.ADMIN in await queries.roles_of(actor_id):
        return
    raise NotAMember


async def _organization_row(organization_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any]:
    """The organization's row; with `lock`, locked until the transaction ends."""
    query = OrganizationTable.select().where(OrganizationTable.id == organization_id)
    if lock:
        query = query.lock_rows("NO KEY UPDATE")
    row: dict[str, Any] | None = await query.first()
    if row is None:
        raise OrganizationNotFound
    return row


def _audited(row: Mapping[str, Any]) -> dict[str, Any]:
    """What the audit log keeps of an organization: the fields that can change."""
    return {name: row[name] for name in _EDITABLE}


async def create_organization(
    actor_id: uuid.UUID,
    *,
    name_kk: str,
    name_ru: str,
    name_en: str,
    kind: OrganizationKind,
    region: Region | None = None,
    website: str = "",
) -> Organization:
    await require_admin(actor_id)
    async with get_engine().transaction():
        rows = await OrganizationTable.insert(
            OrganizationTable(
                id=uuid.uuid4(),
                name_kk=name_kk.strip(),
                name_ru=name_ru.strip(),
                name_en=name_en.strip(),
                kind=kind.value,
                region=region.value if region else None,
                website=website,
            )
        ).returning(*OrganizationTable.all_columns())
        await record_change(
            actor_id=actor_id,
            action="organization.create",
            object_type="organization",
            object_id=rows[0]["id"],
            before=None,
            after=_audited(rows[0]),
        )
    return _organization(rows[0])


async def update_organization(
    actor_id: uuid.UUID, organization_id: uuid.UUID, changes: Mapping[str, Any]
) -> Organization:
    """Apply the given fields (absent ones stay; `region: None` clears it). Admins, and members
    of this very organization, may."""
    trimmed = {
        name: value.strip() if name.startswith("name_") else value
        for name, value in changes.items()
    }
    values = column_values(OrganizationTable, trimmed, _EDITABLE)
    async with get_engine().transaction():
        # locked, so that the audit entry's "before" is exactly what this update changed
        current = await _organization_row(organization_id, lock=True)
        await require_member_or_admin(actor_id, organization_id)
        if not values:
            return _organization(current)
        rows = (
            await OrganizationTable.update(values)
            .where(OrganizationTable.id == organization_id)
            .returning(*OrganizationTable.all_columns())
        )
        await record_change(
            actor_id=actor_id,
            action="organization.update",
            object_type="organization",
            object_id=organization_id,
            before=_audited(current),
            after=_audited(rows[0]),
        )
    return _organization(rows[0])


async def get_organization(organization_id: uuid.UUID) -> Organization:
    """Public: anyone may read an organization."""
    return _organization(await _organization_row(organization_id))


async def list_organizations(
    *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> OrganizationPage:
    """Public: organizations by English name (then id), a page at a time; `cursor` is the
    previous page's `next_cursor`."""
    rows = await OrganizationTable.raw(
        _ORGANIZATIONS_SQL,
        ORGANIZATION_KEYSET.after(cursor),
        ORGANIZATION_KEYSET.order_and_limit(limit),
    )
    page = ORGANIZATION_KEYSET.page(rows, limit)
    return OrganizationPage(
        items=[_organization(row) for row in page.rows], next_cursor=page.next_cursor
    )


async def list_members(
    actor_id: uuid.UUID,
    organization_id: uuid.UUID,
    *,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> MemberPage:
    """The members, oldest membership first, a page at a time; `cursor` is the previous page's
    `next_cursor`. Only what a colleague needs: no birth year, gender or region."""
    await _organization_row(organization_id)
    await require_member_or_admin(actor_id, organization_id)
    rows = await Membership.raw(
        _MEMBERS_SQL,
        organization_id,
        MEMBER_KEYSET.after(cursor),
        MEMBER_KEYSET.order_and_limit(limit),
    )
    page = MEMBER_KEYSET.page(rows, limit)
    return MemberPage(
        items=[
            Member(
                person_id=row["person_id"],
                display_name=row["display_name"],
                email=row["email"] or "",
                added_at=row["added_at"],
            )
            for row in page.rows
        ],
        next_cursor=page.next_cursor,
    )


async def add_member(actor_id: uuid.UUID, organization_id: uuid.UUID, email: str) -> Member:
    """Admins add a person, named by the email of their account, to an organization."""
    await require_admin(actor_id)
    await _organization_row(organization_id)
    person = await queries.person_row_by_email(email.strip())
    if person is None:
        raise PersonNotFound
    # the unique (organization, person) constraint decides, so two concurrent adds make one row
    added = await Membership.raw(
        "INSERT INTO membership (id, organization, person, added_at) VALUES ({}, {}, {}, now())"
        " ON CONFLICT (organization, person) DO NOTHING RETURNING added_at",
        uuid.uuid4(),
        organization_id,
        person["id"],
    )
    if not added:
        raise AlreadyMember
    return Member(
        person_id=person["id"],
        display_name=person["display_name"],
        email=person["email"] or "",
        added_at=added[0]["added_at"],
    )


async def remove_member(
    actor_id: uuid.UUID, organization_id: uuid.UUID, person_id: uuid.UUID
) -> None:
    """Admins remove a member; from then on the person cannot act for the organization, whatever
    their access token says (every service asks the database)."""
    await require_admin(actor_id)
    await _organization_row(organization_id)
    removed = (
        await Membership.delete()
        .where(Membership.organization == organization_id, Membership.person == person_id)
        .returning(Membership.id)
    )
    if not removed:
        raise MembershipNotFound


__all__ = [
    "MEMBER_KEYSET",
    "ORGANIZATION_KEYSET",
    "MembershipNotFound",
    "add_member",
    "create_organization",
    "get_organization",
    "list_members",
    "list_organizations",
    "remove_member",
    "require_admin",
    "require_member_or_admin",
    "update_organization",
]
