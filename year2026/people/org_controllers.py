"""HTTP for organizations, their members, and the admins' role management.

Guards are the fast first check on the token's roles; the services decide, against the database,
whether this person may act for this organization.
"""

from __future__ import annotations

import uuid
from typing import Annotated, get_args

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from year2026.guards import Principal, requires_admin, requires_signed_in
from year2026.paging import CURSOR_PATTERN, DEFAULT_LIMIT, MAX_LIMIT, InvalidCursor
from year2026.patching import present_fields
from year2026.people import organizations, roles
from year2026.people.enums import GrantableRole, Role
from year2026.people.errors import (
    AlreadyMember,
    LastAdmin,
    NotAMember,
    OrganizationNotFound,
    PersonNotFound,
    RoleRequired,
)
from year2026.people.organizations import MEMBER_KEYSET, ORGANIZATION_KEYSET, MembershipNotFound
from year2026.people.records import Member, MemberPage, Organization, OrganizationPage
from year2026.people.roles import PersonRoles
from year2026.people.schemas import (
    Email,
    MemberAdd,
    OrganizationCreate,
    OrganizationUpdate,
    RoleGrantRequest,
)

PageSize = Annotated[
    int,
    QueryParameter(ge=1, le=MAX_LIMIT, description=f"How many rows at most (1–{MAX_LIMIT})."),
]
_CURSOR_DESCRIPTION = "The previous page's `next_cursor` (opaque); without it, the first page."
OrganizationCursor = Annotated[
    str | None,
    QueryParameter(
        min_length=1,
        max_length=ORGANIZATION_KEYSET.max_cursor_length,
        pattern=CURSOR_PATTERN,
        description=_CURSOR_DESCRIPTION,
    ),
]
MemberCursor = Annotated[
    str | None,
    QueryParameter(
        min_length=1,
        max_length=MEMBER_KEYSET.max_cursor_length,
        pattern=CURSOR_PATTERN,
        description=_CURSOR_DESCRIPTION,
    ),
]
#: the body's email rules, for the query parameter too
_EMAIL_RULES: msgspec.Meta = get_args(Email)[1]
EmailQuery = Annotated[
    str,
    QueryParameter(
        min_length=_EMAIL_RULES.min_length,
        max_length=_EMAIL_RULES.max_length,
        pattern=_EMAIL_RULES.pattern,
        description="The email of the person's account.",
    ),
]


class OrganizationsController(Controller):
    path = "/organizations"
    tags = ["organizations"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @post(
        "/",
        summary="Create an organization (admins)",
        guards=[requires_admin],
        opt={"errors": [RoleRequired]},
    )
    async def create(
        self, principal: NamedDependency[Principal], data: JSONBody[OrganizationCreate]
    ) -> Organization:
        return await organizations.create_organization(
            principal.person_id,
            name_kk=data.name_kk,
            name_ru=data.name_ru,
            name_en=data.name_en,
            kind=data.kind,
            region=data.region,
            website=data.website,
        )

    @get(
        "/",
        summary="Organizations, by English name (public)",
        opt={"errors": [InvalidCursor]},
    )
    async def list_all(
        self, limit: PageSize = DEFAULT_LIMIT, cursor: OrganizationCursor = None
    ) -> OrganizationPage:
        return await organizations.list_organizations(limit=limit, cursor=cursor)

    @get(
        "/{organization_id:uuid}",
        summary="One organization (public)",
        opt={"errors": [OrganizationNotFound]},
    )
    async def show(self, organization_id: FromPath[uuid.UUID]) -> Organization:
        return await organizations.get_organization(organization_id)

    @patch(
        "/{organization_id:uuid}",
        summary="Change an organization (its members, or admins)",
        description="Any signed-in person may ask; members of another organization get 403.",
        guards=[requires_signed_in],
        opt={"errors": [OrganizationNotFound, NotAMember]},
    )
    async def update(
        self,
        principal: NamedDependency[Principal],
        organization_id: FromPath[uuid.UUID],
        data: JSONBody[OrganizationUpdate],
    ) -> Organization:
        return await organizations.update_organization(
            principal.person_id, organization_id, present_fields(data)
        )

    @get(
        "/{organization_id:uuid}/members",
        summary="The organization's members (its members, or admins)",
        guards=[requires_signed_in],
        opt={"errors": [OrganizationNotFound, NotAMember, InvalidCursor]},
    )
    async def list_members(
        self,
        principal: NamedDependency[Principal],
        organization_id: FromPath[uuid.UUID],
        limit: PageSize = DEFAULT_LIMIT,
        cursor: MemberCursor = None,
    ) -> MemberPage:
        return await organizations.list_members(
            principal.person_id, organization_id, limit=limit, cursor=cursor
        )

    @post(
        "/{organization_id:uuid}/members",
        summary="Add a person, by the email of their account (admins)",
        guards=[requires_admin],
        opt={"errors": [OrganizationNotFound, PersonNotFound, AlreadyMember, RoleRequired]},
    )
    async def add_member(
        self,
        principal: NamedDependency[Principal],
        organization_id: FromPath[uuid.UUID],
        data: JSONBody[MemberAdd],
    ) -> Member:
        return await organizations.add_member(principal.person_id, organization_id, data.email)

    @delete(
        "/{organization_id:uuid}/members/{person_id:uuid}",
        summary="Remove a member (admins)",
        guards=[requires_admin],
        opt={"errors": [OrganizationNotFound, MembershipNotFound, RoleRequired]},
    )
    async def remove_member(
        self,
        principal: NamedDependency[Principal],
        organization_id: FromPath[uuid.UUID],
        person_id: FromPath[uuid.UUID],
    ) -> None:
        await organizations.remove_member(principal.person_id, organization_id, person_id)


class AdminController(Controller):
    path = "/admin"
    tags = ["admin"]  # noqa: RUF012
    guards = [requires_admin]  # noqa: RUF012

    @get(
        "/people",
        summary="Find a person by the email of their account, with their roles",
        opt={"errors": [PersonNotFound, RoleRequired]},
    )
    async def find_person(
        self, principal: NamedDependency[Principal], email: EmailQuery
    ) -> PersonRoles:
        return await roles.find_person(principal.person_id, email)

    @post(
        "/people/{person_id:uuid}/roles",
        summary="Grant a role (staff or admin); shows in the person's next access token",
        status_code=HTTP_200_OK,
        opt={"errors": [PersonNotFound, RoleRequired]},
    )
    async def grant_role(
        self,
        principal: NamedDependency[Principal],
        person_id: FromPath[uuid.UUID],
        data: JSONBody[RoleGrantRequest],
    ) -> PersonRoles:
        return await roles.grant_role(principal.person_id, person_id, Role(data.role))

    @delete(
        "/people/{person_id:uuid}/roles/{role:str}",
        summary="Revoke a role (the last admin keeps theirs)",
        opt={"errors": [PersonNotFound, LastAdmin, RoleRequired]},
    )
    async def revoke_role(
        self,
        principal: NamedDependency[Principal],
        person_id: FromPath[uuid.UUID],
        role: FromPath[GrantableRole],
    ) -> None:
        await roles.revoke_role(principal.person_id, person_id, Role(role))
