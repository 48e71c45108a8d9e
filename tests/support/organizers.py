"""Organizations and their members for tests, made directly (one INSERT each)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tests.support import people
from tests.support.http import token_roles
from year2026.people.enums import OrganizationKind, Region, Role
from year2026.people.tables import Membership, Organization
from year2026.settings import Settings


@dataclass(frozen=True)
class Organizer:
    """A member of an organization, signed in (their token says organizer)."""

    person: people.SignedIn
    organization_id: uuid.UUID

    @property
    def headers(self) -> dict[str, str]:
        return self.person.headers


async def organization(name: str = "Astana Hub") -> uuid.UUID:
    organization_id = uuid.uuid4()
    await Organization.insert(
        Organization(
            id=organization_id,
            name_kk=name,
            name_ru=name,
            name_en=name,
            kind=OrganizationKind.TECH_PARK.value,
            region=Region.ASTANA.value,
        )
    )
    return organization_id


async def organizer(settings: Settings, organization_id: uuid.UUID | None = None) -> Organizer:
    """A new member of `organization_id` (a new organization when not given), signed in."""
    organization_id = organization_id or await organization()
    person = await people.signed_in_person(settings)
    await Membership.insert(Membership(organization=organization_id, person=person.person_id))
    person = await people.signed_in_again(settings, person)  # the token now says organizer
    assert Role.ORGANIZER.value in token_roles(person.access_token)
    return Organizer(person=person, organization_id=organization_id)
