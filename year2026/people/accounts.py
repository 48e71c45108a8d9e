"""Accounts: sign-up, password sign-in, OpenID sign-in, the person's own data, erasure."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg
import msgspec

from year2026.db import get_engine
from year2026.i18n import Language
from year2026.patching import column_values
from year2026.people import queries
from year2026.people.enums import Gender, Region, Role
from year2026.people.errors import (
    EmailTaken,
    InvalidCredentials,
    LastAdmin,
    PersonNotFound,
    WeakPassword,
)
from year2026.people.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from year2026.people.personal_data import NO_PARTS, PersonalDataParts
from year2026.people.records import OrganizationRef, Profile
from year2026.people.roles import lock_admins
from year2026.people.tables import Membership, OidcIdentity, Person, RefreshToken, RoleGrant


def normalize_email(email: str) -> str:
    """Trimmed; the domain lower-cased (it is case-insensitive everywhere)."""
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def check_password_rules(password: str, email: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH or password.strip().lower() == email.strip().lower():
        raise WeakPassword(min_length=MIN_PASSWORD_LENGTH)


async def sign_up(
    *,
    email: str,
    password: str,
    display_name: str,
    preferred_language: Language,
    region: Region | None = None,
) -> uuid.UUID:
    email = normalize_email(email)
    check_password_rules(password, email)
    password_hash = await hash_password(password)
    person_id = uuid.uuid4()
    try:
        await Person.insert(
            Person(
                id=person_id,
                email=email,
                display_name=display_name.strip(),
                preferred_language=preferred_language.value,
                region=region.value if region else None,
                password_hash=password_hash,
            )
        )
    except asyncpg.UniqueViolationError as error:
        raise EmailTaken from error
    return person_id


async def authenticate(email: str, password: str) -> uuid.UUID:
    """The person whose email and password these are; the same error, after the same work, for an
    unknown email and a wrong password."""
    row = await queries.person_row_by_email(normalize_email(email))
    stored_hash = row["password_hash"] if row else None
    if not await verify_password(stored_hash, password) or row is None:
        raise InvalidCredentials
    person_id: uuid.UUID = row["id"]
    if needs_rehash(stored_hash or ""):
        await Person.update({Person.password_hash: await hash_password(password)}).where(
            Person.id == person_id
        )
    return person_id


async def profile(person_id: uuid.UUID) -> Profile:
    row = await queries.person_row(person_id)
    if row is None:
        raise PersonNotFound
    organizations = await queries.organization_rows_of(person_id)
    return Profile(
        id=row["id"],
        email=row["email"] or "",
        display_name=row["display_name"],
        preferred_language=Language(row["preferred_language"]),
        region=Region(row["region"]) if row["region"] else None,
        birth_year=row["birth_year"],
        gender=Gender(row["gender"]) if row["gender"] else None,
        roles=sorted(await queries.roles_of(person_id)),
        organizations=[
            OrganizationRef(
                id=org["id"], name_kk=org["name_kk"], name_ru=org["name_ru"], name_en=org["name_en"]
            )
            for org in organizations
        ],
        has_password=row["password_hash"] is not None,
        created_at=row["created_at"],
    )


#: fields a person may change about themselves, and how each is stored
_EDITABLE = ("display_name", "preferred_language", "region", "birth_year", "gender")


async def update_profile(person_id: uuid.UUID, changes: dict[str, Any]) -> Profile:
    """Apply the given fields (absent ones stay; `None` clears an optional one)."""
    if isinstance(changes.get("display_name"), str):
        changes = {**changes, "display_name": changes["display_name"].strip()}  # as at sign-up
    values = column_values(Person, changes, _EDITABLE)
    if values:
        values[Person.updated_at] = dt.datetime.now(dt.UTC)
        updated = (
            await Person.update(values)
            .where(Person.id == person_id, Person.erased_at.is_null())
            .returning(Person.id)
        )
        if not updated:
            raise PersonNotFound
    return await profile(person_id)


async def export_person(
    person_id: uuid.UUID, parts: PersonalDataParts = NO_PARTS
) -> dict[str, Any]:
    """Everything held about the person, as JSON-ready data: their account's, and each domain's
    section (`parts.exports`)."""
    me = await profile(person_id)
    identities = await OidcIdentity.select(
        OidcIdentity.issuer, OidcIdentity.subject, OidcIdentity.created_at
    ).where(OidcIdentity.person == person_id)
    sessions = await RefreshToken.select(
        RefreshToken.family_id,
        RefreshToken.created_at,
        RefreshToken.expires_at,
        RefreshToken.used_at,
        RefreshToken.revoked_at,
        RefreshToken.user_agent,
    ).where(RefreshToken.person == person_id)
    memberships = await Membership.select(Membership.organization, Membership.added_at).where(
        Membership.person == person_id
    )
    grants = await RoleGrant.select(RoleGrant.role, RoleGrant.granted_at).where(
        RoleGrant.person == person_id
    )
    exported: dict[str, Any] = msgspec.to_builtins(
        {
            "exported_at": dt.datetime.now(dt.UTC),
            "person": me,
            "sign_in_identities": identities,
            "sessions": sessions,
            "memberships": memberships,
            "role_grants": grants,
        }
    )
    for name, export in parts.exports.items():
        exported[name] = msgspec.to_builtins(await export(person_id))
    return exported


async def erase_person(person_id: uuid.UUID, parts: PersonalDataParts = NO_PARTS) -> None:
    """Forget the person: identity, credentials, sessions, memberships and grants go; the row stays
    with its statistics-only fields (region, birth year, gender) so that counts do not change.
    Each domain's erasure step (`parts.erasures`) runs first, in the same transaction."""
    async with get_engine().transaction():
        if await lock_admins() == {person_id}:
            raise LastAdmin  # the platform would be left with nobody to grant roles
        now = dt.datetime.now(dt.UTC)
        for erase in parts.erasures:
            await erase(person_id, now)
        erased = (
            await Person.update(
                {
                    Person.email: None,
                    Person.display_name: "",
                    Person.password_hash: None,
                    Person.erased_at: dt.datetime.now(dt.UTC),
                    Person.updated_at: dt.datetime.now(dt.UTC),
                    # live access tokens are refused from now on (`year2026.auth.revocation`)
                    Person.token_generation: Person.token_generation + 1,
                }
            )
            .where(Person.id == person_id, Person.erased_at.is_null())
            .returning(Person.id)
        )
        if not erased:
            raise PersonNotFound
        await OidcIdentity.delete().where(OidcIdentity.person == person_id)
        await RefreshToken.delete().where(RefreshToken.person == person_id)
        await Membership.delete().where(Membership.person == person_id)
        await RoleGrant.delete().where(RoleGrant.person == person_id)


