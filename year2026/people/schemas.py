"""Request bodies of the people and sign-in API (responses are `records`)."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec

from year2026.i18n import Language
from year2026.people.enums import Gender, OrganizationKind, Region, Role

Email = Annotated[
    str, msgspec.Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
#: the real rules (length, not the email) are checked by the service, with a localized message
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
DisplayName = Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=r"\S")]
BirthYear = Annotated[int, msgspec.Meta(ge=1900, le=2026)]
OpaqueToken = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
OrganizationName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Website = Annotated[str, msgspec.Meta(max_length=300, pattern=r"^(https?://\S+)?$")]


class SignUp(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    email: Email
    password: Password
    display_name: DisplayName
    preferred_language: Language = Language.KK
    region: Region | None = None


class SignIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    email: Email
    password: Password


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    refresh_token: OpaqueToken


class ProfileUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """Only the fields present change; `null` clears an optional one."""

    display_name: DisplayName | msgspec.UnsetType = msgspec.UNSET
    preferred_language: Language | msgspec.UnsetType = msgspec.UNSET
    region: Region | msgspec.UnsetType | None = msgspec.UNSET
    birth_year: BirthYear | msgspec.UnsetType | None = msgspec.UNSET
    gender: Gender | msgspec.UnsetType | None = msgspec.UNSET


class OrganizationCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name_kk: OrganizationName
    name_ru: OrganizationName
    name_en: OrganizationName
    kind: OrganizationKind
    region: Region | None = None
    website: Website = ""


class OrganizationUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name_kk: OrganizationName | msgspec.UnsetType = msgspec.UNSET
    name_ru: OrganizationName | msgspec.UnsetType = msgspec.UNSET
    name_en: OrganizationName | msgspec.UnsetType = msgspec.UNSET
    kind: OrganizationKind | msgspec.UnsetType = msgspec.UNSET
    region: Region | msgspec.UnsetType | None = msgspec.UNSET
    website: Website | msgspec.UnsetType = msgspec.UNSET


class MemberAdd(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Who to add: by the email of their account."""

    email: Email


class RoleGrantRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    role: Role


class Jwks(msgspec.Struct, frozen=True):
    keys: list[dict[str, str]]


class PersonId(msgspec.Struct, frozen=True):
    id: uuid.UUID
