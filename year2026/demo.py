"""Demo content for the one-command run, loaded idempotently: a second run keeps what is there.

The demo accounts exist only in the embedded default (`year2026 demo`); their passwords are
printed on purpose, and are never used anywhere else.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field

from courses.demo import AI_BASICS_SLUG, load_demo_courses
from events.demo import GITEX_SLUG, load_demo_events
from year2026.i18n import Language
from year2026.people import accounts, organizations, queries, roles
from year2026.people.enums import OrganizationKind, Region, Role
from year2026.people.errors import AlreadyMember
from year2026.people.tables import Organization

DEMO_ORGANIZATION_ID = uuid.UUID("2026a1a0-0000-4000-8000-000000000001")


@dataclass
class DemoReport:
    """What the demo run prints for people to try: accounts and useful addresses."""

    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # role, email, password
    links: list[tuple[str, str]] = field(default_factory=list)  # what, path


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    email: str
    password: str
    name: str
    language: Language
    region: Region


DEMO_ACCOUNTS = (
    DemoAccount(Role.CITIZEN, "citizen@demo.year2026.kz", "demo-citizen-2026", "Айгерім Сейтқали",
                Language.KK, Region.KARAGANDA),
    DemoAccount(Role.ORGANIZER, "organizer@demo.year2026.kz", "demo-organizer-2026",
                "Дамир Ахметов", Language.RU, Region.ASTANA),
    DemoAccount(Role.STAFF, "staff@demo.year2026.kz", "demo-staff-2026", "Staff Member",
                Language.EN, Region.ASTANA),
    DemoAccount(Role.ADMIN, "admin@demo.year2026.kz", "demo-admin-2026", "Platform Admin",
                Language.EN, Region.ASTANA),
)  # fmt: skip


async def _ensure_account(account: DemoAccount) -> uuid.UUID:
    row = await queries.person_row_by_email(account.email)
    if row is not None:
        existing: uuid.UUID = row["id"]
        return existing
    return await accounts.sign_up(
        email=account.email,
        password=account.password,
        display_name=account.name,
        preferred_language=account.language,
        region=account.region,
    )


async def _ensure_organization() -> uuid.UUID:
    if not await Organization.exists().where(Organization.id == DEMO_ORGANIZATION_ID):
        await Organization.insert(
            Organization(
                id=DEMO_ORGANIZATION_ID,
                name_kk="Astana Hub халықаралық технопаркі",
                name_ru="Международный технопарк Astana Hub",
                name_en="Astana Hub International Technopark",
                kind=OrganizationKind.TECH_PARK.value,
                region=Region.ASTANA.value,
                website="https://astanahub.com",
            )
        )
    return DEMO_ORGANIZATION_ID


async def load_demo_data() -> DemoReport:
    """The demo organization and accounts, made through the same services an admin would use."""
    report = DemoReport()
    organization_id = await _ensure_organization()
    admin = next(account for account in DEMO_ACCOUNTS if account.role is Role.ADMIN)
    admin_id = await accounts.create_admin(
        email=admin.email, password=admin.password, display_name=admin.name
    )
    for account in DEMO_ACCOUNTS:
        person_id = admin_id if account is admin else await _ensure_account(account)
        if account.role is Role.STAFF:
            await roles.grant_role(admin_id, person_id, Role.STAFF)  # a no-op the second time
        if account.role is Role.ORGANIZER:
            with contextlib.suppress(AlreadyMember):
                await organizations.add_member(admin_id, organization_id, account.email)
        report.accounts.append((account.role.value, account.email, account.password))
    await load_demo_events(admin_id, organization_id)
    organizer = next(account for account in DEMO_ACCOUNTS if account.role is Role.ORGANIZER)
    for provider_id in await load_demo_courses(admin_id):
        with contextlib.suppress(AlreadyMember):
            await organizations.add_member(admin_id, provider_id, organizer.email)
    report.links.append(("events", "/events"))
    report.links.append(("GITEX", f"/events/{GITEX_SLUG}"))
    report.links.append(("courses", "/courses"))
    report.links.append(("AI basics", f"/courses/{AI_BASICS_SLUG}"))
    report.links.append(("JWKS", "/.well-known/jwks.json"))
    return report
