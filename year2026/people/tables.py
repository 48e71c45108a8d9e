"""Piccolo tables for people, their credentials and sessions, organizations and roles.

Composite unique constraints and the case-insensitive email index, which Piccolo's columns cannot
express, are created by a raw-SQL migration (see migrations/year2026).
"""

from __future__ import annotations

from piccolo.columns import (
    UUID,
    ForeignKey,
    Integer,
    OnDelete,
    SmallInt,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from year2026.i18n import Language
from year2026.people.enums import Gender, OrganizationKind, Region, Role


class Person(Table, tablename="person"):
    id = UUID(primary_key=True)
    #: as typed at sign-up; uniqueness is on lower(email), by an index from the migrations
    email = Varchar(length=254, null=True)
    display_name = Varchar(length=120)
    preferred_language = Varchar(length=2, choices=Language, default=Language.KK.value)
    region = Varchar(length=32, choices=Region, null=True, default=None)
    #: for statistics only (age bands); never shown to others
    birth_year = SmallInt(null=True, default=None)
    #: for statistics only; never shown to others
    gender = Varchar(length=16, choices=Gender, null=True, default=None)
    #: argon2id; null for people who only sign in through an OpenID provider
    password_hash = Varchar(length=256, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    #: set when the person asked to be forgotten: personal fields are cleared, counts stay
    erased_at = Timestamptz(null=True, default=None)
    #: access tokens carry the generation they were issued in; "sign out everywhere" and erasure
    #: raise it, and a token of an older generation is refused (the source of truth; Redis caches)
    token_generation = Integer(default=0)


class OidcIdentity(Table, tablename="oidc_identity"):
    """A person's account at an OpenID provider; (issuer, subject) is unique."""

    id = UUID(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, null=False)
    issuer = Varchar(length=255)
    subject = Varchar(length=255)
    created_at = Timestamptz(default=TimestamptzNow())


class RefreshToken(Table, tablename="refresh_token"):
    """One refresh token of a sign-in session (a family); only its SHA-256 is stored."""

    id = UUID(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, null=False)
    #: every token of one sign-in shares it; reuse of a spent token revokes the whole family
    family_id = UUID(index=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    #: what the person sees in their list of sessions
    user_agent = Varchar(length=200, default="")


class Organization(Table, tablename="organization"):
    id = UUID(primary_key=True)
    name_kk = Varchar(length=200)
    name_ru = Varchar(length=200)
    name_en = Varchar(length=200)
    kind = Varchar(length=16, choices=OrganizationKind)
    region = Varchar(length=32, choices=Region, null=True, default=None)
    website = Varchar(length=300, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Membership(Table, tablename="membership"):
    """A person acts as an organizer for this organization; (organization, person) is unique."""

    id = UUID(primary_key=True)
    organization = ForeignKey(references=Organization, on_delete=OnDelete.cascade, null=False)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, null=False)
    added_at = Timestamptz(default=TimestamptzNow())


class RoleGrant(Table, tablename="role_grant"):
    """A role granted by an admin (staff, admin); (person, role) is unique."""

    id = UUID(primary_key=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, null=False)
    role = Varchar(length=16, choices=Role)
    granted_at = Timestamptz(default=TimestamptzNow())
    granted_by = UUID(null=True, default=None)


ALL_TABLES: list[type[Table]] = [
    Person,
    OidcIdentity,
    RefreshToken,
    Organization,
    Membership,
    RoleGrant,
]

__all__ = ["ALL_TABLES"]