async def sign_in_with_provider(
    *, issuer: str, subject: str, email: str | None, email_verified: bool, name: str | None
) -> uuid.UUID:
    """The person behind a verified OpenID identity: already linked, else linked by a verified
    email, else created. The provider's `iss` + `sub` are kept.

    Two first sign-ins of one identity can race; the loser's insert hits a unique constraint,
    and its second attempt finds what the winner wrote."""
    for attempt in range(2):
        try:
            return await _link_identity(issuer, subject, email, email_verified, name)
        except asyncpg.UniqueViolationError as error:
            if attempt == 1:
                raise EmailTaken from error
    raise AssertionError("unreachable")


async def _link_identity(
    issuer: str, subject: str, email: str | None, email_verified: bool, name: str | None
) -> uuid.UUID:
    async with get_engine().transaction():
        linked = (
            await OidcIdentity.select(OidcIdentity.person)
            .where(OidcIdentity.issuer == issuer, OidcIdentity.subject == subject)
            .first()
        )
        if linked is not None:
            linked_id: uuid.UUID = linked["person"]
            return linked_id
        person_id = await _person_for_new_identity(email, email_verified, name)
        await OidcIdentity.insert(OidcIdentity(person=person_id, issuer=issuer, subject=subject))
    return person_id


async def _person_for_new_identity(
    email: str | None, email_verified: bool, name: str | None
) -> uuid.UUID:
    row = await queries.person_row_by_email(email) if email and email_verified else None
    if row is not None:
        existing: uuid.UUID = row["id"]
        return existing
    person_id = uuid.uuid4()
    # a concurrent insert of the same email raises UniqueViolationError: the caller retries
    await Person.insert(
        Person(
            id=person_id,
            # an unverified email is not ours to claim: keep none rather than a lie
            email=normalize_email(email) if email and email_verified else None,
            display_name=(name or "").strip()[:120],
        )
    )
    return person_id


async def create_admin(*, email: str, password: str, display_name: str) -> uuid.UUID:
    """`year2026 create-admin`: a new admin, or the admin role for an existing account."""
    row = await queries.person_row_by_email(normalize_email(email))
    if row is None:
        person_id = await sign_up(
            email=email,
            password=password,
            display_name=display_name,
            preferred_language=Language.KK,
        )
    else:
        person_id = row["id"]
    await queries.grant_role_once(person_id, Role.ADMIN)
    return person_id
