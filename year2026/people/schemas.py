"""Request bodies of the people and sign-in API (responses are `records`)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from year2026.i18n import Language
from year2026.people.enums import Gender, GrantableRole, OrganizationKind, Region
from year2026.people.passwords import MIN_PASSWORD_LENGTH

#: ASCII only (internationalized domains in their xn-- form), so that the pattern means the same
#: to every regex engine that reads the schema; the domain needs a dot
Email = Annotated[
    str,
    msgspec.Meta(
        min_length=3,
        max_length=254,
        pattern=r"^[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
        r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$",
    ),
]
#: any password is accepted for sign-in (it is only compared); a new one has rules
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
NewPassword = Annotated[str, msgspec.Meta(min_length=MIN_PASSWORD_LENGTH, max_length=128)]
#: no control characters (PostgreSQL cannot store NUL, and none belongs in a name) and at least
#: one visible character; written without \s and \S, whose meaning differs between regex engines
PRINTABLE_TEXT = r"^[^\x00-\x1f\x7f]*[^\x00-\x20\x7f][^\x00-\x1f\x7f]*$"
DisplayName = Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=PRINTABLE_TEXT)]
BirthYear = Annotated[int, msgspec.Meta(ge=1900, le=2026)]
OpaqueToken = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
OrganizationName = Annotated[
    str, msgspec.Meta(min_length=1, max_length=200, pattern=PRINTABLE_TEXT)
]
Website = Annotated[str, msgspec.Meta(max_length=300, pattern=r"^(https?://[!-~]+)?$")]


class SignUp(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    email: Email
    password: NewPassword
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
    role: GrantableRole


class Jwks(msgspec.Struct, frozen=True):
    keys: list[dict[str, str]]
