"""What the services hand back about people and organizations (also the API's read shapes)."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from year2026.i18n import Language
from year2026.people.enums import Gender, OrganizationKind, Region, Role


class OrganizationRef(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name_kk: str
    name_ru: str
    name_en: str


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    """A person as they see themselves (`GET /me`)."""

    id: uuid.UUID
    email: str
    display_name: str
    preferred_language: Language
    region: Region | None
    birth_year: int | None
    gender: Gender | None
    roles: list[Role]
    organizations: list[OrganizationRef]
    has_password: bool
    created_at: datetime


class Organization(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name_kk: str
    name_ru: str
    name_en: str
    kind: OrganizationKind
    region: Region | None
    website: str
    created_at: datetime


class Member(msgspec.Struct, frozen=True, kw_only=True):
    """A member as other members of the organization see them: no birth year, gender, region."""

    person_id: uuid.UUID
    display_name: str
    email: str
    added_at: datetime


class OrganizationPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of organizations; `next_cursor` asks for the next one (null on the last page)."""

    items: list[Organization]
    next_cursor: str | None


class MemberPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of an organization's members; `next_cursor` as for organizations."""

    items: list[Member]
    next_cursor: str | None


class SessionInfo(msgspec.Struct, frozen=True, kw_only=True):
    """One sign-in session (a refresh-token family) as its owner sees it."""

    family_id: uuid.UUID
    started_at: datetime
    last_used_at: datetime
    expires_at: datetime
    user_agent: str


class TokenPair(msgspec.Struct, frozen=True, kw_only=True):
    """What a successful sign-in or refresh returns (RFC 6749 field names)."""

    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


class RegionEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One of Kazakhstan's 17 regions or 3 cities of republican significance."""

    code: Region
    is_city: bool
    name_kk: str
    name_ru: str
    name_en: str
